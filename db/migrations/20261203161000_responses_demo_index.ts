import type { Knex } from "knex";

// Every staff page asks whether any demo row is stored (the demo banner). Without an index the
// question reads every response once the demo is removed: 100,000 rows per page (issue 21).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("responses", (t) => {
    t.index(["demo"], "responses_demo_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("responses", (t) => {
    t.dropIndex(["demo"], "responses_demo_index");
  });
}
