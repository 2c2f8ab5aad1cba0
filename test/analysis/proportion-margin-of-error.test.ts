import { describe, expect, it } from "vitest";
import { proportionMarginOfError } from "../../server/analysis/proportion-margin-of-error.ts";

describe("proportionMarginOfError", () => {
  it("applies the ACS handbook formula for a derived proportion", () => {
    // By hand: p = 1500 / 10000 = 0.15; √(250² − 0.15² · 400²) / 10000 = √(62500 − 3600) / 10000
    // = √58900 / 10000 = 0.024269…
    expect(proportionMarginOfError(1500, 250, 10000, 400)).toBeCloseTo(
      Math.sqrt(58900) / 10000,
      14,
    );
  });

  it("falls back to the ratio formula when the value under the root is negative", () => {
    // p = 0.8: 100² − 0.64 · 300² = 10000 − 57600 < 0 → √(10000 + 57600) / 1000 = 0.26
    expect(proportionMarginOfError(800, 100, 1000, 300)).toBeCloseTo(Math.sqrt(67600) / 1000, 14);
  });

  it("refuses a zero denominator or a part larger than the whole, naming itself", () => {
    expect(() => proportionMarginOfError(1, 1, 0, 1)).toThrow(
      /^proportionMarginOfError: the denominator/,
    );
    expect(() => proportionMarginOfError(11, 1, 10, 1)).toThrow(
      /^proportionMarginOfError: the numerator/,
    );
    expect(() => proportionMarginOfError(1, -1, 10, 1)).toThrow(
      /^proportionMarginOfError: values\[1\]/,
    );
  });
});
