import { describe, expect, it } from "vitest";
import { effectiveSampleSize } from "../../server/analysis/effective-sample-size.ts";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";

describe("effectiveSampleSize", () => {
  it("equals n for equal weights, whatever their scale", () => {
    expect(effectiveSampleSize([1, 1, 1, 1])).toBe(4);
    expect(effectiveSampleSize([2.5, 2.5, 2.5])).toBeCloseTo(3, 12);
  });

  it("is (Σw)²/Σw² for unequal weights (by hand: 5² / 7 = 3.571)", () => {
    expect(effectiveSampleSize([1, 2, 1, 1])).toBeCloseTo(25 / 7, 12);
    // Kish's design effect: n / n_eff = 1 + CV² with population CV of the weights
    const weights = [0.5, 1, 1.5, 2, 5];
    const mean = 2;
    const variance = weights.reduce((sum, w) => sum + (w - mean) ** 2, 0) / weights.length;
    expect(weights.length / effectiveSampleSize(weights)).toBeCloseTo(1 + variance / mean ** 2, 12);
  });

  it("reports insufficient data when every weight is 0 and refuses negative weights", () => {
    expect(() => effectiveSampleSize([0, 0])).toThrow(InsufficientDataError);
    expect(() => effectiveSampleSize([])).toThrow(InsufficientDataError);
    expect(() => effectiveSampleSize([1, -1])).toThrow(/^effectiveSampleSize: weights\[1\]/);
  });
});
