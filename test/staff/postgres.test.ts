// The staff side on PostgreSQL: sessions in the database, login, CSRF, the overview's JSON
// queries, accounts and the audit log. Runs when TEST_DATABASE_URL names a PostgreSQL database
// (CI starts one), in a schema of its own so it never disturbs other PostgreSQL tests.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import {
  changeStaffRole,
  createPasswordReset,
  createStaffAccount,
  findPasswordReset,
} from "../../server/auth/accounts.ts";
import type { Db } from "../../server/db.ts";
import { createEnrolmentCode, enrolDevice } from "../../server/kiosk/enrolment.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import {
  findFieldworkEndDate,
  replaceFieldworkTargets,
  saveFieldworkEndDate,
} from "../../server/queries/fieldwork-targets.ts";
import { listEnrolmentCodes } from "../../server/queries/kiosk-enrolment.ts";
import { addRateHit, findRateCount } from "../../server/queries/rate-limits.ts";
import { countResponseFacets } from "../../server/queries/response-summary.ts";
import { findStaffUserByEmail } from "../../server/queries/staff-users.ts";
import { fieldworkReport } from "../../server/reports/fieldwork.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { createTestDb, PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import { csrfToken, FAST_SCRYPT, PASSWORD } from "./helpers.ts";
import { seedNeedsResponses } from "./seed.ts";

warnIfPostgresSkipped("Staff PostgreSQL tests");

const SCHEMA = "staff_pages_test";

describe.runIf(postgresEnabled)("staff pages on PostgreSQL", () => {
  let db: Db;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    db = await freshPostgresSchema(SCHEMA);
    await syncSurveys(db, PROJECT_SURVEYS);
    await seedNeedsResponses(db, { count: 60 });
    await createStaffAccount(
      db,
      { email: "admin@library.test", password: PASSWORD, role: "admin" },
      null,
      FAST_SCRYPT,
    );
    app = createApp({ db, config: testConfig({ surveysDir: PROJECT_SURVEYS }) });
  }, 120_000);
  afterAll(async () => {
    await dropPostgresSchema(db, SCHEMA);
  });

  it("counts the response facets the suppression planner reads exactly as SQLite does (issue 13)", async () => {
    // Same seed on both databases: every facet (language, channel, location, day, the use
    // answer parsed back from JSON) and its count must agree, or views would be checked wrongly.
    const sqlite = await createTestDb(testConfig({ surveysDir: PROJECT_SURVEYS }));
    try {
      await syncSurveys(sqlite, PROJECT_SURVEYS);
      await seedNeedsResponses(sqlite, { count: 60 });
      const sorted = (facets: Awaited<ReturnType<typeof countResponseFacets>>) =>
        facets
          .map((f) =>
            JSON.stringify([f.language, f.channel, f.location, f.day, f.useAnswer, f.count]),
          )
          .sort();
      const onPostgres = await countResponseFacets(db, "community-needs", "library_use");
      expect(onPostgres.reduce((sum, f) => sum + f.count, 0)).toBe(60);
      expect(onPostgres.some((f) => f.useAnswer === "never")).toBe(true);
      expect(sorted(onPostgres)).toEqual(
        sorted(await countResponseFacets(sqlite, "community-needs", "library_use")),
      );
    } finally {
      await sqlite.destroy();
    }
  });

  it("gives the fieldwork guide's numbers and targets as SQLite does (issue 18)", async () => {
    const sqlite = await createTestDb(testConfig({ surveysDir: PROJECT_SURVEYS }));
    try {
      await syncSurveys(sqlite, PROJECT_SURVEYS);
      await seedNeedsResponses(sqlite, { count: 60 });
      for (const on of [db, sqlite]) {
        await replaceFieldworkTargets(
          on,
          "community-needs",
          "age",
          [{ category: null, target: 200 }],
          "t",
        );
        await saveFieldworkEndDate(on, "community-needs", "2026-06-30", "t");
      }
      const today = new Date("2026-04-01T12:00:00Z");
      const onPostgres = await fieldworkReport(db, "community-needs", { suppressBelow: 10, today });
      const onSqlite = await fieldworkReport(sqlite, "community-needs", {
        suppressBelow: 10,
        today,
      });
      expect(onPostgres).toEqual(onSqlite);
      expect(await findFieldworkEndDate(db, "community-needs")).toBe("2026-06-30");
    } finally {
      await sqlite.destroy();
    }
  });

  it("logs in with a session stored in PostgreSQL and shows the overview", async () => {
    const agent = request.agent(app);
    const page = await agent.get("/staff/login");
    const login = await agent
      .post("/staff/login")
      .type("form")
      .send({ email: "admin@library.test", password: PASSWORD, _csrf: csrfToken(page.text) });
    expect(login.status).toBe(303);
    const [sessions] = await db("sessions").count({ n: "*" });
    expect(Number(sessions?.n)).toBeGreaterThanOrEqual(1);
    const overview = await agent.get("/staff");
    expect(overview.status).toBe(200);
    expect(overview.text).toMatch(/<td class="num">\d+ \(\d+%\)<\/td>/);
    const results = await agent.get("/staff/surveys/community-needs?group=useStatus");
    expect(results.status).toBe(200);
    const users = await agent.get("/staff/users");
    const add = await agent
      .post("/staff/users")
      .type("form")
      .send({
        email: "new@library.test",
        password: "another long password",
        role: "staff",
        _csrf: csrfToken(users.text),
      });
    expect(add.status).toBe(303);
    expect((await listAudit(db, { action: "user.add" }))[0]?.target).toBe("new@library.test");
  });

  it("ends every session of an account whose role changes, through the session epoch", async () => {
    const agent = request.agent(app);
    const page = await agent.get("/staff/login");
    await agent
      .post("/staff/login")
      .type("form")
      .send({
        email: "new@library.test",
        password: "another long password",
        _csrf: csrfToken(page.text),
      });
    expect((await agent.get("/staff").set("Accept", "text/html")).status).toBe(200);
    const user = await findStaffUserByEmail(db, "new@library.test");
    await changeStaffRole(db, Number(user?.id), "analyst", null);
    expect((await agent.get("/staff").set("Accept", "text/html")).status).toBe(303);
  });

  it("counts rate-limit hits atomically and starts a new window after the old one", async () => {
    await Promise.all(Array.from({ length: 20 }, () => addRateHit(db, "pg-key", 60_000)));
    expect((await findRateCount(db, "pg-key"))?.hits).toBe(20);
    const start = 5_000_000;
    await addRateHit(db, "pg-window", 60_000, start);
    expect(await addRateHit(db, "pg-window", 60_000, start + 60_000)).toEqual({
      hits: 1,
      resetAt: new Date(start + 120_000),
    });
  });

  it("keeps password links and kiosk enrolment codes working on PostgreSQL", async () => {
    const user = await findStaffUserByEmail(db, "new@library.test");
    const { token } = await createPasswordReset(db, Number(user?.id), null);
    expect((await findPasswordReset(db, token)).user.email).toBe("new@library.test");
    const { code } = await createEnrolmentCode(db, "PostgreSQL tablets", null);
    expect(await enrolDevice(db, { code })).toBeDefined();
    const [listed] = await listEnrolmentCodes(db);
    expect(listed).toMatchObject({ label: "PostgreSQL tablets", devices: 1, revokedAt: null });
  });
});
