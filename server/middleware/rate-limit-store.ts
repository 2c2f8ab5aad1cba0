// An express-rate-limit store that keeps its counters in the database (server/queries/rate-limits),
// so limits hold across server processes and restarts. One store per limiter, each with its prefix.
import type { ClientRateLimitInfo, Options, Store } from "express-rate-limit";
import type { Db } from "../db.ts";
import {
  addRateHit,
  clearRateCount,
  deleteExpiredRateCounts,
  findRateCount,
  removeRateHit,
} from "../queries/rate-limits.ts";

const CLEANUP_EVERY_MS = 15 * 60_000;

export class DatabaseRateStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  private lastCleanup = Date.now();

  constructor(
    private readonly db: Db,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const count = await findRateCount(this.db, this.prefix + key);
    return count && { totalHits: count.hits, resetTime: count.resetAt };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    this.cleanUpNowAndThen();
    const count = await addRateHit(this.db, this.prefix + key, this.windowMs);
    return { totalHits: count.hits, resetTime: count.resetAt };
  }

  async decrement(key: string): Promise<void> {
    await removeRateHit(this.db, this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await clearRateCount(this.db, this.prefix + key);
  }

  /** Old counters are harmless (a passed window starts again) but would pile up. */
  private cleanUpNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = now;
    deleteExpiredRateCounts(this.db, now).catch((error: unknown) =>
      console.error("[rate limits] removing expired counters failed:", error),
    );
  }
}
