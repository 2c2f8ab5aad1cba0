import type { Knex } from "knex";

// Census areas imported outside the current service area wait for staff to add them: until then
// the usage-gap analysis leaves them out (nothing joins the service area silently).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("geographies", (t) => {
    t.boolean("outside_service_area").notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("geographies", (t) => {
    t.dropColumn("outside_service_area");
  });
}
