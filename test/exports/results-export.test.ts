import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import {
  exportCrossTab,
  exportResponses,
  exportResults,
} from "../../server/exports/survey-exports.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { surveyResults } from "../../server/reports/survey-results.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { createTestDb, PROJECT_SURVEYS } from "../helpers/app.ts";
import { crafted } from "../results/crafted.ts";
import {
  COMMUNITY_TIDY_FILE,
  RESULTS_SURVEYS_DIR,
  response,
  storeResponses,
} from "../results/helpers.ts";
import { parseCsv, records, streamText } from "./helpers.ts";

let db: Db;
let version: number;

beforeAll(async () => {
  db = await createTestDb();
  await syncSurveys(db, RESULTS_SURVEYS_DIR);
  await storeResponses(db, "all-types", crafted);
  version = (await findSurvey(db, "all-types"))?.versionId ?? 0;
});

afterAll(async () => {
  await db.destroy();
});

describe("results CSV", () => {
  // A threshold of 2 hides counts of 1, so the crafted responses exercise every rule.
  const read = async (groupBy?: "useStatus") =>
    records(
      parseCsv(
        await streamText(
          (await exportResults(db, { slug: "all-types", suppressBelow: 2, groupBy })).stream,
        ),
      ),
    );

  it("hides small counts and the shares made from them", async () => {
    const rows = await read();
    const use = rows.filter((r) => r.question === "use" && r.group === "");
    // weekly 2, monthly 1, never 2, other 1, old_code 1 of 7: the three 1s are hidden; they add
    // up to 3 ≥ 2, so no complementary cell is needed.
    expect(use.map((r) => [r.code, r.count, r.share, r.base])).toEqual([
      ["weekly", "2", String(Number((2 / 7).toFixed(6))), "7"],
      ["monthly", "<2", "<2", "7"],
      ["never", "2", String(Number((2 / 7).toFixed(6))), "7"],
      ["other", "<2", "<2", "7"],
      ["old_code", "<2", "<2", "7"],
    ]);
  });

  it("hides a complementary cell when a single small count could be recovered from the base", async () => {
    // kids: yes 2, no 1, base 3 shown: 1 = 3 − 2, so "yes" is hidden too.
    const kids = (await read()).filter((r) => r.question === "kids" && r.group === "");
    expect(kids.map((r) => [r.label, r.count, r.share])).toEqual([
      ["Yes", "suppressed", "suppressed"],
      ["No", "<2", "<2"],
    ]);
  });

  it("does not add complementary cells to multi-select shares", async () => {
    const barriers = (await read()).filter(
      (r) => r.question === "barriers" && r.group === "" && r.measure === "share of respondents",
    );
    expect(barriers.map((r) => [r.code, r.count, r.share])).toEqual([
      ["hours", "3", "0.6"],
      ["distance", "2", "0.4"],
      ["fees", "2", "0.4"],
      ["nothing", "<2", "<2"],
      ["other", "<2", "<2"],
    ]);
  });

  it("gives summaries, ranks and answered counts", async () => {
    const rows = await read();
    const welcome = rows.find((r) => r.question === "welcome" && r.measure === "summary");
    expect([welcome?.count, welcome?.mean, welcome?.median]).toEqual(["6", "3.333333", "3.5"]);
    const books = rows.find((r) => r.question === "priorities" && r.code === "books");
    expect([books?.measure, books?.count, books?.mean, books?.share]).toEqual([
      "mean rank",
      "4",
      "1.75",
      "0.5",
    ]);
    const comment = rows.find((r) => r.question === "comment" && r.measure === "answered");
    expect([comment?.count, comment?.base]).toEqual(["3", "8"]);
  });

  it("adds every table per group, a test across groups and the barriers among non-users", async () => {
    const rows = await read("useStatus");
    const use = (group: string, code: string) =>
      rows.find((r) => r.question === "use" && r.group === group && r.code === code)?.count;
    // Groups side by side have the ungrouped table as their margin (issue 13): the one
    // respondent whose use is unknown shows no number, so each row of "use" gets a second
    // hidden cell — everyone's 2 "never" minus the users' 0 would otherwise show that group's 0.
    expect([use("", "never"), use("user", "never"), use("non-user", "never")]).toEqual([
      "2",
      "0",
      "suppressed",
    ]);
    const unknownFrequencies = rows.filter(
      (r) => r.group === "unknown" && r.measure === "frequency",
    );
    expect(unknownFrequencies.length).toBeGreaterThan(0);
    // Only rows that are 0 for everyone show the group's (necessarily zero) count.
    expect(unknownFrequencies.every((r) => !/^[1-9]/.test(r.count ?? ""))).toBe(true);
    const test = rows.find(
      (r) => r.question === "kids" && r.measure === "difference between groups",
    );
    // kids × (user, non-user): [[1, 1], [1, 0]] → 2 × 2 with small expected counts → Fisher,
    // whose p-value beside hidden cells would give them away: only the conclusion is written.
    expect([test?.group_by, test?.test, test?.p_value]).toEqual(["useStatus", "fisher-exact", ""]);
    expect(test?.note).toMatch(/^The difference is not statistically significant at the 5% level/);
    const barriers = rows.filter(
      (r) => r.measure === "ranked among non-users" && r.group === "non-user",
    );
    expect(barriers.map((r) => r.code)).toEqual(["distance", "nothing", "other", "fees", "hours"]);
    expect(barriers[0]?.count).toBe("<2");
  });

  it("refuses a view with fewer responses than the threshold, saying why (issue 13)", async () => {
    await expect(exportResults(db, { slug: "all-types", suppressBelow: 10 })).rejects.toThrow(
      /Fewer than 10 responses match these filters/,
    );
  });

  it("never leaves one group's summary n or ranking count to be worked out from the ungrouped one (issue 13)", async () => {
    const rows = await read("useStatus");
    const lines = new Map<string, string[]>();
    for (const r of rows.filter(
      (r) => r.group && ["summary", "mean rank"].includes(r.measure ?? ""),
    )) {
      const id = `${r.question}|${r.measure}|${r.row}|${r.code}`;
      lines.set(id, [...(lines.get(id) ?? []), r.count ?? ""]);
    }
    expect(lines.size).toBeGreaterThan(0);
    for (const [id, counts] of lines) {
      const hidden = counts.filter((c) => !/^\d+$/.test(c)).length;
      expect(hidden === 0 || hidden >= 2, `${id}: ${counts.join(", ")}`).toBe(true);
    }
  });

  it("names the grouping in the file name", async () => {
    const file = await exportResults(db, {
      slug: "all-types",
      suppressBelow: 2,
      groupBy: "channel",
    });
    expect(file.fileName).toBe(`all-types_v${version}_results-by-channel_labels-en.csv`);
  });
});

describe("cross-tab CSV", () => {
  it("suppresses cells so no hidden count can be recovered from the shown totals", async () => {
    const file = await exportCrossTab(db, {
      slug: "all-types",
      rows: { question: "kids" },
      columns: { group: "useStatus" },
      suppressBelow: 2,
    });
    const rows = records(parseCsv(await streamText(file.stream)));
    const cell = (row: string, column: string) =>
      rows.find((r) => r.row_code === row && r.column_code === column)?.count;
    // [[1, 1], [1, 0]]: every 1 is hidden. The margins keep the status they have in the
    // question's own table ([2, 1]: the 1 is small, so the 2 goes with it). Regression (issue
    // 13): the row total 2 used to be shown beside the grand total 3, so 3 − 2 gave the hidden 1.
    expect([
      cell("true", "user"),
      cell("true", "non-user"),
      cell("false", "user"),
      cell("false", "non-user"),
    ]).toEqual(["<2", "<2", "<2", "0"]);
    expect([
      cell("true", ""),
      cell("false", ""),
      cell("", "user"),
      cell("", "non-user"),
      cell("", ""),
    ]).toEqual(["suppressed", "<2", "suppressed", "<2", "3"]);
    const test = rows.at(-1);
    // Beside hidden cells the test gives its conclusion, never its statistic or p-value.
    expect([test?.test, test?.reliable, test?.p_value, test?.statistic]).toEqual([
      "fisher-exact",
      "",
      "",
      "",
    ]);
    expect(test?.note).toMatch(/not statistically significant/);
    expect(file.fileName).toBe(`all-types_v${version}_crosstab-kids-by-usestatus_labels-en.csv`);
  });
});

describe("versions and weights", () => {
  it("keeps answers given on an older version and names both versions", async () => {
    const local = await createTestDb();
    try {
      await syncSurveys(local, RESULTS_SURVEYS_DIR);
      const first = (await findSurvey(local, "all-types"))?.versionId ?? 0;
      await storeResponses(local, "all-types", [
        response({ branch: "east" }, { id: "old", submittedAt: new Date("2024-01-01T00:00:00Z") }),
      ]);
      // A new version drops "east" and adds "north".
      const survey = await findSurvey(local, "all-types");
      const definition = structuredClone(survey?.definition ?? {}) as {
        pages: { elements: { name: string; choices?: unknown[] }[] }[];
      };
      const branch = definition.pages[0]?.elements.find((q) => q.name === "branch");
      if (branch)
        branch.choices = [
          { value: "central", text: "Central" },
          { value: "north", text: "North" },
        ];
      const { saveSurveyVersion } = await import("../../server/queries/surveys.ts");
      const { versionId: second } = await saveSurveyVersion(local, {
        slug: "all-types",
        hash: "new-version",
        definition,
        languages: ["en", "es"],
        audience: "public",
        status: "open",
      });
      await storeResponses(local, "all-types", [
        response({ branch: "north" }, { id: "new", submittedAt: new Date("2024-02-01T00:00:00Z") }),
      ]);
      const file = await exportResponses(local, { slug: "all-types", labels: true });
      const rows = records(parseCsv(await streamText(file.stream)));
      expect(rows.map((r) => [r.response_id, r.version, r.branch])).toEqual([
        ["old", String(first), "East"],
        ["new", String(second), "North"],
      ]);
      expect(file.fileName).toBe(`all-types_v${first}+${second}_responses-wide_labels-en.csv`);
      // The results tables label the old version's choice too, after the current choices.
      const report = await surveyResults(local, { slug: "all-types" });
      const branchTable = report.results.questions.find((q) => q.name === "branch");
      expect(
        branchTable?.kind === "single" &&
          branchTable.table.rows.map((r) => [r.code, r.label, r.count, r.unknownCode ?? false]),
      ).toEqual([
        ["central", "Central", 0, false],
        ["north", "North", 1, false],
        ["east", "East", 1, false],
      ]);
    } finally {
      await local.destroy();
    }
  });

  it("adds a weight column when weighting to the community", async () => {
    const local = await createTestDb();
    try {
      await syncSurveys(local, PROJECT_SURVEYS);
      await importCommunity(local, { by: commandLine(), file: COMMUNITY_TIDY_FILE });
      const person = (id: string, age: string, language: string) =>
        response({ library_use: "weekly", age_band: age, home_languages: [language] }, { id });
      await storeResponses(local, "community-needs", [
        person("a", "18_24", "english"),
        person("b", "25_34", "english"),
        person("c", "25_34", "spanish"),
        person("d", "18_24", "spanish"),
      ]);
      const file = await exportResponses(local, { slug: "community-needs", weighting: {} });
      const rows = records(parseCsv(await streamText(file.stream)));
      // Margins (community-tidy.csv): age 500 / 500, English only 250, Spanish 750. Ages already
      // fit (2 / 2); language: English 0.25·4/2 = 0.5, Spanish 0.75·4/2 = 1.5. One pass.
      expect(Object.fromEntries(rows.map((r) => [r.response_id, Number(r.weight)]))).toEqual({
        a: 0.5,
        b: 0.5,
        c: 1.5,
        d: 1.5,
      });
      expect(file.fileName).toMatch(/_responses-wide_weighted\.csv$/);
      expect(Object.keys(rows[0] ?? {})).toContain("weight");
    } finally {
      await local.destroy();
    }
  });

  it("states each raking margin's deviation in the weighted results CSV, and a missed one in words (issue 12)", async () => {
    const local = await createTestDb();
    try {
      await syncSurveys(local, PROJECT_SURVEYS);
      await importCommunity(local, { by: commandLine(), file: COMMUNITY_TIDY_FILE });
      const person = (id: string, age: string, language: string) =>
        response({ library_use: "weekly", age_band: age, home_languages: [language] }, { id });
      await storeResponses(local, "community-needs", [
        person("a", "18_24", "english"),
        person("b", "25_34", "english"),
        person("c", "25_34", "spanish"),
        person("d", "18_24", "spanish"),
      ]);
      // Bounds [0.8, 1.25]: the two Spanish speakers carry at most 2 × 1.25 = 2.5 and the two
      // English speakers at least 2 × 0.8 = 1.6, so Spanish reaches at most 2.5/4.1 = 61%, not
      // the community's 75%: the language margin stays missed.
      const file = await exportResults(local, {
        slug: "community-needs",
        weighting: { trim: [0.8, 1.25] },
        suppressBelow: 1,
      });
      const rows = records(parseCsv(await streamText(file.stream)));
      const summary = rows.find((r) => r.measure === "weighting");
      expect(summary?.note).toMatch(/not every margin could be met/);
      const language = rows.find(
        (r) => r.measure === "weighting margin deviation" && r.code === "language",
      );
      expect(Number(language?.statistic)).toBeGreaterThan(0.01);
      expect(language?.note).toMatch(
        /^The language spoken at home margin is missed by up to \d+\.\d percentage points/,
      );
    } finally {
      await local.destroy();
    }
  });
});
