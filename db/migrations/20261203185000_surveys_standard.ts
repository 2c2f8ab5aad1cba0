import type { Knex } from "knex";

// Which surveys are the consortium's standard surveys (issue 23): files in surveys/standard that
// a library adopted (the default library adopts every one). The consortium view compares
// libraries on these only, and start-up re-reads each adopted one from the standard folder.
// Dated before the libraries migration, so a database from before issue 23 gets it first.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("surveys", (t) => {
    t.boolean("standard").notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  // Plain SQL both engines take: knex would copy the table on SQLite, losing its triggers.
  await knex.raw("ALTER TABLE surveys DROP COLUMN standard");
}
