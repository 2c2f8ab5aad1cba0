// The staff side on PostgreSQL: sessions in the database, login, CSRF, the overview's JSON
// queries, accounts and the audit log. Runs when TEST_DATABASE_URL names a PostgreSQL database
// (CI starts one), in a schema of its own so it never disturbs other PostgreSQL tests.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { createStaffAccount } from "../../server/auth/accounts.ts";
import type { Db } from "../../server/db.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
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
});
