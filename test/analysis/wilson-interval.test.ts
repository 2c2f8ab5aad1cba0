import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../server/analysis/wilson-interval.ts";

// Published worked examples: R. G. Newcombe (1998), "Two-sided confidence intervals for the
// single proportion: comparison of seven methods", Statistics in Medicine 17:857–872, Table I,
// method 3 (Wilson score interval without continuity correction), to 4 decimals.
const newcombeTableI = [
  { successes: 81, n: 263, lower: 0.2553, upper: 0.3662 },
  { successes: 15, n: 148, lower: 0.0624, upper: 0.1605 },
  { successes: 0, n: 20, lower: 0.0, upper: 0.1611 },
  { successes: 1, n: 29, lower: 0.0061, upper: 0.1718 },
];

describe("wilsonInterval", () => {
  it.each(newcombeTableI)(
    "matches Newcombe (1998) Table I for $successes of $n",
    ({ successes, n, lower, upper }) => {
      const [lo, hi] = wilsonInterval(successes, n);
      expect(lo).toBeCloseTo(lower, 4);
      expect(hi).toBeCloseTo(upper, 4);
    },
  );

  it("is exactly [0, …] with no successes and […, 1] with all successes", () => {
    expect(wilsonInterval(0, 20)[0]).toBe(0);
    expect(wilsonInterval(29, 29)[1]).toBe(1);
    // Hand computation for 29/29: centre − half = n / (n + z²) = 29 / 32.8416 = 0.88303
    expect(wilsonInterval(29, 29)[0]).toBeCloseTo(29 / (29 + 1.96 ** 2), 10);
  });

  it("contains the observed proportion and stays inside [0, 1]", () => {
    for (const [successes, n] of [
      [1, 1],
      [3, 7],
      [999, 1000],
      [0.5, 2.5],
    ] as const) {
      const [lo, hi] = wilsonInterval(successes, n);
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      expect(lo).toBeLessThanOrEqual(successes / n);
      expect(hi).toBeGreaterThanOrEqual(successes / n);
    }
  });

  it("narrows with a smaller z", () => {
    const [wideLo, wideHi] = wilsonInterval(40, 100, 2.576);
    const [narrowLo, narrowHi] = wilsonInterval(40, 100, 1.645);
    expect(narrowLo).toBeGreaterThan(wideLo);
    expect(narrowHi).toBeLessThan(wideHi);
  });

  it("refuses n = 0, successes outside [0, n] and a non-positive z, naming itself", () => {
    expect(() => wilsonInterval(0, 0)).toThrow(/^wilsonInterval: n must be/);
    expect(() => wilsonInterval(5, 4)).toThrow(
      /^wilsonInterval: successes must be between 0 and n/,
    );
    expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(Number.NaN, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 4, 0)).toThrow(/^wilsonInterval: z must be/);
  });
});
