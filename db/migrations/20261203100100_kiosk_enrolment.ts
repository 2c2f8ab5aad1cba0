import type { Knex } from "knex";

// Who may start kiosk mode: devices enrolled by a logged-in staff member or with an enrolment code
// an admin made. Codes and device tokens are stored only as SHA-256 hashes. Revoking a code ends
// the kiosk mode of the devices enrolled with it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("kiosk_enrolment_codes", (t) => {
    t.increments("id");
    t.string("code_hash", 64).notNullable().unique();
    t.string("label", 200).notNullable();
    t.string("created_by", 254);
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("expires_at", { useTz: true }).notNullable();
    t.timestamp("revoked_at", { useTz: true });
  });
  await knex.schema.createTable("kiosk_devices", (t) => {
    // A random id: the key the exit-PIN lockout counts by.
    t.string("id", 36).primary();
    t.string("token_hash", 64).notNullable().unique();
    t.integer("code_id").references("id").inTable("kiosk_enrolment_codes").onDelete("CASCADE");
    t.string("enrolled_by", 254);
    t.timestamp("enrolled_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("revoked_at", { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("kiosk_devices");
  await knex.schema.dropTable("kiosk_enrolment_codes");
}
