import { describe, expect, it } from "vitest";
import { chiSquareIndependence } from "../../server/analysis/chi-square-independence.ts";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";
import { SCIPY_TOLERANCE, scipyReference } from "./fixtures/scipy-reference.ts";

const reference = scipyReference.independence;

describe("chiSquareIndependence", () => {
  it("reproduces Agresti's party identification by gender table (X² = 30.1, df = 2)", () => {
    // A. Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed., Table 2.5
    // (General Social Survey 2002): rows female/male, columns Democrat/Independent/Republican.
    // The book reports X² = 30.1 with df = 2 (P < 0.001).
    const table = [
      [762, 327, 468],
      [484, 239, 477],
    ];
    const result = chiSquareIndependence(table);
    expect(result.statistic).toBeCloseTo(30.1, 1);
    expect(Math.abs(result.statistic - reference.agrestiParty.statistic)).toBeLessThan(
      SCIPY_TOLERANCE,
    );
    expect(result.df).toBe(2);
    expect(Math.abs(result.pValue - reference.agrestiParty.pValue)).toBeLessThan(SCIPY_TOLERANCE);
    expect(result.n).toBe(2757);
    // Expected count, female Democrats, by hand: 1557 × 1246 / 2757 = 703.7
    expect(result.expected[0]?.[0]).toBeCloseTo((1557 * 1246) / 2757, 10);
    expect(result.minExpected).toBeCloseTo(reference.agrestiParty.minExpected, 9);
    expect(result.reliable).toBe(true);
  });

  it("applies no continuity correction to a 2 × 2 table (matches SciPy with correction=False)", () => {
    const result = chiSquareIndependence([
      [12, 5],
      [7, 9],
    ]);
    expect(Math.abs(result.statistic - reference.twoByTwo.statistic)).toBeLessThan(SCIPY_TOLERANCE);
    expect(result.df).toBe(1);
    expect(Math.abs(result.pValue - reference.twoByTwo.pValue)).toBeLessThan(SCIPY_TOLERANCE);
  });

  it("leaves an all-zero row out of the statistic and df, keeping the table's shape", () => {
    const result = chiSquareIndependence([
      [10, 20, 30],
      [0, 0, 0],
      [15, 25, 5],
    ]);
    expect(result.df).toBe(reference.zeroRow.df);
    expect(Math.abs(result.statistic - reference.zeroRow.statistic)).toBeLessThan(SCIPY_TOLERANCE);
    expect(Math.abs(result.pValue - reference.zeroRow.pValue)).toBeLessThan(SCIPY_TOLERANCE);
    expect(result.expected[1]).toEqual([0, 0, 0]);
    expect(result.minExpected).toBeCloseTo(reference.zeroRow.minExpected, 10);
  });

  it("flags a table with expected counts under 5 as not reliable", () => {
    const result = chiSquareIndependence([
      [1, 3, 10, 6],
      [2, 3, 10, 7],
      [1, 6, 14, 12],
      [0, 1, 9, 11],
    ]);
    expect(result.df).toBe(9);
    expect(Math.abs(result.pValue - reference.fourByFour.pValue)).toBeLessThan(SCIPY_TOLERANCE);
    expect(result.minExpected).toBeCloseTo(reference.fourByFour.minExpected, 10);
    expect(result.reliable).toBe(false);
  });

  it("reports insufficient data when fewer than two rows or columns have counts", () => {
    expect(() =>
      chiSquareIndependence([
        [1, 2, 3],
        [0, 0, 0],
      ]),
    ).toThrow(InsufficientDataError);
    expect(() =>
      chiSquareIndependence([
        [5, 0],
        [3, 0],
      ]),
    ).toThrow(/needs at least two rows and two columns/);
  });

  it("refuses a ragged table and negative counts, naming itself", () => {
    expect(() => chiSquareIndependence([[1, 2], [3]])).toThrow(
      /^chiSquareIndependence: row 1 has 1 cells/,
    );
    expect(() =>
      chiSquareIndependence([
        [1, 2],
        [3, -4],
      ]),
    ).toThrow(/table\[1\]\[1\]/);
    expect(() => chiSquareIndependence([])).toThrow(/non-empty/);
  });
});
