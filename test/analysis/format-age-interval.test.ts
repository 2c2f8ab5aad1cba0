import { describe, expect, it } from "vitest";
import { parseAgeInterval } from "../../server/analysis/age-interval.ts";
import { formatAgeInterval } from "../../server/analysis/format-age-interval.ts";

describe("formatAgeInterval", () => {
  it.each([
    [{ lo: 0, hi: 5 }, "Under 5 years"],
    [{ lo: 0, hi: 1 }, "Under 1 year"],
    [{ lo: 5, hi: 10 }, "5 to 9 years"],
    [{ lo: 20, hi: 21 }, "20 years"],
    [{ lo: 1, hi: 2 }, "1 year"],
    [{ lo: 20, hi: 35 }, "20 to 34 years"],
    [{ lo: 65, hi: null }, "65 years and over"],
    [{ lo: 0, hi: null }, "All ages"],
  ])("labels %j as %j, like a census row", (interval, label) => {
    expect(formatAgeInterval(interval)).toBe(label);
  });

  it("gives labels that parse back to the same interval", () => {
    for (const interval of [
      { lo: 0, hi: 5 },
      { lo: 18, hi: 20 },
      { lo: 21, hi: 22 },
      { lo: 85, hi: null },
    ]) {
      expect(parseAgeInterval(formatAgeInterval(interval))).toEqual(interval);
    }
  });

  it("refuses an empty or reversed interval, naming itself", () => {
    expect(() => formatAgeInterval({ lo: 10, hi: 10 })).toThrow(/^formatAgeInterval:/);
    expect(() => formatAgeInterval({ lo: -1, hi: 5 })).toThrow(RangeError);
  });
});
