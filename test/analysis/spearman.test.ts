import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";
import { spearman } from "../../server/analysis/spearman.ts";
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

describe("spearman", () => {
  it("matches SciPy's spearmanr on Anscombe's data set I (no ties: ρ = 1 − 6Σd²/(n(n²−1)) = 0.818)", () => {
    const result = spearman(anscombeI.x, anscombeI.y);
    // By hand: Σd² = 40, 1 − 6·40/(11·120) = 0.81818
    expect(result.r).toBeCloseTo(1 - (6 * 40) / (11 * 120), 12);
    expectClose(result.r, reference.anscombeSpearman.r);
    expectClose(result.pValue, reference.anscombeSpearman.pValue);
    expectClose(result.ci95?.[0], reference.anscombeSpearman.ci95[0]);
    expectClose(result.ci95?.[1], reference.anscombeSpearman.ci95[1]);
  });

  it("uses average ranks for ties (matches SciPy, unlike the Σd² shortcut)", () => {
    const result = spearman(withTies.x, withTies.y);
    expectClose(result.r, reference.tiesSpearman.r);
    expectClose(result.pValue, reference.tiesSpearman.pValue);
    expectClose(result.ci95?.[0], reference.tiesSpearman.ci95[0]);
    expectClose(result.ci95?.[1], reference.tiesSpearman.ci95[1]);
  });

  it("is 1 for any increasing relationship, not only a straight line", () => {
    const result = spearman([1, 2, 3, 4, 5], [1, 4, 9, 16, 25]);
    expect(result.r).toBe(1);
    expect(result.pValue).toBe(0);
  });

  it("reports insufficient data under its own name when a variable is constant", () => {
    expect(() => spearman([2, 2, 2], [1, 2, 3])).toThrow(InsufficientDataError);
    expect(() => spearman([2, 2, 2], [1, 2, 3])).toThrow(/^spearman: insufficient data/);
  });

  it("refuses different lengths and non-finite values, naming itself", () => {
    expect(() => spearman([1, 2], [1])).toThrow(/^spearman: x has 2 values/);
    expect(() => spearman([1, Number.POSITIVE_INFINITY], [1, 2])).toThrow(/^spearman:/);
  });
});
