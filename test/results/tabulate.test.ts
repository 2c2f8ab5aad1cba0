import { describe, expect, it } from "vitest";
import { describeSurvey } from "../../server/results/describe-survey.ts";
import type { QuestionResult, SurveyResults } from "../../server/results/table-types.ts";
import { tabulateResponses } from "../../server/results/tabulate.ts";
import { crafted } from "./crafted.ts";
import { ALL_TYPES_FILE, readDefinition } from "./helpers.ts";

const definition = readDefinition(ALL_TYPES_FILE);
const codebook = describeSurvey(definition, "en");

function question<K extends QuestionResult["kind"]>(
  results: { questions: QuestionResult[] },
  name: string,
  kind: K,
): QuestionResult & { kind: K } {
  const found = results.questions.find((q) => q.name === name);
  if (!found || found.kind !== kind) throw new Error(`no ${kind} result for ${name}`);
  return found as QuestionResult & { kind: K };
}

const rowsOf = (table: { rows: { code: string; count: number; share: number | null }[] }) =>
  table.rows.map((r) => [r.code, r.count, r.share]);

describe("tabulateResponses on the eight crafted responses", () => {
  const results: SurveyResults = tabulateResponses(codebook, crafted);

  it("counts every respondent, answered or not", () => {
    expect(results.respondents).toBe(8);
    expect(results.weighted).toBe(false);
    expect(results.effectiveSampleSize).toBe(8);
  });

  it("gives a single-choice question counts and shares of those who answered, with other and old codes", () => {
    // r8 answered nothing: base 7. weekly r1 r6, monthly r2, never r3 r4, other r5, old_code r7.
    const use = question(results, "use", "single");
    expect(use.answered).toBe(7);
    expect(rowsOf(use.table)).toEqual([
      ["weekly", 2, 2 / 7],
      ["monthly", 1, 1 / 7],
      ["never", 2, 2 / 7],
      ["other", 1, 1 / 7],
      ["old_code", 1, 1 / 7],
    ]);
    expect(use.table.rows[3]?.isOther).toBe(true);
    expect(use.table.rows[4]?.unknownCode).toBe(true);
    expect(use.otherTexts).toBe(1);
    // Wilson interval for 2 of 7: centre (2/7 + 1.96²/14)/(1 + 1.96²/7) = 0.3626…
    const weekly = use.table.rows[0];
    expect(weekly?.interval?.[0]).toBeCloseTo(0.0822, 4);
    expect(weekly?.interval?.[1]).toBeCloseTo(0.641, 3);
    // Normal margin: 1.96·√((2/7)(5/7)/7) = 0.3347
    expect(weekly?.marginOfError).toBeCloseTo(0.3347, 4);
  });

  it("gives each multi-select choice the share of respondents who chose it", () => {
    // Answered: r1 r2 r3 r4 r5 (5). hours r1 r2 r5; distance r3 r5; fees r1 r5; nothing r4; other r3.
    const barriers = question(results, "barriers", "multiple");
    expect(barriers.answered).toBe(5);
    expect(rowsOf(barriers.table)).toEqual([
      ["hours", 3, 0.6],
      ["distance", 2, 0.4],
      ["fees", 2, 0.4],
      ["nothing", 1, 0.2],
      ["other", 1, 0.2],
    ]);
    expect(barriers.mentions).toBe(9);
    expect(barriers.otherTexts).toBe(1);
  });

  it("treats dropdown, tagbox and boolean answers like the choice questions they are", () => {
    const branch = question(results, "branch", "single");
    expect(rowsOf(branch.table)).toEqual([
      ["central", 2, 2 / 3],
      ["east", 1, 1 / 3],
    ]);
    const langs = question(results, "langs", "multiple");
    expect(rowsOf(langs.table)).toEqual([
      ["english", 2, 0.5],
      ["spanish", 2, 0.5],
      ["chinese", 1, 0.25],
    ]);
    const kids = question(results, "kids", "single");
    expect(kids.table.rows.map((r) => [r.code, r.label, r.count])).toEqual([
      ["true", "Yes", 2],
      ["false", "No", 1],
    ]);
  });

  it("summarises a rating by its distribution, mean and median", () => {
    // 5, 4, 2, 3, 5, 1: mean 20/6, median (3 + 4)/2, s² = 13.333…/5
    const welcome = question(results, "welcome", "rating");
    expect(rowsOf(welcome.table).map(([code, count]) => [code, count])).toEqual([
      ["1", 1],
      ["2", 1],
      ["3", 1],
      ["4", 1],
      ["5", 2],
    ]);
    expect(welcome.summary.n).toBe(6);
    expect(welcome.summary.mean).toBeCloseTo(20 / 6, 10);
    expect(welcome.summary.median).toBe(3.5);
    expect(welcome.summary.standardDeviation).toBeCloseTo(Math.sqrt(13.333333333 / 5), 6);
    expect([welcome.summary.min, welcome.summary.max]).toEqual([1, 5]);
  });

  it("ranks ranking items by mean position", () => {
    // books 1,2,3,1 → 1.75; stem 2,1,2,3 → 2; space 3,3,1,2 → 2.25. First places: books 2 of 4.
    const priorities = question(results, "priorities", "ranking");
    expect(priorities.answered).toBe(4);
    expect(priorities.items.map((i) => [i.code, i.meanRank, i.first.count, i.first.share])).toEqual(
      [
        ["books", 1.75, 2, 0.5],
        ["stem", 2, 1, 0.25],
        ["space", 2.25, 1, 0.25],
      ],
    );
    expect(priorities.items[0]?.positions).toEqual([2, 1, 1]);
  });

  it("tabulates a matrix row by row, with the mean of numeric columns", () => {
    // staff: 3, 3, 1 → Disagree 1, Neutral 0, Agree 2, mean 7/3, median 3. space: 2, 3 → mean 2.5.
    const agree = question(results, "agree", "matrix");
    expect(agree.answered).toBe(3);
    const [staff, space] = agree.rows;
    expect(staff?.table.rows.map((r) => [r.code, r.count])).toEqual([
      ["1", 1],
      ["2", 0],
      ["3", 2],
    ]);
    expect(staff?.table.base).toBe(3);
    expect(staff?.summary?.mean).toBeCloseTo(7 / 3, 10);
    expect(staff?.summary?.median).toBe(3);
    expect(space?.table.base).toBe(2);
    expect(space?.summary?.mean).toBe(2.5);
  });

  it("tabulates each matrix-dropdown cell by its own type", () => {
    // weekday freq: often r1, rarely r2; weekday hours 2, 1; weekend freq: often r2; weekend hours none.
    const visits = question(results, "visits", "matrixdropdown");
    expect(visits.answered).toBe(2);
    const cell = (row: string, column: string) =>
      visits.cells.find((c) => c.row === row && c.column === column)?.result;
    const weekdayFreq = cell("weekday", "freq");
    expect(weekdayFreq?.kind === "single" && rowsOf(weekdayFreq.table)).toEqual([
      ["often", 1, 0.5],
      ["rarely", 1, 0.5],
    ]);
    const weekdayHours = cell("weekday", "hours");
    expect(weekdayHours?.kind === "number" && weekdayHours.summary.mean).toBe(1.5);
    const weekendFreq = cell("weekend", "freq");
    expect(weekendFreq?.kind === "single" && weekendFreq.table.base).toBe(1);
    const weekendHours = cell("weekend", "hours");
    expect(weekendHours?.kind === "number" && weekendHours.summary.mean).toBeNull();
  });

  it("counts text and comment answers, ignoring empty ones", () => {
    expect(question(results, "zip", "text").answered).toBe(1);
    expect(question(results, "comment", "comment").answered).toBe(3);
  });

  it("counts staff tags on text answers and on other texts", () => {
    const tags = new Map([
      ["r1 comment", ["hours"]],
      ["r2 comment", ["hours", "spanish"]],
      ["r3 barriers-Comment", ["transport"]],
    ]);
    const tagged = tabulateResponses(codebook, crafted, {
      tags: (id, key) => tags.get(`${id} ${key}`) ?? [],
    });
    expect(question(tagged, "comment", "comment").tags).toEqual([
      { tag: "hours", count: 2 },
      { tag: "spanish", count: 1 },
    ]);
    expect(question(tagged, "barriers", "multiple").otherTags).toEqual([
      { tag: "transport", count: 1 },
    ]);
  });
});

describe("labels", () => {
  it("labels choices in another of the survey's languages and keeps the codes", () => {
    const spanish = tabulateResponses(describeSurvey(definition, "es"), crafted);
    const use = question(spanish, "use", "single");
    expect(use.title).toBe("¿Con qué frecuencia usa la biblioteca?");
    expect(use.table.rows.map((r) => [r.code, r.label])).toEqual([
      ["weekly", "Semanal"],
      ["monthly", "Mensual"],
      ["never", "Nunca"],
      ["other", "Otro"],
      ["old_code", "old_code"],
    ]);
    const kids = question(spanish, "kids", "single");
    expect(kids.table.rows.map((r) => r.label)).toEqual(["Sí", "No"]);
  });
});

describe("groups", () => {
  it("splits every table by library-use status from the survey's use question", () => {
    // users: r1 r2 r5 (other) r6 r7 (old code); non-users: r3 r4; unknown: r8.
    const results = tabulateResponses(codebook, crafted, { groupBy: "useStatus" });
    expect(results.groups?.map((g) => [g.key, g.label, g.respondents])).toEqual([
      ["user", "Library users", 5],
      ["non-user", "Non-users", 2],
      ["unknown", "Use not stated", 1],
    ]);
    const nonUsers = results.groups?.[1];
    if (!nonUsers) throw new Error("no non-user group");
    expect(rowsOf(question(nonUsers, "barriers", "multiple").table)).toEqual([
      ["hours", 0, 0],
      ["distance", 1, 0.5],
      ["fees", 0, 0],
      ["nothing", 1, 0.5],
      ["other", 1, 0.5],
    ]);
  });

  it("splits by language, channel, location and month", () => {
    const keys = (groupBy: "language" | "channel" | "location" | "month") =>
      tabulateResponses(codebook, crafted, { groupBy }).groups?.map((g) => [g.key, g.respondents]);
    expect(keys("language")).toEqual([
      ["en", 6],
      ["es", 2],
    ]);
    expect(keys("channel")).toEqual([
      ["kiosk", 2],
      ["web", 6],
    ]);
    expect(keys("location")).toEqual([
      ["", 6],
      ["central", 2],
    ]);
    expect(keys("month")).toEqual([
      ["2024-01", 2],
      ["2024-02", 3],
      ["2024-03", 3],
    ]);
  });
});

describe("weights", () => {
  it("weights shares and widens the margin of error by the effective sample size", () => {
    // r1 weighs 2, the others 1. use: base weight 8 (r1..r7), weekly = 2 + 1 = 3 → 0.375.
    // n_eff of the base = 8² / (4 + 6) = 6.4; margin = 1.96·√(0.375·0.625/6.4) = 0.37508.
    const weights = new Map(crafted.map((r) => [r.id, r.id === "r1" ? 2 : 1]));
    const results = tabulateResponses(codebook, crafted, { weights });
    expect(results.weighted).toBe(true);
    const weekly = question(results, "use", "single").table.rows[0];
    expect(weekly?.count).toBe(2);
    expect(weekly?.weighted).toBe(3);
    expect(weekly?.share).toBe(0.375);
    expect(question(results, "use", "single").table.effectiveBase).toBeCloseTo(6.4, 10);
    expect(weekly?.marginOfError).toBeCloseTo(1.96 * Math.sqrt((0.375 * 0.625) / 6.4), 10);
    // welcome: weighted mean (2·5 + 4 + 2 + 3 + 5 + 1)/7 = 25/7; weighted median: cumulative
    // weights 1 (1), 2 (2), 3 (3), 4 (4), 7 (5) of 7 → first to pass 3.5 is 4.
    const welcome = question(results, "welcome", "rating");
    expect(welcome.summary.mean).toBeCloseTo(25 / 7, 10);
    expect(welcome.summary.median).toBe(4);
  });

  it("refuses a respondent without a weight", () => {
    expect(() => tabulateResponses(codebook, crafted, { weights: new Map([["r1", 1]]) })).toThrow(
      /has no weight/,
    );
  });
});
