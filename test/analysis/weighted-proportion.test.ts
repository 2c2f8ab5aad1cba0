import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";
import { weightedProportion } from "../../server/analysis/weighted-proportion.ts";

describe("weightedProportion", () => {
  it("weights the proportion and uses Kish's n_eff in the margin of error (by hand)", () => {
    // p = (1 + 1 + 1)/5 = 0.6; n_eff = 25/7; MOE = 1.96·√(0.24/(25/7)) = 0.50810
    const result = weightedProportion([true, false, true, true], [1, 2, 1, 1]);
    expect(result.proportion).toBeCloseTo(0.6, 12);
    expect(result.n).toBe(4);
    expect(result.effectiveSampleSize).toBeCloseTo(25 / 7, 12);
    expect(result.marginOfError).toBeCloseTo(1.96 * Math.sqrt(0.24 / (25 / 7)), 12);
    expect(result.interval[0]).toBeCloseTo(0.6 - result.marginOfError, 12);
    expect(result.interval[1]).toBe(1);
  });

  it("reduces to the simple-random-sampling margin with equal weights", () => {
    // 400 respondents, 100 yes: MOE = 1.96·√(0.25·0.75/400) = 0.04244
    const values = Array.from({ length: 400 }, (_, index) => index < 100);
    const result = weightedProportion(
      values,
      values.map(() => 1),
    );
    expect(result.marginOfError).toBeCloseTo(1.96 * Math.sqrt((0.25 * 0.75) / 400), 12);
  });

  it("widens the margin when weights vary (design effect > 1)", () => {
    const values = [true, false, true, false, true, false];
    const equal = weightedProportion(values, [1, 1, 1, 1, 1, 1]);
    const unequal = weightedProportion(values, [3, 3, 1, 1, 0.5, 0.5]);
    expect(unequal.proportion).toBeCloseTo(equal.proportion, 12);
    expect(unequal.marginOfError).toBeGreaterThan(equal.marginOfError);
  });

  it("reports insufficient data for no weight at all and refuses bad input, naming itself", () => {
    expect(() => weightedProportion([], [])).toThrow(InsufficientDataError);
    expect(() => weightedProportion([true], [0])).toThrow(InsufficientDataError);
    expect(() => weightedProportion([true], [1, 2])).toThrow(
      /^weightedProportion: 1 values but 2 weights/,
    );
    expect(() => weightedProportion([true], [-1])).toThrow(/^weightedProportion: weights\[0\]/);
  });
});
