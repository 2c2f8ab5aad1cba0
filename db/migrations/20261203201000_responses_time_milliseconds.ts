import type { Knex } from "knex";

// PostgreSQL keeps times to the microsecond, but node-pg gives JavaScript Dates (milliseconds)
// back. Reading responses page by page after the last (submitted_at, id) seen
// (server/queries/response-export.ts) then met responses stored within one millisecond by
// something other than Open Door (plain SQL with now(), another program) again and again:
// exports repeated rows or never ended, and the staff pages read the survey again on every
// request. Open Door itself writes whole milliseconds; the columns now keep no more, so every
// time read back compares exactly with the stored one (test/queries/response-stream-postgres.test.ts).
// Values already stored are rounded to the millisecond. SQLite stores what it is given.
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === "sqlite3") return;
  await knex.raw(
    "ALTER TABLE responses ALTER COLUMN submitted_at TYPE timestamptz(3), ALTER COLUMN started_at TYPE timestamptz(3)",
  );
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client === "sqlite3") return;
  await knex.raw(
    "ALTER TABLE responses ALTER COLUMN submitted_at TYPE timestamptz, ALTER COLUMN started_at TYPE timestamptz",
  );
}
