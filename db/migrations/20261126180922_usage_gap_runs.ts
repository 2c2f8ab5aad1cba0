import type { Knex } from "knex";

// Saved usage-gap analysis runs (npm run analyze, the staff gaps page), so the report can show
// the change since the previous run. `as_of` is the patron export's reference date; `options`
// (how the run was made: geography, dimensions, service area, import ids) and `document` (the
// analysis document) are JSON kept as text, so SQLite and PostgreSQL behave alike.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("usage_gap_runs", (t) => {
    t.increments("id");
    t.string("as_of", 10).notNullable(); // YYYY-MM-DD
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text("options").notNullable().defaultTo("{}");
    t.text("document").notNullable();
    t.index(["as_of", "id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("usage_gap_runs");
}
