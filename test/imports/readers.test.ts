// The small readers the importers rely on: dates, age bands, geography identifiers, ACS values.
import { describe, expect, it } from "vitest";
import { parseEstimate, parseMargin, yearFromFileName } from "../../server/imports/acs.ts";
import {
  AGE_BANDS,
  ageBandIndex,
  formatAgeBand,
  parseAgeLabel,
} from "../../server/imports/age-bands.ts";
import { ageOn, parseDate, parseMonth, windowStart } from "../../server/imports/dates.ts";
import { normalisePatronGeography, parseGeoId } from "../../server/imports/geography.ts";

describe("dates", () => {
  it.each([
    ["2024-03-31", "mdy", { year: 2024, month: 3, day: 31 }],
    ["2024/03/31", "mdy", { year: 2024, month: 3, day: 31 }],
    ["20240331", "mdy", { year: 2024, month: 3, day: 31 }],
    ["2024-03-31T10:22:00Z", "mdy", { year: 2024, month: 3, day: 31 }],
    ["2024-03-31 10:22:00-05", "mdy", { year: 2024, month: 3, day: 31 }],
    ["03/04/2024", "mdy", { year: 2024, month: 3, day: 4 }],
    ["03/04/2024", "dmy", { year: 2024, month: 4, day: 3 }],
    ["3/31/2024 10:22 AM", "mdy", { year: 2024, month: 3, day: 31 }],
    ["03-31-2024", "mdy", { year: 2024, month: 3, day: 31 }],
    ["31.03.2024", "dmy", { year: 2024, month: 3, day: 31 }],
    ["31-Mar-2024", "mdy", { year: 2024, month: 3, day: 31 }],
    ["Mar 31, 2024", "mdy", { year: 2024, month: 3, day: 31 }],
    ["2024-02-29", "mdy", { year: 2024, month: 2, day: 29 }],
  ] as const)("reads %s (%s)", (text, order, expected) => {
    expect(parseDate(text, order)).toEqual(expected);
  });

  it.each(["2023-02-29", "03/31/24", "31/03/2024", "13-01-2024", "yesterday", "2024-3-31x", ""])(
    "refuses %s",
    (text) => {
      expect(parseDate(text, "mdy")).toBeNull();
    },
  );

  it("reads months by number or English name", () => {
    expect([
      parseMonth("3"),
      parseMonth("03"),
      parseMonth("March"),
      parseMonth("sept."),
      parseMonth("13"),
    ]).toEqual([3, 3, 3, 9, null]);
  });

  it("computes whole years of age, birthdays included", () => {
    const asOf = { year: 2024, month: 3, day: 31 };
    expect(ageOn({ year: 1961, month: 3, day: 31 }, asOf)).toBe(63);
    expect(ageOn({ year: 1996, month: 4, day: 1 }, asOf)).toBe(27);
    expect(ageOn({ year: 2000, month: 2, day: 29 }, { year: 2023, month: 2, day: 28 })).toBe(22);
  });

  it("starts the activity window the day after the same day N months earlier", () => {
    expect(windowStart({ year: 2024, month: 3, day: 31 }, 12)).toEqual({
      year: 2023,
      month: 4,
      day: 1,
    });
    expect(windowStart({ year: 2024, month: 2, day: 29 }, 12)).toEqual({
      year: 2023,
      month: 3,
      day: 1,
    });
    expect(windowStart({ year: 2024, month: 6, day: 30 }, 6)).toEqual({
      year: 2024,
      month: 1,
      day: 1,
    });
    expect(windowStart({ year: 2023, month: 2, day: 28 }, 12)).toEqual({
      year: 2022,
      month: 3,
      day: 1,
    });
    expect(windowStart({ year: 2024, month: 3, day: 15 }, 12)).toEqual({
      year: 2023,
      month: 3,
      day: 16,
    });
  });
});

describe("age bands", () => {
  it("partition 0 … 110 into the 19 census-compatible bands", () => {
    expect(AGE_BANDS.map((b) => b.label)).toEqual([
      "Under 5 years",
      "5 to 9 years",
      "10 to 14 years",
      "15 to 17 years",
      "18 to 19 years",
      "20 to 24 years",
      "25 to 29 years",
      "30 to 34 years",
      "35 to 39 years",
      "40 to 44 years",
      "45 to 49 years",
      "50 to 54 years",
      "55 to 59 years",
      "60 to 64 years",
      "65 to 69 years",
      "70 to 74 years",
      "75 to 79 years",
      "80 to 84 years",
      "85 years and over",
    ]);
    expect([
      ageBandIndex(0),
      ageBandIndex(17),
      ageBandIndex(18),
      ageBandIndex(110),
      ageBandIndex(111),
    ]).toEqual([0, 3, 4, 18, -1]);
  });

  it.each([
    ["Under 5", 0, 4],
    ["under 5 years", 0, 4],
    ["10 to 19 years", 10, 19],
    ["18-24", 18, 24],
    ["18–24 yrs", 18, 24],
    ["18 and 19 years", 18, 19],
    ["65+", 65, null],
    ["85 years and over", 85, null],
    ["65 or older", 65, null],
    ["20 years", 20, 20],
  ] as const)("parses %s", (label, lo, hi) => {
    expect(parseAgeLabel(label)).toEqual({ lo, hi });
  });

  it("refuses labels that are not age ranges", () => {
    expect([parseAgeLabel("Teen"), parseAgeLabel("24-18"), parseAgeLabel("Total")]).toEqual([
      null,
      null,
      null,
    ]);
  });

  it("formats labels back canonically", () => {
    expect([
      formatAgeBand(0, 4),
      formatAgeBand(10, 19),
      formatAgeBand(65, null),
      formatAgeBand(20, 20),
    ]).toEqual(["Under 5 years", "10 to 19 years", "65 years and over", "20 years"]);
  });
});

describe("geography identifiers", () => {
  it.each([
    ["1400000US06075010101", "06075010101", "tract"],
    ["1500000US060750101001", "060750101001", "blockgroup"],
    ["860Z200US02134", "02134", "zcta"],
    ["8600000US94110", "94110", "zcta"],
    ["1600000US0667000", "0667000", "place"],
    ["0500000US06075", "06075", "county"],
    ["0100000US", "US", "nation"],
  ] as const)("reads GEO_ID %s", (text, geoid, kind) => {
    expect(parseGeoId(text)).toEqual({ geoid, kind });
  });

  it("refuses GEO_IDs of the wrong length, with letters, or of unknown summary levels", () => {
    expect([
      parseGeoId("1400000US0607501010"),
      parseGeoId("1400000US0607501010X"),
      parseGeoId("9990000US1"),
    ]).toEqual([null, null, null]);
  });

  it("normalises patron geographies", () => {
    expect(normalisePatronGeography("94110-1234", "zip")).toBe("94110");
    expect(normalisePatronGeography("941101234", "zip")).toBe("94110");
    expect(normalisePatronGeography("2134", "zip")).toBe("02134");
    expect(normalisePatronGeography("ABCDE", "zip")).toBeNull();
    expect(normalisePatronGeography("  ", "zip")).toBe("");
    expect(normalisePatronGeography("1400000US06075010101", "tract")).toBe("06075010101");
    expect(normalisePatronGeography("060750101003", "tract")).toBe("06075010100"); // its block group's tract
    expect(normalisePatronGeography("Riverside", "custom")).toBe("Riverside");
  });
});

describe("ACS cells", () => {
  it("reads estimates and the annotations that mean 'not available'", () => {
    expect([
      parseEstimate("1,234"),
      parseEstimate("0"),
      parseEstimate("-"),
      parseEstimate("N"),
      parseEstimate("(X)"),
      parseEstimate("-666666666"),
    ]).toEqual([1234, 0, "unavailable", "unavailable", "unavailable", "unavailable"]);
    expect([parseEstimate("abc"), parseEstimate("-5")]).toEqual(["bad", "bad"]);
  });

  it("reads margins: ***** (controlled) is 0; **, ***, N, (X), null and blank are unknown", () => {
    expect([parseMargin("12"), parseMargin("*****"), parseMargin("-555555555")]).toEqual([
      12, 0, 0,
    ]);
    expect([
      parseMargin("**"),
      parseMargin("***"),
      parseMargin("N"),
      parseMargin("(X)"),
      parseMargin("null"),
      parseMargin(""),
      parseMargin("-222222222"),
    ]).toEqual([null, null, null, null, null, null, null]);
    expect(parseMargin("±12")).toBe("bad");
  });

  it("reads the year from data.census.gov file names", () => {
    expect([
      yearFromFileName("ACSDT5Y2022.B01001-Data.csv"),
      yearFromFileName("ACSDT1Y2019.C16001-Data.csv"),
      yearFromFileName("export.csv"),
    ]).toEqual([2022, 2019, null]);
  });
});
