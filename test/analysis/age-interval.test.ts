import { describe, expect, it } from "vitest";
import { parseAgeInterval } from "../../server/analysis/age-interval.ts";

describe("parseAgeInterval", () => {
  it.each([
    // Census Bureau (ACS B01001) row labels
    ["Under 5 years", 0, 5],
    ["5 to 9 years", 5, 10],
    ["15 to 17 years", 15, 18],
    ["18 and 19 years", 18, 20],
    ["20 years", 20, 21],
    ["21 years", 21, 22],
    ["65 years and over", 65, null],
    ["85 years and over", 85, null],
    // ILS exports and the DESIGN's examples
    ["Under 5", 0, 5],
    ["10 to 19 years", 10, 20],
    ["65+", 65, null],
    ["18-24", 18, 25],
    ["18–24", 18, 25],
    ["18 — 24", 18, 25],
    ["0-4", 0, 5],
    ["Ages 18 to 24", 18, 25],
    ["65 or older", 65, null],
    ["85 years and over:", 85, null],
    // Open Door's survey codes
    ["under_18", 0, 18],
    ["18_24", 18, 25],
    ["75_plus", 75, null],
  ] as const)("reads %j as [%d, %s)", (label, lo, hi) => {
    expect(parseAgeInterval(label)).toEqual({ lo, hi });
  });

  it.each(["Total", "Unknown", "", "prefer_not_to_say", "24-18", "5 to 5 years and a bit", "200+"])(
    "returns null for %j (reported as unknown age, not dropped)",
    (label) => {
      expect(parseAgeInterval(label)).toBeNull();
    },
  );

  it("returns null rather than throwing for a value that is not a string", () => {
    expect(parseAgeInterval(42 as unknown as string)).toBeNull();
  });
});
