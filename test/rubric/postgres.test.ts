// The rubric on PostgreSQL: assessments stored and read back alike (booleans, dates, links), the
// score check in the table itself, and the same evidence as on SQLite from the same seeded data.
// Runs when TEST_DATABASE_URL names a PostgreSQL database (CI starts one); skipped loudly
// otherwise. It works in a schema of its own, so it never meets the other PostgreSQL tests' tables.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { deleteAssessment, listAssessments } from "../../server/queries/rubric.ts";
import { buildRubricEvidence } from "../../server/reports/rubric-evidence.ts";
import { recordAssessment } from "../../server/rubric/assessments.ts";
import { getRubric } from "../../server/rubric/rubric.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { createTestDb, PROJECT_SURVEYS } from "../helpers/app.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import { seedCommunity, seedResponses } from "./helpers.ts";

warnIfPostgresSkipped("Rubric PostgreSQL tests");

const SCHEMA = "rubric_test";

/** The same responses and census data on each database. */
async function seed(db: Db): Promise<void> {
  await syncSurveys(db, PROJECT_SURVEYS);
  const base = { library_use: "weekly", home_languages: ["english"], age_band: "25_34" };
  await seedResponses(db, "community-needs", 25, { data: base });
  await seedResponses(db, "community-needs", 12, {
    language: "es",
    data: { ...base, library_use: "never", home_languages: ["spanish"], age_band: "65_74" },
  });
  await seedResponses(db, "non-user-interview", 11, {
    channel: "interview",
    data: { consent: true, interview_setting: "one_on_one" },
  });
  await seedResponses(db, "program-outcome", 14, { data: { program_name: "Robot club" } });
  await seedCommunity(db, {
    language: { "English only": 5000, Spanish: 4000, Korean: 1000 },
    age: { "Under 18 years": 2000, "18 to 64 years": 6000, "65 years and over": 2000 },
  });
}

describe.runIf(postgresEnabled)("the rubric on PostgreSQL", () => {
  let db: Db;
  let sqlite: Db;
  beforeAll(async () => {
    db = await freshPostgresSchema(SCHEMA);
    sqlite = await createTestDb();
    for (const target of [db, sqlite]) await seed(target);
  }, 120_000);
  afterAll(async () => {
    await dropPostgresSchema(db, SCHEMA);
    await sqlite?.destroy();
  });

  it("computes the same evidence as SQLite", async () => {
    const onPostgres = await buildRubricEvidence(db, { suppressBelow: 10 });
    const onSqlite = await buildRubricEvidence(sqlite, { suppressBelow: 10 });
    expect(onPostgres).toEqual(onSqlite);
    expect(onPostgres.needs_assessment.lists.length).toBe(2);
    expect(onPostgres.program_evaluation.lists[0]?.items).toEqual(["Robot club: 14 / 0"]);
  });

  it("stores an assessment and reads it back as SQLite does", async () => {
    const form = {
      assessed_on: "2026-05-04",
      participants: "Team",
      score_a: "4",
      score_f: "8",
      met_a1: "on",
      links_a1: "/staff/gaps",
      next_steps: "Next",
    };
    const stored = [];
    for (const target of [db, sqlite]) {
      const id = await recordAssessment(target, getRubric(), form, null);
      const [record] = (await listAssessments(target)).filter((a) => a.id === id);
      stored.push({ ...record, createdAt: undefined });
    }
    expect(stored[0]).toEqual(stored[1]);
    expect(stored[0]).toMatchObject({
      scores: { a: 4, f: 8 },
      indicators: { a1: { met: true, links: ["/staff/gaps"] } },
    });
    expect(stored[0]?.indicators?.b1).toEqual({ met: false, notes: "", links: [] });
    expect(await deleteAssessment(db, stored[0]?.id as number)).toBe(true);
  });

  it("refuses a score outside 1–10 in the table itself", async () => {
    const [row] = (await db("rubric_assessments")
      .insert({ assessed_on: "2026-05-04", participants: "x", next_steps: "" })
      .returning("id")) as Array<{ id: number }>;
    await expect(
      db("rubric_scores").insert({ assessment_id: row?.id, end_goal_id: "a", score: 11 }),
    ).rejects.toThrow(/check/i);
  });
});
