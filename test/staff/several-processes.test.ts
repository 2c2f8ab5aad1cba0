// Several Node processes behind one proxy (issue 23, docs/CONSORTIUM.md): everything two server
// processes must agree on lives in the database, not in a process. Two apps on two database
// handles to the same database stand for two processes: a login made on one is valid on the
// other (sessions in the instance database), the submission rate limit counts the requests both
// served (rate_limits in the instance database), and a library created through one is served by
// the other, whose LibraryDatabases opens the new library's database on first use. On a SQLite
// file and, with TEST_DATABASE_URL, on PostgreSQL (the instance in a schema of its own).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import type { Config } from "../../server/config.ts";
import { type Db, openDb } from "../../server/db.ts";
import type { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import { schemaOf } from "../../server/libraries/library-databases.ts";
import { insertLibrary } from "../../server/queries/libraries.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { createTestDb, newId, PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import { addStaffAccount, csrfToken, PASSWORD } from "./helpers.ts";

warnIfPostgresSkipped("Several server processes on PostgreSQL");

const LIMIT = 3;
const SURVEY = "community-needs";
const EMAIL = "two-processes@library.test";

type App = ReturnType<typeof createApp>;

/** The cookies a browser holds after logging in on `app`, as one Cookie header. */
async function login(app: App): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (res: request.Response) => {
    const lines = res.headers["set-cookie"] as unknown as string[] | undefined;
    for (const line of lines ?? []) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const page = await request(app).get("/staff/login");
  keep(page);
  const res = await request(app)
    .post("/staff/login")
    .set("Cookie", header())
    .type("form")
    .send({ email: EMAIL, password: PASSWORD, _csrf: csrfToken(page.text) });
  expect(res.status).toBe(303);
  keep(res);
  return header();
}

const response = () => ({
  id: newId(),
  language: "en",
  channel: "web",
  data: { library_use: "weekly", barriers: ["hours"], feel_welcome: 4, age_band: "25_34" },
});

interface Setting {
  name: string;
  /** The database both processes open, the first one migrated. */
  open(): Promise<{ config: Config; first: Db; second: Db; slug: string; done(): Promise<void> }>;
}

const settings: Setting[] = [
  {
    name: "a SQLite file",
    async open() {
      const dir = mkdtempSync(path.join(tmpdir(), "od-two-processes-"));
      const config = testConfig({
        database: { client: "sqlite3", filename: path.join(dir, "od.sqlite") },
        surveysDir: PROJECT_SURVEYS,
        submitRateLimit: LIMIT,
        // Behind a proxy, as in production: each test's clients come from addresses of their own.
        trustProxy: 1,
      });
      const first = await createTestDb(config);
      const second = openDb(config.database);
      return {
        config,
        first,
        second,
        slug: "riverside",
        async done() {
          await Promise.all([first.destroy(), second.destroy()]);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
if (postgresEnabled) {
  settings.push({
    name: "PostgreSQL",
    async open() {
      const schema = "several_processes_test";
      const first = await freshPostgresSchema(schema);
      const connection = first.client.config.connection as { connectionString: string };
      const config = testConfig({
        database: { client: "pg", connectionString: connection.connectionString },
        surveysDir: PROJECT_SURVEYS,
        submitRateLimit: LIMIT,
        // Behind a proxy, as in production: each test's clients come from addresses of their own.
        trustProxy: 1,
      });
      // Library schemas are database-wide: a slug of this file's own.
      const slug = "two-process-lib";
      await first.raw(`DROP SCHEMA IF EXISTS "${schemaOf(slug)}" CASCADE`);
      const second = openDb(config.database);
      return {
        config,
        first,
        second,
        slug,
        async done() {
          await second.destroy();
          await first.raw(`DROP SCHEMA IF EXISTS "${schemaOf(slug)}" CASCADE`);
          await dropPostgresSchema(first, schema);
        },
      };
    },
  });
}

describe.each(settings)("two server processes on $name", ({ open }) => {
  let setting: Awaited<ReturnType<Setting["open"]>>;
  let one: App;
  let two: App;

  beforeAll(async () => {
    setting = await open();
    await syncSurveys(setting.first, PROJECT_SURVEYS);
    await addStaffAccount(setting.first, EMAIL, "admin");
    one = createApp({ db: setting.first, config: setting.config });
    two = createApp({ db: setting.second, config: setting.config });
  }, 120_000);
  afterAll(async () => {
    for (const app of [one, two]) await (app?.locals.libraries as LibraryDatabases)?.close();
    await setting?.done();
  });

  it("accept a login made on one process on the other", async () => {
    const cookie = await login(one);
    const page = await request(two).get("/staff").set("Cookie", cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain(EMAIL);
    // Without the cookie the second process asks for a login: the session is what it read.
    expect((await request(two).get("/staff")).status).toBe(303);
  });

  it("count the submission rate limit over the requests both processes served", async () => {
    const url = `/api/surveys/${SURVEY}/responses`;
    const send = (app: App, from = "192.0.2.1") =>
      request(app).post(url).set("X-Forwarded-For", from).send(response());
    const statuses: number[] = [];
    for (const app of [one, two, one]) statuses.push((await send(app)).status);
    expect(statuses).toEqual([201, 201, 201]);
    // The fourth from the same address is over the limit on either process.
    expect((await send(two)).status).toBe(429);
    expect((await send(one)).status).toBe(429);
    // Another address is not.
    expect((await send(two, "192.0.2.2")).status).toBe(201);
  });

  it("serve a library created through one process from the other", async () => {
    const library = await insertLibrary(setting.first, { slug: setting.slug, name: "Riverside" });
    const libraryDb = await (one.locals.libraries as LibraryDatabases).db(library);
    await syncSurveys(libraryDb, PROJECT_SURVEYS);
    const page = await request(two).get(`/l/${setting.slug}/s/${SURVEY}`);
    expect(page.status).toBe(200);
    // A submission through the second process lands in the library's own database.
    const sent = response();
    const res = await request(two)
      .post(`/l/${setting.slug}/api/surveys/${SURVEY}/responses`)
      .set("X-Forwarded-For", "192.0.2.7")
      .send(sent);
    expect(res.status).toBe(201);
    expect(await libraryDb("responses").pluck("id")).toEqual([sent.id]);
    expect(await setting.first("responses").where({ id: sent.id }).first()).toBeUndefined();
  });
});
