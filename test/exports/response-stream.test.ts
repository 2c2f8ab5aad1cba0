import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import {
  countMatchingResponses,
  matchingVersionIds,
  streamResponses,
} from "../../server/queries/response-export.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { createTestDb } from "../helpers/app.ts";
import { RESULTS_SURVEYS_DIR, response, storeResponses } from "../results/helpers.ts";

let db: Db;
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  db = await createTestDb();
  await syncSurveys(db, RESULTS_SURVEYS_DIR);
  // Three responses share a timestamp, so pages must break ties by id.
  await storeResponses(db, "all-types", [
    response({ use: "weekly" }, { id: "e", submittedAt: at("2024-01-03T00:00:00Z") }),
    response({ use: "weekly" }, { id: "c", submittedAt: at("2024-01-02T00:00:00Z") }),
    response({ use: "never" }, { id: "a", submittedAt: at("2024-01-02T00:00:00Z") }),
    response({ use: "never" }, { id: "b", submittedAt: at("2024-01-02T00:00:00Z") }),
    response({ use: "never" }, { id: "d", submittedAt: at("2024-01-01T00:00:00Z") }),
  ]);
});

afterAll(async () => {
  await db.destroy();
});

async function ids(pageSize: number, filter = {}) {
  const seen: string[] = [];
  for await (const r of streamResponses(db, { surveySlug: "all-types", ...filter }, pageSize)) {
    seen.push(r.id);
  }
  return seen;
}

describe("streamResponses", () => {
  it("reads every response once, in submission order then id, whatever the page size", async () => {
    for (const pageSize of [1, 2, 3, 5, 1000]) {
      expect(await ids(pageSize)).toEqual(["d", "a", "b", "c", "e"]);
    }
  });

  it("applies the filter on every page and returns the stored data", async () => {
    expect(
      await ids(1, { from: at("2024-01-02T00:00:00Z"), to: at("2024-01-03T00:00:00Z") }),
    ).toEqual(["a", "b", "c"]);
    const all = [];
    for await (const r of streamResponses(db, { surveySlug: "all-types" }, 1)) all.push(r);
    const first = all[0];
    expect(first?.data).toEqual({ use: "never" });
    expect(first?.submittedAt.toISOString()).toBe("2024-01-01T00:00:00.000Z");
  });

  it("counts the matching responses and names their versions", async () => {
    expect(await countMatchingResponses(db, { surveySlug: "all-types", channels: ["web"] })).toBe(
      5,
    );
    expect(await countMatchingResponses(db, { surveySlug: "all-types", channels: ["kiosk"] })).toBe(
      0,
    );
    expect(await matchingVersionIds(db, { surveySlug: "all-types" })).toHaveLength(1);
  });
});

describe("streamResponses read-ahead", () => {
  it("leaves the database usable when the reader stops with a page still being read", async () => {
    const seen: string[] = [];
    for await (const r of streamResponses(db, { surveySlug: "all-types" }, 2)) {
      seen.push(r.id);
      break;
    }
    expect(seen).toEqual(["d"]);
    expect(await countMatchingResponses(db, { surveySlug: "all-types" })).toBe(5);
  });
});
