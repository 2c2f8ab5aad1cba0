// Regression: failed-login counters lived in each process's memory, so a second server process
// did not see them and a restart unlocked a locked account. They are in the database now.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { createStaffAccount } from "../../server/auth/accounts.ts";
import { type Db, migrateLatest, openDb } from "../../server/db.ts";
import { minutesUntil } from "../../server/middleware/login-limits.ts";
import { addRateHit, findRateCount } from "../../server/queries/rate-limits.ts";
import { testConfig } from "../helpers/app.ts";
import { csrfToken, FAST_SCRYPT, PASSWORD } from "./helpers.ts";

const dir = mkdtempSync(path.join(tmpdir(), "opendoor-limits-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = testConfig({
  database: { client: "sqlite3", filename: path.join(dir, "limits.sqlite") },
  staff: {
    sessionIdleMinutes: 60,
    cookieSecure: "auto",
    loginLimitPerAccount: 3,
    loginLimitPerAddress: 100,
    uploadMaxMb: 10,
  },
});

const EMAIL = "locked@library.test";

async function attempt(app: ReturnType<typeof createApp>, password: string) {
  const agent = request.agent(app);
  const token = csrfToken((await agent.get("/staff/login")).text);
  return agent.post("/staff/login").type("form").send({ email: EMAIL, password, _csrf: token });
}

describe("failed-login limits", () => {
  it("lock an account for every server process and across a restart, and say when to try again", async () => {
    let db: Db = openDb(config.database);
    await migrateLatest(db);
    await createStaffAccount(
      db,
      { email: EMAIL, password: PASSWORD, role: "staff" },
      null,
      FAST_SCRYPT,
    );
    // Two processes: two apps, each with its own middleware, one database.
    const first = createApp({ db, config });
    const second = createApp({ db, config });
    for (let i = 0; i < 3; i++) expect((await attempt(first, "wrong password!!")).status).toBe(401);
    const elsewhere = await attempt(second, PASSWORD);
    expect(elsewhere.status).toBe(429);
    expect(elsewhere.text).toContain(
      "Too many failed logins for this account. Try again in 15 minutes",
    );
    await db.destroy();

    // A restart: a new connection and a new app on the same database file.
    db = openDb(config.database);
    try {
      const restarted = createApp({ db, config });
      expect((await attempt(restarted, PASSWORD)).status).toBe(429);
      // Once the window has passed, the right password works again.
      await db("rate_limits").update({ reset_at: Date.now() - 1 });
      expect((await attempt(restarted, PASSWORD)).status).toBe(303);
      // The limiter takes back a successful login's hit after the response has gone.
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await db.destroy();
    }
  });

  it("count every hit when many arrive at once", async () => {
    const db = openDb({ client: "sqlite3", filename: path.join(dir, "race.sqlite") });
    try {
      await migrateLatest(db);
      await Promise.all(Array.from({ length: 25 }, () => addRateHit(db, "k", 60_000)));
      expect((await findRateCount(db, "k"))?.hits).toBe(25);
    } finally {
      await db.destroy();
    }
  });

  it("start a new window once the old one has passed", async () => {
    const db = openDb({ client: "sqlite3", filename: path.join(dir, "window.sqlite") });
    try {
      await migrateLatest(db);
      const start = 1_000_000;
      await addRateHit(db, "k", 60_000, start);
      expect(await addRateHit(db, "k", 60_000, start + 1000)).toEqual({
        hits: 2,
        resetAt: new Date(start + 60_000),
      });
      expect(await addRateHit(db, "k", 60_000, start + 60_000)).toEqual({
        hits: 1,
        resetAt: new Date(start + 120_000),
      });
    } finally {
      await db.destroy();
    }
  });

  it("round the wait up to whole minutes, never below one", () => {
    const now = 0;
    expect(minutesUntil(new Date(61_000), now)).toBe(2);
    expect(minutesUntil(new Date(1), now)).toBe(1);
    expect(minutesUntil(new Date(-5), now)).toBe(1);
  });
});
