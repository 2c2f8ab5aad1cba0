// Quantile class breaks against NumPy (fixtures/quantile-breaks.py, Hyndman & Fan type 2).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { classOf, quantileBreaks } from "../../server/maps/class-breaks.ts";

const fixture = JSON.parse(
  readFileSync(path.join(ROOT_DIR, "test", "maps", "fixtures", "quantile-breaks.json"), "utf8"),
) as Record<string, { values: number[]; quantiles: number[] }>;

describe("quantile class breaks", () => {
  for (const [name, { values, quantiles }] of Object.entries(fixture)) {
    it(`gives NumPy's type-2 quintiles for the "${name}" values`, () => {
      const breaks = quantileBreaks(values, 5);
      expect(breaks).toHaveLength(quantiles.length);
      for (const [i, q] of quantiles.entries()) expect(breaks[i]).toBeCloseTo(q, 10);
    });
  }

  it("merges repeated breaks instead of making empty classes", () => {
    expect(quantileBreaks([5, 5, 5, 5, 5, 5, 9], 5)).toEqual([5]);
    expect(quantileBreaks([7, 7, 7], 5)).toEqual([]);
    expect(quantileBreaks([1, 1, 1, 1, 2, 2, 2, 2, 3, 3], 5)).toEqual([1, 2]);
  });

  it("puts a value equal to a break in the lower class", () => {
    expect(classOf(2.5, [2.5, 4.5])).toBe(0);
    expect(classOf(2.6, [2.5, 4.5])).toBe(1);
    expect(classOf(99, [2.5, 4.5])).toBe(2);
  });

  it("refuses a class count that is not a positive integer", () => {
    expect(() => quantileBreaks([1, 2], 0)).toThrow(/quantileBreaks: classes/);
  });
});
