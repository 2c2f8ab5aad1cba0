import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";
import { pearson } from "../../server/analysis/pearson.ts";
import {
  anscombeI,
  SCIPY_TOLERANCE,
  scipyReference,
  withTies,
} from "./fixtures/scipy-reference.ts";

const reference = scipyReference.correlation;

function expectClose(actual: number | null | undefined, expected: number) {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThan(SCIPY_TOLERANCE);
}

describe("pearson", () => {
  it("gives r = 0.816 for Anscombe's data set I, with SciPy's p-value and Fisher-z interval", () => {
    // Anscombe (1973) reports r = 0.816 for all four data sets.
    const result = pearson(anscombeI.x, anscombeI.y);
    expect(result.r).toBeCloseTo(0.816, 3);
    expect(result.n).toBe(11);
    expectClose(result.r, reference.anscombePearson.r);
    expectClose(result.pValue, reference.anscombePearson.pValue);
    expectClose(result.ci95?.[0], reference.anscombePearson.ci95[0]);
    expectClose(result.ci95?.[1], reference.anscombePearson.ci95[1]);
  });

  it("matches SciPy on data with ties and on a strong negative correlation", () => {
    const ties = pearson(withTies.x, withTies.y);
    expectClose(ties.r, reference.tiesPearson.r);
    expectClose(ties.pValue, reference.tiesPearson.pValue);
    expectClose(ties.ci95?.[0], reference.tiesPearson.ci95[0]);

    const negative = pearson([0.05, 0.12, 0.2, 0.31, 0.4, 0.52], [180, 150, 160, 110, 95, 70]);
    expectClose(negative.r, reference.negativePearson.r);
    expectClose(negative.pValue, reference.negativePearson.pValue);
    expectClose(negative.ci95?.[0], reference.negativePearson.ci95[0]);
    expectClose(negative.ci95?.[1], reference.negativePearson.ci95[1]);
  });

  it("gives a p-value but no interval with n = 3, and neither with n = 2", () => {
    const three = pearson([1, 2, 3], [1, 3, 2]);
    expect(three.r).toBeCloseTo(0.5, 12);
    expectClose(three.pValue, reference.threePearson.pValue);
    expect(three.ci95).toBeNull();

    const two = pearson([1, 2], [5, 3]);
    expect(two.r).toBeCloseTo(-1, 12);
    expect(two.pValue).toBeNull();
    expect(two.ci95).toBeNull();
  });

  it("returns p = 0 and a degenerate interval for a perfect line instead of Infinity", () => {
    const result = pearson([1, 2, 3, 4, 5], [3, 5, 7, 9, 11]);
    expect(result.r).toBe(1);
    expect(result.pValue).toBe(0);
    expect(result.ci95).toEqual([1, 1]);
  });

  it("reports insufficient data for a constant variable or a single pair", () => {
    expect(() => pearson([1, 1, 1, 1], [1, 2, 3, 4])).toThrow(InsufficientDataError);
    expect(() => pearson([1, 2, 3, 4], [7, 7, 7, 7])).toThrow(/y is constant/);
    expect(() => pearson([1], [2])).toThrow(/at least 2 pairs/);
  });

  it("refuses different lengths and non-finite values, naming itself", () => {
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(/^pearson: x has 3 values but y has 2/);
    expect(() => pearson([1, Number.NaN, 3], [1, 2, 3])).toThrow(/^pearson: x\[1\]/);
  });
});
