import type { Knex } from "knex";

// Fieldwork targets (quotas) and end date per survey: a number of responses per category of a profile
// dimension, or (category null) a total to share in proportion to the community. The guide
// replaces a dimension's rows together, so no unique index is needed over a nullable column
// (SQLite and PostgreSQL treat NULLs in unique indexes alike, but the rule lives in one place).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("fieldwork_targets", (t) => {
    t.increments("id");
    t.string("survey_slug", 100).notNullable();
    t.string("dimension", 40).notNullable();
    t.string("category", 200);
    t.integer("target").notNullable();
    t.string("set_by", 254);
    t.timestamp("set_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["survey_slug", "dimension"]);
  });
  // The planned last day of fieldwork: targets projected after it are flagged.
  await knex.schema.createTable("fieldwork_plans", (t) => {
    t.string("survey_slug", 100).primary();
    t.string("end_date", 10);
    t.string("set_by", 254);
    t.timestamp("set_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("fieldwork_plans");
  await knex.schema.dropTable("fieldwork_targets");
}
