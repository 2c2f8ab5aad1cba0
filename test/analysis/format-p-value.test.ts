import { describe, expect, it } from "vitest";
import { formatExactPValue } from "../../server/analysis/format-p-value.ts";

describe("formatExactPValue", () => {
  it("writes p with three decimals from 0.001 up and two significant digits below", () => {
    expect(formatExactPValue(0.0421)).toBe("p = 0.042");
    expect(formatExactPValue(1)).toBe("p = 1.000");
    expect(formatExactPValue(3.3414880386413873e-141)).toBe("p = 3.3e-141");
  });

  it("reports p below 1e-300 as a bound, never as 0", () => {
    expect(formatExactPValue(Number.MIN_VALUE)).toBe("p < 1e-300");
    expect(formatExactPValue(0)).toBe("p < 1e-300");
    expect(formatExactPValue(1e-300)).toBe("p = 1.0e-300");
  });

  it("refuses a value that is not a probability, naming itself", () => {
    expect(() => formatExactPValue(1.5)).toThrow(/^formatExactPValue: pValue/);
    expect(() => formatExactPValue(Number.NaN)).toThrow(/^formatExactPValue: pValue/);
  });
});
