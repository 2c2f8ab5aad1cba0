// Issue 15 on PostgreSQL: the same id with the same content is 200, with other content 409, also
// when both arrive in one group-commit batch; /healthz's write probe works there too.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { type Db, openDb } from "../../server/db.ts";
import { findResponse } from "../../server/queries/responses.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { FIXTURE_SURVEYS, newId, testConfig } from "../helpers/app.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";

warnIfPostgresSkipped("PostgreSQL submission conflict tests");
const SCHEMA = "submit_conflict_test";
const RESPONSES = "/api/surveys/every-type/responses";
const valid = { use: "weekly", barriers: ["hours"], welcome: 4 };

describe.runIf(postgresEnabled)("submissions on PostgreSQL", () => {
  let db: Db;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    db = await freshPostgresSchema(SCHEMA);
    await syncSurveys(db, FIXTURE_SURVEYS);
    app = createApp({ db, config: testConfig({ surveysDir: FIXTURE_SURVEYS }) });
  });
  afterAll(() => dropPostgresSchema(db, SCHEMA));

  const envelope = () => ({
    id: newId(),
    language: "en",
    channel: "web",
    location: "central",
    startedAt: new Date().toISOString(),
    data: valid,
  });

  it("answers a replay with the same content 200 and with other content 409, the stored response unchanged", async () => {
    const body = envelope();
    expect((await request(app).post(RESPONSES).send(body)).status).toBe(201);
    const stored = await findResponse(db, body.id);
    const replay = await request(app).post(RESPONSES).send(body);
    expect([replay.status, replay.body]).toEqual([200, { id: body.id, duplicate: true }]);
    const changed = await request(app)
      .post(RESPONSES)
      .send({ ...body, data: { ...valid, welcome: 1 } });
    expect(changed.status).toBe(409);
    expect(changed.body.details).toEqual([
      { question: "welcome", message: "differs from the response already stored under this id" },
    ]);
    expect(await findResponse(db, body.id)).toEqual(stored);
  });

  it("stores one of two different responses with one id sent at once, and refuses the other", async () => {
    const body = envelope();
    const replies = await Promise.all([
      request(app).post(RESPONSES).send(body),
      request(app)
        .post(RESPONSES)
        .send({ ...body, language: "es" }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("keeps a plausible start time and drops one from before the survey existed", async () => {
    const body = { ...envelope(), startedAt: "2001-01-01T00:00:00Z" };
    expect((await request(app).post(RESPONSES).send(body)).status).toBe(201);
    expect((await findResponse(db, body.id))?.startedAt).toBeNull();
  });

  it("/healthz finds the database writable", async () => {
    const res = await request(app).get("/healthz");
    expect([res.status, res.body]).toEqual([200, { status: "ok" }]);
  });

  it("on a read-only server (a standby): /healthz says not writable and submissions get 503 with Retry-After", async () => {
    const address = new URL(process.env.TEST_DATABASE_URL ?? "");
    address.searchParams.set(
      "options",
      `-c search_path=${SCHEMA} -c default_transaction_read_only=on`,
    );
    const readOnly = openDb({ client: "pg", connectionString: address.toString() });
    try {
      const standby = createApp({
        db: readOnly,
        config: testConfig({ surveysDir: FIXTURE_SURVEYS }),
      });
      const health = await request(standby).get("/healthz");
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: "unavailable", database: "not writable" });
      const body = envelope();
      const res = await request(standby).post(RESPONSES).send(body);
      expect(res.status).toBe(503);
      expect(res.headers["retry-after"]).toBeDefined();
      expect(await findResponse(db, body.id)).toBeUndefined();
    } finally {
      await readOnly.destroy();
    }
  });
});
