import type { Knex } from "knex";

// Kiosk locations (the places a kiosk tablet stands, e.g. branches) and kiosk-wide settings such as
// the hashed exit PIN. Locations are retired, never deleted: stored responses keep naming them.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("kiosk_locations", (t) => {
    t.string("id", 100).primary();
    t.string("name", 200).notNullable();
    t.boolean("retired").notNullable().defaultTo(false);
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable("kiosk_settings", (t) => {
    t.string("key", 50).primary();
    t.text("value").notNullable();
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("kiosk_settings");
  await knex.schema.dropTable("kiosk_locations");
}
