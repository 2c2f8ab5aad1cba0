import { describe, expect, it } from "vitest";
import { chiSquareGoodnessOfFit } from "../../server/analysis/chi-square-goodness-of-fit.ts";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";
import { SCIPY_TOLERANCE, scipyReference } from "./fixtures/scipy-reference.ts";

const reference = scipyReference.goodnessOfFit;

describe("chiSquareGoodnessOfFit", () => {
  it("reproduces Mendel's pea data (X² = 0.470, df = 3, p = 0.925)", () => {
    // G. Mendel (1866): 315 round-yellow, 108 round-green, 101 wrinkled-yellow, 32
    // wrinkled-green peas against the 9:3:3:1 ratio; the classic textbook example
    // (e.g. Agresti 2013, §1.5.4). Hand computation: N = 556, expected 312.75, 104.25,
    // 104.25, 34.75; X² = 0.0162 + 0.1349 + 0.1013 + 0.2176 = 0.4700.
    const result = chiSquareGoodnessOfFit([315, 108, 101, 32], [9 / 16, 3 / 16, 3 / 16, 1 / 16]);
    expect(result.df).toBe(3);
    expect(result.statistic).toBeCloseTo(reference.mendel.statistic, 10);
    expect(Math.abs(result.pValue - reference.mendel.pValue)).toBeLessThan(SCIPY_TOLERANCE);
  });

  it("matches SciPy on a three-category example and on a tiny p-value", () => {
    // Hand computation: expected 40, 40, 20; X² = 100/40 + 100/40 + 0 = 5.
    const threeWay = chiSquareGoodnessOfFit([50, 30, 20], [0.4, 0.4, 0.2]);
    expect(threeWay.statistic).toBeCloseTo(5, 12);
    expect(threeWay.df).toBe(2);
    expect(Math.abs(threeWay.pValue - reference.threeWay.pValue)).toBeLessThan(SCIPY_TOLERANCE);

    const large = chiSquareGoodnessOfFit([900, 100], [0.5, 0.5]);
    expect(large.statistic).toBeCloseTo(reference.large.statistic, 9);
    expect(Math.abs(large.pValue - reference.large.pValue)).toBeLessThan(SCIPY_TOLERANCE);
    expect(Number.isFinite(large.pValue)).toBe(true);
  });

  it("leaves out a category with expected proportion 0 and no observations (df counts only tested categories)", () => {
    const result = chiSquareGoodnessOfFit([10, 20, 0, 30], [0.2, 0.3, 0, 0.5]);
    expect(result.df).toBe(reference.zeroExpected.df);
    expect(result.statistic).toBeCloseTo(reference.zeroExpected.statistic, 10);
    expect(Math.abs(result.pValue - reference.zeroExpected.pValue)).toBeLessThan(SCIPY_TOLERANCE);
  });

  it("refuses observations in a category whose expected proportion is 0", () => {
    expect(() => chiSquareGoodnessOfFit([10, 5], [1, 0])).toThrow(
      /^chiSquareGoodnessOfFit: category 1 has 5 observations but an expected proportion of 0/,
    );
  });

  it("reports insufficient data for no observations or a single tested category", () => {
    expect(() => chiSquareGoodnessOfFit([0, 0], [0.5, 0.5])).toThrow(InsufficientDataError);
    expect(() => chiSquareGoodnessOfFit([4, 0], [1, 0])).toThrow(InsufficientDataError);
  });

  it("refuses mismatched lengths, negative counts and proportions that do not sum to 1", () => {
    expect(() => chiSquareGoodnessOfFit([1, 2], [1])).toThrow(/observed has 2 categories/);
    expect(() => chiSquareGoodnessOfFit([1, -2], [0.5, 0.5])).toThrow(/observed\[1\]/);
    expect(() => chiSquareGoodnessOfFit([1, 2], [0.5, 0.6])).toThrow(/must sum to 1/);
  });
});
