import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";
import { linearRegression } from "../../server/analysis/linear-regression.ts";
import { anscombeI, scipyReference } from "./fixtures/scipy-reference.ts";

describe("linearRegression", () => {
  it("fits y = 3.00 + 0.500x to Anscombe's data set I (as published, and as SciPy's linregress)", () => {
    const line = linearRegression(anscombeI.x, anscombeI.y);
    expect(line.slope).toBeCloseTo(0.5, 3);
    expect(line.intercept).toBeCloseTo(3.0, 2);
    expect(line.slope).toBeCloseTo(scipyReference.regression.anscombe.slope, 9);
    expect(line.intercept).toBeCloseTo(scipyReference.regression.anscombe.intercept, 9);
    expect(line.n).toBe(11);
  });

  it("recovers an exact line computed by hand", () => {
    expect(linearRegression([0, 1, 2], [1, 3, 5])).toEqual({ slope: 2, intercept: 1, n: 3 });
  });

  it("reports insufficient data for one point or a constant x instead of NaN", () => {
    expect(() => linearRegression([1], [2])).toThrow(InsufficientDataError);
    expect(() => linearRegression([3, 3, 3], [1, 2, 3])).toThrow(/x is constant/);
  });

  it("refuses different lengths and non-finite values, naming itself", () => {
    expect(() => linearRegression([1, 2], [1])).toThrow(/^linearRegression: x has 2 values/);
    expect(() => linearRegression([1, 2], [1, Number.NaN])).toThrow(/^linearRegression: y\[1\]/);
  });
});
