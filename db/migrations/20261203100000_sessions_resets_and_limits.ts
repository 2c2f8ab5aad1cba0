import type { Knex } from "knex";

// What keeps staff accounts safe across server processes and restarts:
// - staff_users.session_epoch: every session records the epoch it logged in under; raising it
//   (password, role or disabled changed, "sign out everywhere") ends all the account's sessions.
// - password_resets: one-time links an admin hands over; only a SHA-256 of the token is kept.
// - rate_limits: counters of failed logins and PIN attempts, shared by every process.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("staff_users", (t) => {
    t.integer("session_epoch").notNullable().defaultTo(0);
  });
  await knex.schema.createTable("password_resets", (t) => {
    t.increments("id");
    t.integer("user_id").notNullable().references("id").inTable("staff_users").onDelete("CASCADE");
    t.string("token_hash", 64).notNullable().unique();
    t.string("created_by", 254);
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("expires_at", { useTz: true }).notNullable();
    t.timestamp("used_at", { useTz: true });
    t.index(["user_id"]);
  });
  await knex.schema.createTable("rate_limits", (t) => {
    t.string("key", 400).primary();
    t.integer("hits").notNullable();
    // Epoch milliseconds: compared with the clock of whichever process counts.
    t.bigInteger("reset_at").notNullable().index();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("rate_limits");
  await knex.schema.dropTable("password_resets");
  await knex.schema.alterTable("staff_users", (t) => {
    t.dropColumn("session_epoch");
  });
}
