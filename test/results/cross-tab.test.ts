import { describe, expect, it } from "vitest";
import { raoScottChiSquare } from "../../server/analysis/rao-scott-chi-square.ts";
import { translator } from "../../server/i18n/messages.ts";
import { crossTabView } from "../../server/reports/cross-tab-view.ts";
import { crossTab } from "../../server/results/cross-tab.ts";
import { describeSurvey } from "../../server/results/describe-survey.ts";
import type { ResponseRecord } from "../../server/results/types.ts";
import { ALL_TYPES_FILE, readDefinition, repeat } from "./helpers.ts";

const codebook = describeSurvey(readDefinition(ALL_TYPES_FILE), "en");

describe("crossTab against published worked examples", () => {
  it("reproduces the 3 × 4 occupation-by-neighbourhood example (X² ≈ 24.6, df 6, p ≈ 0.0004)", () => {
    // Wikipedia, "Chi-squared test", section "Example chi-squared test for categorical data"
    // (https://en.wikipedia.org/wiki/Chi-squared_test): 650 residents of neighbourhoods A–D
    // by occupation. Rows here are the "use" question (weekly = white collar, monthly = blue
    // collar, never = no collar), columns the response's location.
    //                 A    B    C    D
    //   White collar 90   60  104   95   (349)
    //   Blue collar  30   50   51   20   (151)
    //   No collar    30   40   45   35   (150)
    //               150  150  200  150    650
    // Expected white collar in A: 150·349/650 = 80.54; X² = Σ(O − E)²/E = 24.57 by hand,
    // "approximately 24.6" in the source, df = (3 − 1)(4 − 1) = 6, p ≈ 0.0004.
    const table: [string, number[]][] = [
      ["weekly", [90, 60, 104, 95]],
      ["monthly", [30, 50, 51, 20]],
      ["never", [30, 40, 45, 35]],
    ];
    const responses: ResponseRecord[] = table.flatMap(([use, counts]) =>
      counts.flatMap((count, column) => repeat(count, { use }, { location: "ABCD"[column] })),
    );
    const result = crossTab(codebook, responses, { question: "use" }, { group: "location" });
    expect(result.rows.map((r) => r.code)).toEqual(["weekly", "monthly", "never", "other"]);
    expect(result.columns.map((c) => c.code)).toEqual(["A", "B", "C", "D"]);
    expect(result.cells.slice(0, 3).map((row) => row.map((c) => c.count))).toEqual(
      table.map(([, counts]) => counts),
    );
    expect(result.n).toBe(650);
    expect(result.cells[0]?.[0]?.columnShare).toBeCloseTo(90 / 150, 12);
    if ("insufficient" in result.test) throw new Error(result.test.insufficient);
    expect(result.test.method).toBe("chi-square");
    expect(result.test.statistic).toBeCloseTo(24.571, 3);
    expect(result.test.df).toBe(6);
    expect(result.test.pValue).toBeCloseTo(0.0004, 4);
    expect(result.test.reliable).toBe(true);
    expect(result.test.minExpected).toBeCloseTo(34.615, 3);
    // Bias-corrected V (Bergsma 2013): φ² = 24.571/650 − 6/649 = 0.028557, k̃ − 1 = 3 − 9/649,
    // r̃ − 1 = 2 − 4/649 = 1.99384, V = √(0.028557/1.99384) = 0.1197 (classic V 0.1375)
    expect(result.test.cramersV).toBeCloseTo(0.1197, 4);
    expect(result.test.smallerDf).toBe(2);
    expect(result.test.fisherPValue).toBeNull();
  });

  it("switches a small 2 × 2 table to Fisher's exact test (the lady tasting tea, p = 0.486)", () => {
    // R. A. Fisher (1935), The Design of Experiments, ch. 2; A. Agresti (2007), An Introduction
    // to Categorical Data Analysis, 2nd ed., §2.6.2, Table 2.8: of 4 milk-first and 4 tea-first
    // cups, 3 milk-first cups were guessed right. Two-sided P = 0.486 (published). Expected counts
    // are all 2, so the chi-square test is unreliable. Rows: kids (true = poured milk first);
    // columns: whether "hours" was among the barriers (chosen = guessed milk first).
    const responses = [
      ...repeat(3, { kids: true, barriers: ["hours"] }),
      ...repeat(1, { kids: true, barriers: ["fees"] }),
      ...repeat(1, { kids: false, barriers: ["hours"] }),
      ...repeat(3, { kids: false, barriers: ["fees"] }),
    ];
    const result = crossTab(
      codebook,
      responses,
      { question: "kids" },
      { question: "barriers", choice: "hours" },
    );
    expect(result.cells.map((row) => row.map((c) => c.count))).toEqual([
      [3, 1],
      [1, 3],
    ]);
    expect(result.columns.map((c) => c.label)).toEqual(["Hours: chosen", "Hours: not chosen"]);
    if ("insufficient" in result.test) throw new Error(result.test.insufficient);
    expect(result.test.reliable).toBe(false);
    expect(result.test.minExpected).toBe(2);
    expect(result.test.method).toBe("fisher-exact");
    expect(result.test.pValue).toBeCloseTo(0.486, 3);
    expect(result.test.fisherPValue).toBeCloseTo(0.4857, 4);
    // Pearson X² = 8 · (1/2)² ... = Σ (±1)²/2 over 4 cells = 2, p = 0.157 (not used)
    expect(result.test.statistic).toBeCloseTo(2, 12);
    expect(result.test.note).toMatch(/Fisher/);
  });

  it("keeps the chi-square test for a large 2 × 2 table (aspirin and heart attacks, X² = 25.01)", () => {
    // Physicians' Health Study preliminary report, N Engl J Med 318:262–264 (1988), as tabulated
    // in A. Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed., §2.2:
    //            MI yes   MI no
    //   placebo     189   10845   (11034)
    //   aspirin     104   10933   (11037)
    // Expected placebo/MI = 11034·293/22071 = 146.48; X² = 42.52²·(1/146.48 + 1/10887.52 +
    // 1/146.52 + 1/10890.48) = 25.01, df 1, p ≈ 5.7e-7. Rows: channel (web = placebo, kiosk =
    // aspirin); columns: kids (true = MI).
    const responses = [
      ...repeat(189, { kids: true }, { channel: "web" }),
      ...repeat(10845, { kids: false }, { channel: "web" }),
      ...repeat(104, { kids: true }, { channel: "kiosk" }),
      ...repeat(10933, { kids: false }, { channel: "kiosk" }),
    ];
    const result = crossTab(codebook, responses, { group: "channel" }, { question: "kids" });
    expect(result.rows.map((r) => r.code)).toEqual(["kiosk", "web"]);
    if ("insufficient" in result.test) throw new Error(result.test.insufficient);
    expect(result.test.method).toBe("chi-square");
    expect(result.test.statistic).toBeCloseTo(25.01, 2);
    expect(result.test.df).toBe(1);
    expect(result.test.pValue).toBeLessThan(1e-6);
    expect(result.test.fisherPValue).toBeLessThan(1e-5);
  });
});

describe("crossTab rules", () => {
  it("leaves out respondents missing either answer and says how many", () => {
    const responses = [
      ...repeat(2, { use: "weekly", kids: true }),
      ...repeat(1, { use: "weekly" }),
      ...repeat(1, { kids: false }),
    ];
    const result = crossTab(codebook, responses, { question: "use" }, { question: "kids" });
    expect(result.n).toBe(2);
    expect(result.excluded).toBe(2);
    expect(result.test).toEqual({
      insufficient:
        "the table needs at least two rows and two columns with a non-zero total (has 1 × 1)",
    });
  });

  it("tests a weighted table with the design-based Rao–Scott test, never an unweighted Fisher p (issue 12)", () => {
    // Regression: a weighted table used to show Fisher's p on the respondents' counts beside
    // weighted shares. Weights 2 for the first four: cells (count, Σw, Σw²) are
    // [[(3, 6, 12), (1, 2, 4)], [(2, 2, 2), (2, 2, 2)]].
    const responses = [
      ...repeat(3, { kids: true, barriers: ["hours"] }),
      ...repeat(1, { kids: true, barriers: ["fees"] }),
      ...repeat(2, { kids: false, barriers: ["hours"] }),
      ...repeat(2, { kids: false, barriers: ["fees"] }),
    ];
    const weights = new Map(responses.map((r, i) => [r.id, i < 4 ? 2 : 1]));
    const result = crossTab(
      codebook,
      responses,
      { question: "kids" },
      { question: "barriers", choice: "hours" },
      { weights },
    );
    expect(result.cells.map((row) => row.map((c) => c.weighted))).toEqual([
      [6, 2],
      [2, 2],
    ]);
    if ("insufficient" in result.test) throw new Error(result.test.insufficient);
    const expected = raoScottChiSquare([
      [
        { count: 3, weight: 6, weightSquares: 12 },
        { count: 1, weight: 2, weightSquares: 4 },
      ],
      [
        { count: 2, weight: 2, weightSquares: 2 },
        { count: 2, weight: 2, weightSquares: 2 },
      ],
    ]);
    expect(result.test.method).toBe("rao-scott");
    expect(result.test.fisherPValue).toBeNull();
    expect(result.test.pValue).toBeCloseTo(expected.pValue, 12);
    expect(result.test.statistic).toBeCloseTo(expected.statistic, 12);
    expect(result.test.denominatorDf).toBeCloseTo(expected.denominatorDf, 9);
    expect(result.test.effectiveSampleSize).toBeCloseTo(8 / expected.meanDesignEffect, 12);
  });

  it("explains which questions cannot be cross-tabulated whole", () => {
    expect(() => crossTab(codebook, [], { question: "barriers" }, { group: "language" })).toThrow(
      /multi-select question: cross-tabulate one of its choices \(choice: "hours"/,
    );
    expect(() => crossTab(codebook, [], { question: "agree" }, { group: "language" })).toThrow(
      /name one of its rows/,
    );
    expect(() => crossTab(codebook, [], { question: "comment" }, { group: "language" })).toThrow(
      /comment question/,
    );
    expect(() => crossTab(codebook, [], { question: "nope" }, { group: "language" })).toThrow(
      /no question "nope"/,
    );
  });

  it("cross-tabulates a matrix row", () => {
    const responses = [
      ...repeat(2, { agree: { staff: 3 } }, { language: "en" }),
      ...repeat(1, { agree: { staff: 1 } }, { language: "es" }),
    ];
    const result = crossTab(
      codebook,
      responses,
      { question: "agree", row: "staff" },
      { group: "language" },
    );
    expect(result.rowVariable.title).toBe("Do you agree?: Staff are kind");
    expect(result.cells.map((row) => row.map((c) => c.count))).toEqual([
      [0, 1],
      [0, 0],
      [2, 0],
    ]);
  });
});

describe("crossTabView", () => {
  const table: [string, number[]][] = [
    ["weekly", [90, 60, 104, 95]],
    ["monthly", [30, 50, 51, 20]],
    ["never", [30, 40, 45, 35]],
  ];
  const responses: ResponseRecord[] = table.flatMap(([use, counts]) =>
    counts.flatMap((count, column) => repeat(count, { use }, { location: "ABCD"[column] })),
  );
  const result = crossTab(codebook, responses, { question: "use" }, { group: "location" });

  it("states the test, its p-value and the bias-corrected Cramér's V read for the table's size when no cell is hidden", () => {
    const view = crossTabView(result, 10, translator("en"));
    expect(view.test).toMatch(
      /^Chi-square = 24\.57, df = 6, p < 0\.001\. Cramér's V \(bias-corrected\) = 0\.\d\d, a (negligible|small) association for a table with min\(rows, columns\) − 1 = 2\.$/,
    );
  });

  it("gives only the conclusion once a cell is hidden (issue 13)", () => {
    const view = crossTabView(result, 100, translator("en"));
    expect(view.test).toMatch(/^The difference is statistically significant at the 5% level\./);
    expect(view.test).not.toMatch(/Chi-square|Cramér/);
  });
});
