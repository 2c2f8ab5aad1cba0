import type { Knex } from "knex";

// Staff accounts, their login sessions and the audit log of who did what.
// The sessions table has the shape connect-session-knex 5 expects (sid, sess, expired), made
// here rather than by the store so SQLite and PostgreSQL get it through the same migration.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("staff_users", (t) => {
    t.increments("id");
    t.string("email", 254).notNullable().unique();
    t.string("password_hash", 255).notNullable();
    t.string("role", 10).notNullable();
    t.boolean("disabled").notNullable().defaultTo(false);
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("last_login_at", { useTz: true });
  });
  await knex.schema.createTable("sessions", (t) => {
    t.string("sid", 255).primary();
    // json on PostgreSQL (the store casts to ::json), text on SQLite.
    t.json("sess").notNullable();
    t.timestamp("expired", { useTz: true }).notNullable().index();
  });
  await knex.schema.createTable("audit_log", (t) => {
    t.increments("id");
    t.timestamp("at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // No foreign key: the log outlives accounts, and keeps the e-mail as it was at the time.
    t.integer("actor_id");
    t.string("actor_email", 254);
    t.string("action", 60).notNullable();
    t.string("target", 255);
    t.text("details");
    t.index(["at"]);
    t.index(["action", "at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("audit_log");
  await knex.schema.dropTable("sessions");
  await knex.schema.dropTable("staff_users");
}
