import { describe, expect, it } from "vitest";
import { cramersV } from "../../server/analysis/cramers-v.ts";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";
import { SCIPY_TOLERANCE, scipyReference } from "./fixtures/scipy-reference.ts";

const reference = scipyReference.independence;

describe("cramersV", () => {
  it("gives 0.104 for Agresti's party identification table (√(30.07 / 2757))", () => {
    // Agresti (2007) Table 2.5; min(r, c) − 1 = 1, so V = √(X²/N).
    const v = cramersV([
      [762, 327, 468],
      [484, 239, 477],
    ]);
    expect(v).toBeCloseTo(Math.sqrt(30.070149095754672 / 2757), 12);
    expect(Math.abs(v - reference.agrestiParty.cramersV)).toBeLessThan(SCIPY_TOLERANCE);
  });

  it("matches SciPy's association(method='cramer') on 2 × 2, 3 × 3 and 4 × 4 tables", () => {
    expect(
      Math.abs(
        cramersV([
          [12, 5],
          [7, 9],
        ]) - reference.twoByTwo.cramersV,
      ),
    ).toBeLessThan(SCIPY_TOLERANCE);
    // The all-zero row is not counted in min(r, c), as SciPy sees the 2 × 3 table.
    expect(
      Math.abs(
        cramersV([
          [10, 20, 30],
          [0, 0, 0],
          [15, 25, 5],
        ]) - reference.zeroRow.cramersV,
      ),
    ).toBeLessThan(SCIPY_TOLERANCE);
    expect(
      Math.abs(
        cramersV([
          [1, 3, 10, 6],
          [2, 3, 10, 7],
          [1, 6, 14, 12],
          [0, 1, 9, 11],
        ]) - reference.fourByFour.cramersV,
      ),
    ).toBeLessThan(SCIPY_TOLERANCE);
  });

  it("is 1 for perfect association and 0 for independence", () => {
    expect(
      cramersV([
        [10, 0],
        [0, 10],
      ]),
    ).toBeCloseTo(1, 12);
    expect(
      cramersV([
        [10, 20],
        [5, 10],
      ]),
    ).toBe(0);
  });

  it("passes on insufficient data rather than returning NaN", () => {
    expect(() =>
      cramersV([
        [0, 0],
        [0, 0],
      ]),
    ).toThrow(InsufficientDataError);
  });
});
