import type { Knex } from "knex";

// Who counted as an active user in a patron import, and what that rule gave: the rule (its
// period, columns and opt-in settings) and the counts (rows read, excluded and rejected by
// reason, registered, active, active only before the period, never active), as JSON text so
// SQLite and PostgreSQL behave alike. Null for other imports and for patron imports made before
// the rule was recorded.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("imports", (t) => {
    t.text("active_rule");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("imports", (t) => {
    t.dropColumn("active_rule");
  });
}
