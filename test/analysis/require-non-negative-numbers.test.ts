import { describe, expect, it } from "vitest";
import { requireNonNegativeNumbers } from "../../server/analysis/require-non-negative-numbers.ts";

describe("requireNonNegativeNumbers", () => {
  it("accepts zero and positive finite numbers", () => {
    expect(() => requireNonNegativeNumbers("f", "counts", [0, 1, 2.5])).not.toThrow();
  });

  it("names the function, the argument and the index of the first bad value", () => {
    expect(() => requireNonNegativeNumbers("chiSquareGoodnessOfFit", "observed", [1, -1])).toThrow(
      "chiSquareGoodnessOfFit: observed[1] must be a finite number ≥ 0 (got -1)",
    );
    expect(() => requireNonNegativeNumbers("f", "x", [Number.POSITIVE_INFINITY])).toThrow(/x\[0\]/);
    expect(() => requireNonNegativeNumbers("f", "x", [Number.NaN])).toThrow(/got NaN/);
  });
});
