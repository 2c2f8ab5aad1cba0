import type { Knex } from "knex";

// PostgreSQL numbers responses in insertion order (`seq`, set by a trigger: see the data_versions
// migration), and the staff pages read a survey's newest number and the responses after the last
// one they hold on every request after a write (server/queries/data-versions.ts). Without an
// index each read went through every response of the library: 2–7 ms at 10,000 responses, in
// proportion to the count; with it 0.03–0.07 ms (EXPLAIN ANALYZE, bench/README.md, "A consortium
// on PostgreSQL"). SQLite reads its rowid, which needs none.
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === "sqlite3") return;
  await knex.schema.alterTable("responses", (t) => {
    t.index(["survey_slug", "seq"], "responses_survey_slug_seq_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === "sqlite3") return;
  await knex.schema.alterTable("responses", (t) => {
    t.dropIndex(["survey_slug", "seq"], "responses_survey_slug_seq_index");
  });
}
