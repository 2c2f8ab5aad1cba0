// The kept responses and tables on PostgreSQL (issue 21): new responses are found by the `seq`
// column the insert trigger fills, counts come from the triggers' counters; the kept results must
// equal a computation from scratch by a handle that keeps nothing, after inserts (one dated
// before all others) and a delete.
import knex from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { readDataStamp } from "../../server/queries/data-versions.ts";
import { fieldworkReport } from "../../server/reports/fieldwork.ts";
import { enableResponseCache, responseCacheSize } from "../../server/reports/response-store.ts";
import { surveyCrossTab, surveyResults } from "../../server/reports/survey-results.ts";
import { respondedLocations } from "../../server/reports/survey-scope.ts";
import { surveyFacets } from "../../server/reports/view-privacy.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import { seedNeedsResponses } from "./seed.ts";

warnIfPostgresSkipped("Kept results on PostgreSQL");

const SCHEMA = "response_store_test";
const SLUG = "community-needs";

describe.runIf(postgresEnabled)("kept responses and tables on PostgreSQL", () => {
  let kept: Db;
  let fresh: Db;

  beforeAll(async () => {
    kept = await freshPostgresSchema(SCHEMA);
    await syncSurveys(kept, PROJECT_SURVEYS);
    await seedNeedsResponses(kept, { count: 60, seed: 4 });
    enableResponseCache(kept, { maxResponses: 10_000 });
    fresh = knex(kept.client.config) as Db;
  }, 120_000);
  afterAll(async () => {
    await fresh.destroy();
    await dropPostgresSchema(kept, SCHEMA);
  });

  const everything = async (db: Db) =>
    JSON.parse(
      JSON.stringify([
        await surveyResults(db, { slug: SLUG }, { groupBy: "useStatus" }),
        await surveyResults(db, { slug: SLUG, filter: { languages: ["es"] } }),
        await surveyCrossTab(db, { slug: SLUG }, { question: "library_use" }, { group: "channel" }),
        await fieldworkReport(db, SLUG, { suppressBelow: 10, today: new Date("2026-04-02") }),
        // Counted from the kept responses, and from scratch in SQL (the use answer as JSON).
        await surveyFacets(db, SLUG, { question: "library_use", nonUserValues: ["never"] }),
        await respondedLocations(db, SLUG),
      ]),
    ) as unknown;

  it("equal a computation from scratch after new responses and a delete", async () => {
    expect(await everything(kept)).toEqual(await everything(fresh));
    await seedNeedsResponses(kept, { count: 8, seed: 5, end: new Date("2026-05-01"), days: 1 });
    expect(await everything(kept)).toEqual(await everything(fresh));
    await seedNeedsResponses(kept, { count: 3, seed: 6, end: new Date("2025-01-01"), days: 1 });
    expect(await everything(kept)).toEqual(await everything(fresh));
    const [first] = (await fresh("responses").where({ survey_slug: SLUG }).pluck("id")) as string[];
    await fresh("responses").where({ id: first }).delete();
    const after = await everything(kept);
    expect(after).toEqual(await everything(fresh));
    const count = Number((await fresh("responses").count({ n: "*" }))[0]?.n);
    expect(await readDataStamp(fresh, SLUG)).toMatchObject({ count });
    expect(responseCacheSize(kept).responses).toBe(count);
  }, 120_000);
});
