import type { Knex } from "knex";

// Surveys, their content-addressed versions, and the responses answered on them.
// JSON is kept as text so the same code works on SQLite and PostgreSQL.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("surveys", (t) => {
    t.string("slug", 100).primary();
    t.string("status", 10).notNullable().defaultTo("open");
    t.string("audience", 10).notNullable().defaultTo("public");
    t.integer("current_version_id");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable("survey_versions", (t) => {
    t.increments("id");
    t.string("survey_slug", 100).notNullable().references("slug").inTable("surveys");
    t.string("hash", 64).notNullable();
    t.text("definition").notNullable();
    t.text("languages").notNullable();
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(["survey_slug", "hash"]);
  });
  await knex.schema.createTable("responses", (t) => {
    t.string("id", 36).primary();
    t.string("survey_slug", 100).notNullable().references("slug").inTable("surveys");
    t.integer("version_id").notNullable().references("id").inTable("survey_versions");
    t.string("language", 10).notNullable();
    t.string("channel", 10).notNullable();
    t.string("location", 100);
    t.timestamp("started_at", { useTz: true });
    t.timestamp("submitted_at", { useTz: true }).notNullable();
    t.text("data").notNullable();
    t.index(["survey_slug", "submitted_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("responses");
  await knex.schema.dropTable("survey_versions");
  await knex.schema.dropTable("surveys");
}
