import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatPercent,
  formatPValue,
  formatRatio,
  formatSigned,
  pValueText,
} from "../../server/analysis/finding-format.ts";

describe("finding-format", () => {
  it("writes shares as percents, with a decimal under 10%", () => {
    expect(formatPercent(0.27)).toBe("27%");
    expect(formatPercent(0.034)).toBe("3.4%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(1)).toBe("100%");
  });

  it("writes counts with separators, ratios with two decimals and p-values readably", () => {
    expect(formatCount(12345.4)).toBe("12,345");
    expect(formatRatio(0.5178)).toBe("0.52");
    expect(formatPValue(0.0004)).toBe("p < 0.001");
    expect(formatPValue(0.04213)).toBe("p = 0.042");
  });

  it("never reports a tail p-value as 0: below 1e-300 it says so (issue 12)", () => {
    expect(formatPValue(0)).toBe("p < 1e-300");
    expect(formatPValue(2e-318)).toBe("p < 1e-300");
    expect(formatPValue(Number.MIN_VALUE)).toBe("p < 1e-300");
    expect(formatPValue(3.3414880386413873e-141)).toBe("p < 0.001");
    expect(pValueText(0)).toBe("<1e-300");
    expect(pValueText(2.9535891832117595e-7)).toBe("2.954e-7");
    expect(pValueText(4.327470814385081e-173)).toBe("4.327e-173");
    expect(pValueText(0.04213)).toBe("0.04213");
  });

  it("refuses a value that is not a probability, naming itself", () => {
    expect(() => formatPValue(1.5)).toThrow(/^formatPValue: pValue/);
    expect(() => formatPValue(Number.NaN)).toThrow(/^formatPValue: pValue/);
  });

  it("uses a true minus sign and never writes −0.00", () => {
    expect(formatSigned(-0.618)).toBe("−0.62");
    expect(formatSigned(0.31)).toBe("0.31");
    expect(formatSigned(-0.001)).toBe("0.00");
  });
});
