// Counters for rate limits and lockouts (failed logins, kiosk PIN attempts), kept in the database
// so every server process shares them and a restart does not reset them. A counter is one row per
// key; a window that has passed starts again from 1 in the same statement (an upsert), so two
// processes counting at once cannot lose a hit.
import type { Db } from "../db.ts";

export interface RateCount {
  hits: number;
  resetAt: Date;
}

interface RawCount {
  hits: number | string;
  reset_at: number | string;
}

const toCount = (row: RawCount): RateCount => ({
  hits: Number(row.hits),
  resetAt: new Date(Number(row.reset_at)),
});

export async function findRateCount(
  db: Db,
  key: string,
  now = Date.now(),
): Promise<RateCount | undefined> {
  const row = (await db("rate_limits")
    .where({ key })
    .where("reset_at", ">", now)
    .first(["hits", "reset_at"])) as RawCount | undefined;
  return row ? toCount(row) : undefined;
}

/** Counts one hit for `key` in a window of `windowMs` that starts at its first hit. */
export async function addRateHit(
  db: Db,
  key: string,
  windowMs: number,
  now = Date.now(),
): Promise<RateCount> {
  const expired = db.raw("rate_limits.reset_at <= ?", [now]);
  await db("rate_limits")
    .insert({ key, hits: 1, reset_at: now + windowMs })
    .onConflict("key")
    .merge({
      hits: db.raw("CASE WHEN ? THEN 1 ELSE rate_limits.hits + 1 END", [expired]),
      reset_at: db.raw("CASE WHEN ? THEN ? ELSE rate_limits.reset_at END", [
        expired,
        now + windowMs,
      ]),
    });
  const row = (await db("rate_limits").where({ key }).first(["hits", "reset_at"])) as RawCount;
  return toCount(row);
}

/** Takes back one hit (a request that turned out to succeed). */
export async function removeRateHit(db: Db, key: string): Promise<void> {
  await db("rate_limits").where({ key }).where("hits", ">", 0).decrement("hits", 1);
}

export async function clearRateCount(db: Db, key: string): Promise<void> {
  await db("rate_limits").where({ key }).delete();
}

/** Drops counters whose window has passed. */
export async function deleteExpiredRateCounts(db: Db, now = Date.now()): Promise<number> {
  return db("rate_limits").where("reset_at", "<=", now).delete();
}
