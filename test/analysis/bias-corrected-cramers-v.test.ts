import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { biasCorrectedCramersV } from "../../server/analysis/bias-corrected-cramers-v.ts";
import { cramersVStrength } from "../../server/analysis/cramers-v-strength.ts";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";

// Expected values: Bergsma's (2013) formula on SciPy 1.10.1's chi2_contingency X², by
// test/analysis/fixtures/survey-statistics/survey-statistics.py.
const { cramersV } = JSON.parse(
  readFileSync(
    new URL("./fixtures/survey-statistics/survey-statistics.json", import.meta.url),
    "utf8",
  ),
) as { cramersV: Record<string, { table: number[][]; uncorrected: number; corrected: number }> };

describe("biasCorrectedCramersV", () => {
  it.each(Object.entries(cramersV))("matches Bergsma's formula on the %s table", (_, entry) => {
    expect(biasCorrectedCramersV(entry.table)).toBeCloseTo(entry.corrected, 12);
    expect(biasCorrectedCramersV(entry.table)).toBeLessThanOrEqual(entry.uncorrected);
  });

  it("is 0 when the association is no larger than chance (a weak 2 × 5 table whose classic V is 0.10)", () => {
    expect(biasCorrectedCramersV(cramersV.weakTwoByFive?.table ?? [])).toBe(0);
  });

  it("does not depend on the table's scale once the sample size is given", () => {
    const table = cramersV.threeByFour?.table ?? [];
    const n = table.flat().reduce((a, b) => a + b, 0);
    const scaled = table.map((row) => row.map((value) => value * 3.7));
    expect(biasCorrectedCramersV(scaled, n)).toBeCloseTo(biasCorrectedCramersV(table), 12);
  });

  it("refuses a table with a single row of data", () => {
    expect(() =>
      biasCorrectedCramersV([
        [3, 4],
        [0, 0],
      ]),
    ).toThrow(InsufficientDataError);
  });
});

describe("cramersVStrength", () => {
  it("uses Cohen's thresholds 0.1, 0.3 and 0.5 divided by √min(r − 1, c − 1)", () => {
    expect(cramersVStrength(0.2, 1)).toBe("small");
    expect(cramersVStrength(0.2, 3)).toBe("medium");
    expect(cramersVStrength(0.3, 4)).toBe("large");
    expect(cramersVStrength(0.05, 1)).toBe("negligible");
  });

  it("refuses a df that is not a whole number ≥ 1", () => {
    expect(() => cramersVStrength(0.2, 0)).toThrow(/smallerDf must be an integer ≥ 1/);
  });
});
