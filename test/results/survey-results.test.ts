import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { InputError, NotFound } from "../../server/errors.ts";
import { translator } from "../../server/i18n/messages.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { countSurveyTags } from "../../server/queries/open-answer-tags.ts";
import {
  surveyOpenAnswers,
  tagOpenAnswer,
  untagOpenAnswer,
} from "../../server/reports/open-answer-tags.ts";
import { resultsPage } from "../../server/reports/results-page.ts";
import { surveyCrossTab, surveyResults } from "../../server/reports/survey-results.ts";
import { communityMargins, computeWeights } from "../../server/reports/survey-weights.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { createTestDb, PROJECT_SURVEYS } from "../helpers/app.ts";
import { crafted } from "./crafted.ts";
import { COMMUNITY_TIDY_FILE, RESULTS_SURVEYS_DIR, response, storeResponses } from "./helpers.ts";

let db: Db;

beforeEach(async () => {
  db = await createTestDb();
  await syncSurveys(db, RESULTS_SURVEYS_DIR);
  await storeResponses(db, "all-types", crafted);
});

afterEach(async () => {
  await db.destroy();
});

const scope = { slug: "all-types" };

describe("surveyResults", () => {
  it("tabulates the stored responses, grouped by library-use status, with barriers among non-users", async () => {
    const report = await surveyResults(db, scope, { groupBy: "useStatus" });
    expect(report.results.respondents).toBe(8);
    expect(report.versions).toHaveLength(1);
    expect(report.results.groups?.map((g) => [g.key, g.respondents])).toEqual([
      ["user", 5],
      ["non-user", 2],
      ["unknown", 1],
    ]);
    expect(report.barriers?.choices.slice(0, 3).map((c) => c.code)).toEqual([
      "distance",
      "nothing",
      "other",
    ]);
    expect(report.weighting).toBeNull();
  });

  it("filters by channel, location, date range and library-use status", async () => {
    const count = async (filter: Parameters<typeof surveyResults>[1]["filter"]) =>
      (await surveyResults(db, { ...scope, filter })).results.respondents;
    expect(await count({ channels: ["kiosk"] })).toBe(2);
    expect(await count({ locations: ["central"] })).toBe(2);
    // r3 (Feb 3), r4 (Feb 10), r5 (Feb 15): from is inclusive, to exclusive.
    expect(
      await count({ from: new Date("2024-02-01T00:00:00Z"), to: new Date("2024-03-01T00:00:00Z") }),
    ).toBe(3);
    expect(await count({ useStatus: ["non-user"] })).toBe(2);
    expect(await count({ languages: ["es"], useStatus: ["user"] })).toBe(1);
  });

  it("labels in Spanish and refuses a language the survey does not have", async () => {
    const report = await surveyResults(db, { ...scope, language: "es" });
    expect(report.results.questions[0]?.title).toBe("¿Con qué frecuencia usa la biblioteca?");
    await expect(surveyResults(db, { ...scope, language: "vi" })).rejects.toThrow(
      /not written in "vi"/,
    );
    await expect(surveyResults(db, { slug: "nope" })).rejects.toBeInstanceOf(NotFound);
  });

  it("says why weighting was not applied when no community data is imported", async () => {
    const report = await surveyResults(db, scope, { weighting: {} });
    expect(report.weighting).toBeNull();
    expect(report.weightingError).toMatch(/Weighting is not possible: no raking variable/);
    expect(report.results.weighted).toBe(false);
  });
});

describe("surveyCrossTab", () => {
  it("cross-tabulates a question by a group over the stored responses", async () => {
    const result = await surveyCrossTab(db, scope, { question: "kids" }, { group: "useStatus" });
    // kids: r1 true (user), r2 false (user), r3 true (non-user).
    expect(result.columns.map((c) => c.code)).toEqual(["user", "non-user"]);
    expect(result.cells.map((row) => row.map((c) => c.count))).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });

  it("turns an impossible variable into an input error with the reason", async () => {
    const attempt = surveyCrossTab(db, scope, { question: "barriers" }, { group: "language" });
    await expect(attempt).rejects.toBeInstanceOf(InputError);
    await expect(attempt).rejects.toThrow(/multi-select/);
  });
});

describe("open answers and tags", () => {
  it("tags an answer, counts the tag in results and lists it with the answer", async () => {
    expect(
      await tagOpenAnswer(db, {
        slug: "all-types",
        responseId: "r3",
        question: "barriers-Comment",
        tag: " Transport ",
        createdBy: null,
      }),
    ).toEqual({ tag: "transport", added: true });
    expect(
      (
        await tagOpenAnswer(db, {
          slug: "all-types",
          responseId: "r3",
          question: "barriers-Comment",
          tag: "transport",
        })
      ).added,
    ).toBe(false);
    await tagOpenAnswer(db, {
      slug: "all-types",
      responseId: "r1",
      question: "comment",
      tag: "hours",
    });
    await tagOpenAnswer(db, {
      slug: "all-types",
      responseId: "r2",
      question: "comment",
      tag: "hours",
    });

    const report = await surveyResults(db, scope);
    const barriers = report.results.questions.find((q) => q.name === "barriers");
    expect(barriers?.kind === "multiple" && barriers.otherTags).toEqual([
      { tag: "transport", count: 1 },
    ]);
    const comment = report.results.questions.find((q) => q.name === "comment");
    expect(comment?.kind === "comment" && comment.tags).toEqual([{ tag: "hours", count: 2 }]);

    const page = await surveyOpenAnswers(db, scope, { tag: "hours" });
    expect(page.answers.map((a) => [a.responseId, a.text, a.tags])).toEqual([
      ["r2", "Más horas", ["hours"]],
      ["r1", "More hours please", ["hours"]],
    ]);
    expect(await countSurveyTags(db, "all-types")).toEqual([
      { tag: "hours", count: 2 },
      { tag: "transport", count: 1 },
    ]);

    expect(
      await untagOpenAnswer(db, {
        slug: "all-types",
        responseId: "r1",
        question: "comment",
        tag: "HOURS",
      }),
    ).toEqual({ tag: "hours", removed: true });
    expect((await surveyOpenAnswers(db, scope, { tag: "hours" })).total).toBe(1);
  });

  it("refuses tags on what is not an open answer of the survey", async () => {
    const tag = (responseId: string, question: string, text = "x") =>
      tagOpenAnswer(db, { slug: "all-types", responseId, question, tag: text });
    await expect(tag("r1", "use")).rejects.toBeInstanceOf(InputError);
    await expect(tag("missing", "comment")).rejects.toBeInstanceOf(NotFound);
    await expect(tag("r4", "comment")).rejects.toBeInstanceOf(InputError);
    await expect(tag("r4", "comment")).rejects.toThrow(/no answer/);
    await expect(tag("r1", "comment", " ")).rejects.toBeInstanceOf(InputError);
  });

  it("searches open answers through the database", async () => {
    const page = await surveyOpenAnswers(db, scope, { search: "bus" });
    expect(page.answers.map((a) => [a.responseId, a.key, a.channel])).toEqual([
      ["r3", "barriers-Comment", "kiosk"],
    ]);
  });
});

describe("weighting to imported community margins", () => {
  beforeEach(async () => {
    await syncSurveys(db, PROJECT_SURVEYS);
    await importCommunity(db, { by: commandLine(), file: COMMUNITY_TIDY_FILE });
    // The seven respondents of the hand computation in weighting.test.ts.
    await storeResponses(db, "community-needs", [
      response(
        { library_use: "weekly", age_band: "18_24", home_languages: ["english"] },
        { id: "w-A1E" },
      ),
      response(
        { library_use: "never", age_band: "18_24", home_languages: ["english", "spanish"] },
        { id: "w-A1S" },
      ),
      response(
        { library_use: "weekly", age_band: "25_34", home_languages: ["english"] },
        { id: "w-A2E-1" },
      ),
      response(
        { library_use: "weekly", age_band: "25_34", home_languages: ["english"] },
        { id: "w-A2E-2" },
      ),
      response(
        { library_use: "never", age_band: "25_34", home_languages: ["spanish"] },
        { id: "w-A2S-1" },
      ),
      response(
        { library_use: "never", age_band: "25_34", home_languages: ["spanish"] },
        { id: "w-A2S-2" },
      ),
      response(
        { library_use: "weekly", age_band: "prefer_not", home_languages: ["english"] },
        { id: "w-r7" },
      ),
    ]);
  });

  it("sums the census counts of the service area into margins", async () => {
    const margins = await communityMargins(db);
    expect(margins.age).toEqual([
      { category: "18 to 24 years", count: 500 },
      { category: "25 to 34 years", count: 500 },
    ]);
    expect(margins.language).toEqual([
      { category: "English only", count: 250 },
      { category: "Spanish", count: 750 },
    ]);
    expect(margins.area).toEqual([
      { category: "94110", count: 500 },
      { category: "94112", count: 500 },
    ]);
    expect(margins.kinds).toEqual({ age: ["zcta"], language: ["zcta"], area: ["zcta"] });
  });

  it("gives the hand-computed weights and weighted shares", async () => {
    const weights = await computeWeights(db, { slug: "community-needs" });
    expect(weights.weights.get("w-A1S")).toBeCloseTo(2.625, 10);
    expect(weights.skipped.map((s) => s.dimension)).toEqual(["area"]);
    // Non-users: A1S 2.625 + A2S 2·1.3125 = 5.25 of 7 → 0.75 weighted (3 of 7 unweighted).
    const report = await surveyResults(db, { slug: "community-needs" }, { weighting: {} });
    expect(report.weightingError).toBeNull();
    expect(report.weighting?.effectiveSampleSize).toBeCloseTo(49 / 11.17333984375, 8);
    const use = report.results.questions.find((q) => q.name === "library_use");
    const never =
      use?.kind === "single" ? use.table.rows.find((r) => r.code === "never") : undefined;
    expect(never?.count).toBe(3);
    expect(never?.share).toBeCloseTo(0.75, 10);
  });

  it("says in words which margin is missed, and by how much, when the weight bounds cannot meet it (issue 12)", async () => {
    // Bounds [0.8, 1.25]: two of the six respondents known on age must carry half the weight
    // (1.5 each), which the upper bound forbids, so the age margin stays off.
    const report = await surveyResults(
      db,
      { slug: "community-needs" },
      { weighting: { trim: [0.8, 1.25] } },
    );
    const age = report.weighting?.dimensions.find((d) => d.dimension === "age");
    expect(age?.maxDeviation).toBeGreaterThan(0.01);
    expect(report.weighting?.missedMargins.map((m) => m.dimension)).toContain("age");
    // The fixture has a handful of respondents: k = 1 (no suppression) lets the page show them.
    const page = resultsPage(report, 1);
    expect(page.weighting?.missedTitle).toBe(
      "Weighted toward the community, but not every margin could be met",
    );
    expect(page.weighting?.missed.join(" ")).toMatch(
      new RegExp(
        `The age margin is missed by up to ${((age?.maxDeviation ?? 0) * 100).toFixed(1)} percentage points`,
      ),
    );
    const spanish = resultsPage(report, 1, null, translator("es"));
    expect(spanish.weighting?.missed.join(" ")).toMatch(/El margen de edad no se cumple/);
  });

  it("reports every margin met when the bounds allow it", async () => {
    const report = await surveyResults(db, { slug: "community-needs" }, { weighting: {} });
    expect(report.weighting?.missedMargins).toEqual([]);
    const page = resultsPage(report, 1);
    expect(page.weighting?.missed).toEqual([]);
    expect(page.weighting?.deviations).toContain(
      "age: weighted shares within <0.1 percentage points of the community's",
    );
  });
});
