// The same code on PostgreSQL: migrations up and down, survey sync and a submission.
// Runs when TEST_DATABASE_URL names a PostgreSQL database (CI starts one); skipped loudly otherwise.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { type Db, migrateLatest, migrationConfig, openDb } from "../../server/db.ts";
import { findResponse } from "../../server/queries/responses.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { newId, PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";

const url = process.env.TEST_DATABASE_URL;
const enabled = Boolean(url?.startsWith("postgres"));
if (!enabled) {
  console.warn(
    "\n*** PostgreSQL tests SKIPPED: set TEST_DATABASE_URL=postgres://… to run them (CI does). ***\n",
  );
}

describe.runIf(enabled)("PostgreSQL", () => {
  let db: Db;
  beforeAll(async () => {
    db = openDb({ client: "pg", connectionString: url as string });
    // Start from an empty schema so the run is repeatable.
    await db.raw("drop schema public cascade");
    await db.raw("create schema public");
  });
  afterAll(() => db?.destroy());

  it("migrates up, down to nothing, and up again", async () => {
    const applied = await migrateLatest(db);
    expect(applied.length).toBeGreaterThan(0);
    for (let i = 0; i < applied.length; i++) await db.migrate.down(migrationConfig());
    const tables = await db("information_schema.tables")
      .where({ table_schema: "public" })
      .pluck("table_name");
    expect(tables.sort()).toEqual(["knex_migrations", "knex_migrations_lock"]);
    expect(await migrateLatest(db)).toEqual(applied);
  });

  it("syncs the surveys and stores a response once", async () => {
    const config = testConfig({ surveysDir: PROJECT_SURVEYS });
    await syncSurveys(db, PROJECT_SURVEYS);
    const app = createApp({ db, config });
    const id = newId();
    const body = {
      id,
      language: "ko",
      channel: "web",
      data: { library_use: "never", barriers: ["language", "hours"], barriers_main: "language" },
    };
    const first = await request(app).post("/api/surveys/community-needs/responses").send(body);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await request(app).post("/api/surveys/community-needs/responses").send(body);
    expect(again.body).toEqual({ id, duplicate: true });
    const stored = await findResponse(db, id);
    expect(stored?.data).toEqual(body.data);
    expect(stored?.submittedAt).toBeInstanceOf(Date);
    const home = await request(app).get("/?lang=ko");
    expect(home.text).toContain("/s/community-needs?lang=ko");
  });
});
