import type { Knex } from "knex";

// Which surveys are the consortium's standard surveys (issue 23): files in surveys/standard that
// a library adopted (the default library adopts every one). The consortium view compares
// libraries on these only, and start-up re-reads each adopted one from the standard folder.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("surveys", (t) => {
    t.boolean("standard").notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("surveys", (t) => {
    t.dropColumn("standard");
  });
}
