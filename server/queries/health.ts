// Whether the database answers and takes writes, for /healthz.
import type { Db } from "../db.ts";

export type DatabaseHealth = "writable" | "not writable" | "not answering";

/**
 * A read, then a write that changes nothing: an UPDATE matching no row still takes the write lock
 * (SQLite: waits out the busy timeout when another process holds it; PostgreSQL: refused on a
 * read-only standby), so a database that reads but cannot store a response is reported as such.
 */
export async function checkDatabase(db: Db): Promise<DatabaseHealth> {
  try {
    await db.raw("select 1");
  } catch {
    return "not answering";
  }
  try {
    await db("knex_migrations_lock").where(db.raw("1 = 0")).update({ is_locked: 0 });
    return "writable";
  } catch {
    return "not writable";
  }
}
