import type { Knex } from "knex";

// Marks the rows the demo loaded, so "remove demo data" deletes exactly those and nothing a
// library added. Rows that hang off a marked row (census counts, crosswalk and patron counts
// of an import; tags of a response; scores of an assessment) go with it through ON DELETE CASCADE.
const TABLES = ["imports", "geographies", "responses", "rubric_assessments", "usage_gap_runs"];

export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.boolean("demo").notNullable().defaultTo(false);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn("demo");
    });
  }
}
