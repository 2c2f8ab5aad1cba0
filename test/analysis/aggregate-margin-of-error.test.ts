import { describe, expect, it } from "vitest";
import { aggregateMarginOfError } from "../../server/analysis/aggregate-margin-of-error.ts";

describe("aggregateMarginOfError", () => {
  it("is the square root of the sum of squared MOEs (ACS General Handbook ch. 8)", () => {
    expect(aggregateMarginOfError([3, 4])).toBe(5);
    // By hand: √(120² + 95² + 210²) = √(14400 + 9025 + 44100) = √67525 = 259.856
    expect(aggregateMarginOfError([120, 95, 210])).toBeCloseTo(Math.sqrt(67525), 10);
  });

  it("keeps only the largest MOE among zero estimates (Census Bureau rule)", () => {
    // Example from the Census Bureau's rule: estimates 36, 0, 0, 0 with MOEs 56, 25, 28, 31
    // → √(56² + 31²) = 64.01
    expect(aggregateMarginOfError([56, 25, 28, 31], [36, 0, 0, 0])).toBeCloseTo(
      Math.sqrt(56 ** 2 + 31 ** 2),
      10,
    );
    // All zero estimates → the largest MOE alone
    expect(aggregateMarginOfError([27, 19, 22], [0, 0, 0])).toBe(27);
    // Without estimates, every MOE counts
    expect(aggregateMarginOfError([56, 25, 28, 31])).toBeCloseTo(
      Math.sqrt(56 ** 2 + 25 ** 2 + 28 ** 2 + 31 ** 2),
      10,
    );
  });

  it("is 0 for nothing to add", () => {
    expect(aggregateMarginOfError([])).toBe(0);
  });

  it("refuses negative values and mismatched lengths, naming itself", () => {
    expect(() => aggregateMarginOfError([3, -4])).toThrow(
      /^aggregateMarginOfError: marginsOfError\[1\]/,
    );
    expect(() => aggregateMarginOfError([3, 4], [1])).toThrow(/^aggregateMarginOfError: 2 margins/);
  });
});
