// Regression (issue 23, found by bench:consortium): PostgreSQL stores times to the microsecond
// but node-pg hands JavaScript Dates (milliseconds) back, so streamResponses' next page, which
// starts after the last (submitted_at, id) it saw, read again or skipped responses stored with
// sub-millisecond times (by plain SQL such as `now()`, or another program): exports repeated or
// lost rows, and the staff pages' kept responses never matched the count, so every request read
// the survey again (7 s a request at 40,000 responses). The responses' times are now kept to the
// millisecond on PostgreSQL (db/migrations/20261203201000_responses_time_milliseconds.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { streamResponses } from "../../server/queries/response-export.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import { seedNeedsResponses } from "../staff/seed.ts";

warnIfPostgresSkipped("Streaming responses with sub-millisecond times on PostgreSQL");

const SCHEMA = "response_stream_test";
const SLUG = "community-needs";

describe.runIf(postgresEnabled)("streaming responses on PostgreSQL", () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshPostgresSchema(SCHEMA);
    await syncSurveys(db, PROJECT_SURVEYS);
    await seedNeedsResponses(db, { count: 10, seed: 70 });
  }, 120_000);
  afterAll(() => dropPostgresSchema(db, SCHEMA));

  it("reads every response once when many were stored within one millisecond by plain SQL", async () => {
    // 40 copies of a stored response, 1 µs apart, all within one millisecond.
    await db.raw(
      `INSERT INTO responses (id, survey_slug, version_id, language, channel, submitted_at, data)
       SELECT md5(r.id || g)::uuid::text, r.survey_slug, r.version_id, r.language, r.channel,
         timestamptz '2026-02-01 10:00:00.123' + g * interval '1 microsecond', r.data
       FROM (SELECT * FROM responses LIMIT 1) r, generate_series(1, 40) g`,
    );
    const stored = (await db("responses").pluck("id")) as string[];
    expect(stored).toHaveLength(50);
    const read: string[] = [];
    for await (const response of streamResponses(db, { surveySlug: SLUG }, 7))
      read.push(response.id);
    expect(read).toHaveLength(stored.length);
    expect(new Set(read)).toEqual(new Set(stored));
  });
});
