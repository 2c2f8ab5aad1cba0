import { describe, expect, it } from "vitest";
import { fisherExact2x2 } from "../../server/analysis/fisher-exact-2x2.ts";
import { SCIPY_TOLERANCE, scipyReference } from "./fixtures/scipy-reference.ts";

const reference = scipyReference.fisher;

describe("fisherExact2x2", () => {
  it("reproduces the lady tasting tea (p = 0.4857)", () => {
    // R. A. Fisher (1935), The Design of Experiments; A. Agresti (2007), An Introduction to
    // Categorical Data Analysis, 2nd ed., Table 2.8: 3 of 4 milk-first cups identified.
    // By hand: P(3) = C(4,3)C(4,1)/C(8,4) = 16/70; tables as or less likely: x = 0, 1, 3, 4,
    // (1 + 16 + 16 + 1)/70 = 34/70 = 0.4857.
    const p = fisherExact2x2(3, 1, 1, 3);
    expect(p).toBeCloseTo(34 / 70, 12);
    expect(Math.abs(p - reference.tea)).toBeLessThan(SCIPY_TOLERANCE);
  });

  it.each([
    ["a", [8, 2, 1, 5]],
    ["equal", [10, 10, 10, 10]],
    ["extreme", [0, 5, 5, 0]],
    ["large", [120, 80, 95, 105]],
    ["skewed", [1, 9, 11, 3]],
    ["big", [1500, 1300, 1400, 1450]],
  ] as const)("matches SciPy's fisher_exact on table %s", (name, [a, b, c, d]) => {
    expect(Math.abs(fisherExact2x2(a, b, c, d) - reference[name])).toBeLessThan(SCIPY_TOLERANCE);
  });

  it("keeps tables tied with the observed one despite rounding (symmetric margins)", () => {
    // With equal margins P(x) = P(n − x) exactly; both tails must be counted.
    expect(fisherExact2x2(1, 4, 4, 1)).toBeCloseTo(2 * ((1 + 25) / 252), 12);
  });

  it("returns 1 when a margin is 0 (only one table is possible)", () => {
    expect(fisherExact2x2(0, 0, 4, 6)).toBe(reference.zeroMargin);
    expect(fisherExact2x2(3, 0, 5, 0)).toBe(1);
  });

  it("refuses counts that are not non-negative integers, naming itself", () => {
    expect(() => fisherExact2x2(1.5, 2, 3, 4)).toThrow(
      /^fisherExact2x2: a must be a non-negative integer/,
    );
    expect(() => fisherExact2x2(1, 2, -3, 4)).toThrow(/^fisherExact2x2: c must be/);
  });
});
