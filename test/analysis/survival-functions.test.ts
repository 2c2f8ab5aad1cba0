import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chiSquareGoodnessOfFit } from "../../server/analysis/chi-square-goodness-of-fit.ts";
import { chiSquareSurvival } from "../../server/analysis/chi-square-survival.ts";
import { fSurvival } from "../../server/analysis/f-survival.ts";

// Expected values: SciPy 1.10.1 chi2.sf, f.sf and 2·t.sf, by
// test/analysis/fixtures/survey-statistics/survey-statistics.py.
const { tails } = JSON.parse(
  readFileSync(
    new URL("./fixtures/survey-statistics/survey-statistics.json", import.meta.url),
    "utf8",
  ),
) as {
  tails: {
    chiSquare: { x: number; df: number; p: number }[];
    f: { x: number; df1: number; df2: number; p: number }[];
    tTwoSided: { t: number; df: number; p: number }[];
  };
};

const relative = (actual: number, expected: number) =>
  expected === 0 ? actual : Math.abs(actual - expected) / expected;

describe("chiSquareSurvival", () => {
  it.each(tails.chiSquare)(
    "matches scipy.stats.chi2.sf($x, $df) to 1e-10 relative, far into the tail",
    ({ x, df, p }) => {
      if (p === 0) expect(chiSquareSurvival(x, df)).toBeLessThan(1e-300);
      else expect(relative(chiSquareSurvival(x, df), p)).toBeLessThan(1e-10);
    },
  );

  it("never returns 0 for a finite statistic: an underflowed tail is Number.MIN_VALUE", () => {
    // Regression (issue 12): 1 − cdf rounded every p below about 1e-16 to 0. SciPy's
    // chi2.logsf(4000, 3) = −1996.6…, a tail of about 1e-867, below the smallest double.
    expect(chiSquareSurvival(1500, 3)).toBeGreaterThan(0);
    expect(chiSquareSurvival(4000, 3)).toBe(Number.MIN_VALUE);
    expect(chiSquareSurvival(Number.POSITIVE_INFINITY, 3)).toBe(0);
  });

  it("gives the goodness-of-fit test a p-value that does not round to 0", () => {
    // 900 : 100 against 1 : 1 is X² = 640, df 1: scipy.stats.chi2.sf(640, 1) = 3.3414880386413873e-141.
    const { pValue } = chiSquareGoodnessOfFit([900, 100], [0.5, 0.5]);
    expect(relative(pValue, 3.3414880386413873e-141)).toBeLessThan(1e-10);
    // 420,000 patrons far from the community mix: the tail underflows, still not 0.
    const huge = chiSquareGoodnessOfFit([300_000, 100_000, 20_000], [0.4, 0.4, 0.2]);
    expect(huge.pValue).toBeGreaterThan(0);
  });

  it("gives 1 at 0 and refuses a df that is not positive", () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(() => chiSquareSurvival(2, 0)).toThrow(/df must be a finite number > 0/);
  });
});

describe("fSurvival", () => {
  it.each(tails.f)(
    "matches scipy.stats.f.sf($x, $df1, $df2) with fractional df",
    ({ x, df1, df2, p }) => {
      if (p < 1e-300) expect(fSurvival(x, df1, df2)).toBeLessThan(1e-300);
      else expect(relative(fSurvival(x, df1, df2), p)).toBeLessThan(1e-10);
    },
  );

  it.each(tails.tTwoSided)(
    "gives Student's two-sided p for t = $t on $df df as fSurvival(t², 1, df)",
    ({ t, df, p }) => {
      expect(relative(fSurvival(t * t, 1, df), p)).toBeLessThan(1e-10);
    },
  );
});
