// The same code on PostgreSQL: migrations up and down, survey sync and a submission.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { type Db, migrateLatest, migrationConfig } from "../../server/db.ts";
import { findResponse } from "../../server/queries/responses.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { newId, PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";

warnIfPostgresSkipped("PostgreSQL migration and submission tests");
const SCHEMA = "foundation_test";

describe.runIf(postgresEnabled)("PostgreSQL", () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshPostgresSchema(SCHEMA, { migrate: false });
  });
  afterAll(() => dropPostgresSchema(db, SCHEMA));

  it("migrates up, down to nothing, and up again", async () => {
    const applied = await migrateLatest(db);
    expect(applied.length).toBeGreaterThan(0);
    for (let i = 0; i < applied.length; i++) await db.migrate.down(migrationConfig());
    const tables = await db("information_schema.tables")
      .where({ table_schema: SCHEMA })
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
