// Issue 15: when the database is locked (another process holds its write lock) or unavailable,
// the API answers 503 with Retry-After quickly, /healthz says the database is not writable, and
// nothing is half-stored. A real SQLite file, locked by a second connection's write transaction.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import vm from "node:vm";
import sqlite3 from "sqlite3";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { ROOT_DIR } from "../../server/config.ts";
import { BUSY_TIMEOUT_MS, type Db, migrateLatest, openDb } from "../../server/db.ts";
import { RETRY_AFTER_SECONDS } from "../../server/middleware/errors.ts";
import { countResponses, findResponse } from "../../server/queries/responses.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { FIXTURE_SURVEYS, newId, testConfig } from "../helpers/app.ts";

const URL = "/api/surveys/every-type/responses";
const envelope = () => ({
  id: newId(),
  language: "en",
  channel: "kiosk",
  data: { use: "weekly", welcome: 4 },
});

let dir: string;
let db: Db;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "opendoor-locked-"));
  const filename = path.join(dir, "opendoor.sqlite");
  const config = testConfig({
    database: { client: "sqlite3", filename },
    surveysDir: FIXTURE_SURVEYS,
  });
  db = openDb(config.database);
  await migrateLatest(db);
  await syncSurveys(db, FIXTURE_SURVEYS);
  app = createApp({ db, config });
});

afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** A second connection (another process, as an import would be) holding the write lock. */
async function lockDatabase(): Promise<{ release(): Promise<void> }> {
  const other = new sqlite3.Database(path.join(dir, "opendoor.sqlite"));
  const run = (sql: string) =>
    new Promise<void>((resolve, reject) =>
      other.exec(sql, (err) => (err ? reject(err) : resolve())),
    );
  await run("BEGIN IMMEDIATE");
  return {
    async release() {
      await run("ROLLBACK");
      await new Promise<void>((resolve) => other.close(() => resolve()));
    },
  };
}

describe("a locked database", () => {
  it("answers 503 with Retry-After within the busy timeout, and stores the response once it is free", async () => {
    const body = envelope();
    const lock = await lockDatabase();
    let res: request.Response;
    const started = Date.now();
    try {
      res = await request(app).post(URL).send(body);
    } finally {
      await lock.release();
    }
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(res.body.error).toMatch(/database is busy or unavailable; nothing was stored/);
    expect(elapsed).toBeLessThan(BUSY_TIMEOUT_MS + 2000);
    expect(await findResponse(db, body.id)).toBeUndefined();

    // What the kiosk outbox does next: send the same response again.
    const retry = await request(app).post(URL).send(body);
    expect(retry.status).toBe(201);
    expect(await findResponse(db, body.id)).toBeDefined();
  });

  it("fails many waiting submissions together, not one busy timeout after another", async () => {
    const bodies = Array.from({ length: 8 }, envelope);
    const before = await countResponses(db);
    const lock = await lockDatabase();
    const started = Date.now();
    let replies: request.Response[];
    try {
      replies = await Promise.all(bodies.map((body) => request(app).post(URL).send(body)));
    } finally {
      await lock.release();
    }
    const elapsed = Date.now() - started;
    expect(replies.map((r) => r.status)).toEqual(bodies.map(() => 503));
    // Serial retries would take 8 × the busy timeout; the group commit fails them as one batch
    // (a second batch may form while the first waits).
    expect(elapsed).toBeLessThan(3 * BUSY_TIMEOUT_MS + 2000);
    expect(await countResponses(db)).toBe(before);
  });

  it("/healthz answers 503 and says the database is not writable, then ok once it is free", async () => {
    const lock = await lockDatabase();
    let res: request.Response;
    try {
      res = await request(app).get("/healthz");
    } finally {
      await lock.release();
    }
    expect(res.status).toBe(503);
    expect(res.headers["retry-after"]).toBeDefined();
    expect(res.body).toMatchObject({ status: "unavailable", database: "not writable" });
    expect(res.body.error).toMatch(/does not accept writes/);

    const again = await request(app).get("/healthz");
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: "ok" });
  });

  it("/healthz answers 503 'not answering' when the database is closed", async () => {
    const config = testConfig({ surveysDir: FIXTURE_SURVEYS });
    const closed = openDb(config.database);
    await migrateLatest(closed);
    const closedApp = createApp({ db: closed, config });
    expect((await request(closedApp).get("/healthz")).status).toBe(200);
    await closed.destroy();
    const res = await request(closedApp).get("/healthz");
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: "unavailable", database: "not answering" });
  });

  it("the kiosk outbox keeps a response the server could not store and sends it after Retry-After", async () => {
    // public/js/outbox.js as the browser runs it, sending through this app with real HTTP.
    const context = vm.createContext({ crypto: globalThis.crypto });
    vm.runInContext(
      readFileSync(path.join(ROOT_DIR, "public", "js", "outbox.js"), "utf8"),
      context,
    );
    const items = new Map<string, string>();
    const timers: { fn: () => void; ms: number }[] = [];
    const outbox = context.OpenDoorOutbox.create({
      storage: {
        getItem: (key: string) => items.get(key) ?? null,
        setItem: (key: string, value: string) => items.set(key, value),
        removeItem: (key: string) => items.delete(key),
      },
      locks: null,
      random: () => 1,
      setTimeout: (fn: () => void, ms: number) => timers.push({ fn, ms }),
      clearTimeout: () => {},
      fetch: async (url: string, init: { body: string }) => {
        const res = await request(app)
          .post(url)
          .set("Content-Type", "application/json")
          .send(init.body);
        return {
          status: res.status,
          headers: { get: (name: string) => res.headers[name.toLowerCase()] ?? null },
          json: async () => res.body,
        };
      },
    });
    const body = envelope();
    const lock = await lockDatabase();
    try {
      await outbox.add(URL, body);
    } finally {
      await lock.release();
    }
    expect(outbox.counts()).toEqual({ pending: 1, rejected: 0 });
    // The first wait would be 2 s; the server asked for RETRY_AFTER_SECONDS.
    expect(timers.at(-1)?.ms).toBe(RETRY_AFTER_SECONDS * 1000);
    expect(await findResponse(db, body.id)).toBeUndefined();

    timers.pop()?.fn();
    await outbox.flush();
    expect(outbox.counts()).toEqual({ pending: 0, rejected: 0 });
    expect(await findResponse(db, body.id)).toBeDefined();
  });
});
