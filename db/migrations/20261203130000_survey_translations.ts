import type { Knex } from "knex";

// Per survey and language: the translation's review status (draft / reviewed / approved), whether
// staff allow a draft on the public page, who set it and when, and the strings imported from a
// translator's XLIFF or CSV file (JSON: unit id → text), applied over the survey file's own.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("survey_translations", (t) => {
    t.string("survey_slug", 100).notNullable().references("slug").inTable("surveys");
    t.string("language", 16).notNullable();
    t.string("status", 16).notNullable();
    t.boolean("allow_draft").notNullable().defaultTo(false);
    t.string("status_by", 254);
    t.timestamp("status_at", { useTz: true });
    t.text("strings");
    t.string("imported_by", 254);
    t.timestamp("imported_at", { useTz: true });
    t.primary(["survey_slug", "language"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("survey_translations");
}
