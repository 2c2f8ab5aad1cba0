import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import {
  type InsertResult,
  insertResponse,
  type NewResponse,
} from "../../server/queries/responses.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { createTestDb, FIXTURE_SURVEYS, newId } from "../helpers/app.ts";

let db: Db;
let versionId: number;
beforeAll(async () => {
  db = await createTestDb();
  await syncSurveys(db, FIXTURE_SURVEYS);
  versionId = (await findSurvey(db, "every-type"))?.versionId ?? 0;
});
afterAll(() => db.destroy());

const response = (id: string, overrides: Partial<NewResponse> = {}): NewResponse => ({
  id,
  surveySlug: "every-type",
  versionId,
  language: "en",
  channel: "web",
  location: null,
  startedAt: null,
  submittedAt: new Date(),
  data: { use: "weekly" },
  ...overrides,
});

const count = async (ids: string[]) => {
  const [row] = await db("responses").whereIn("id", ids).count({ n: "*" });
  return Number(row?.n);
};

describe("insertResponse (group commit)", () => {
  it("stores each of many concurrent responses once, even when the same id arrives twice at once", async () => {
    const ids = Array.from({ length: 40 }, newId);
    const sent = [...ids, ...ids.slice(0, 10)].map((id) => insertResponse(db, response(id)));
    const results = await Promise.all(sent);
    expect(await count(ids)).toBe(40);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(40);
    const duplicates = results.filter(
      (r): r is Extract<InsertResult, { duplicate: true }> => r.duplicate,
    );
    expect(duplicates.map((r) => r.existing.id)).toEqual(ids.slice(0, 10));
    expect(duplicates.every((r) => r.existing.surveySlug === "every-type")).toBe(true);
  });

  it("reports a response stored earlier as a duplicate, with the response stored under its id", async () => {
    const id = newId();
    expect(await insertResponse(db, response(id, { location: "central" }))).toEqual({
      duplicate: false,
    });
    const again = await insertResponse(db, response(id, { data: { use: "never" } }));
    expect(again).toMatchObject({
      duplicate: true,
      existing: {
        id,
        surveySlug: "every-type",
        versionId,
        location: "central",
        data: { use: "weekly" },
      },
    });
  });

  it("fails only the bad response of a batch; its neighbours are stored", async () => {
    const good = Array.from({ length: 5 }, newId);
    const bad = newId();
    const outcomes = await Promise.allSettled([
      ...good.slice(0, 2).map((id) => insertResponse(db, response(id))),
      insertResponse(db, response(bad, { versionId: 999_999 })),
      ...good.slice(2).map((id) => insertResponse(db, response(id))),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    expect(await count(good)).toBe(5);
    expect(await count([bad])).toBe(0);
  });
});
