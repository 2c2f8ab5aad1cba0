// Patron exports of four differently shaped ILS exports, each with its mapping, against the
// cube they must give. Expected cells were worked out by hand from the fixture rows (as-of
// 2024-03-31: the 12-month window is 2023-04-01 … 2024-03-31); see the comment on each test.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { loadMapping } from "../../server/imports/mapping.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { AS_OF, fixture, freshDb } from "./helpers.ts";

let db: Db;
beforeEach(async () => {
  db = await freshDb();
});
afterEach(async () => {
  await db.destroy();
});

interface StoredCell {
  geoid: string | null;
  age_band: string | null;
  age_lo: number | null;
  age_hi: number | null;
  language: string | null;
  patron_type: string | null;
  branch: string | null;
  active: number | boolean;
  count: number;
  checkouts: number | null;
}

async function cube(importId: number) {
  const rows = (await db("patron_counts")
    .select(
      "geoid",
      "age_band",
      "age_lo",
      "age_hi",
      "language",
      "patron_type",
      "branch",
      "active",
      "count",
      "checkouts",
    )
    .where({ import_id: importId })) as StoredCell[];
  return rows
    .map((r) => ({ ...r, active: Boolean(r.active) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const sorted = <T>(rows: T[]) =>
  rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

async function run(exportFile: string, mappingFile: string) {
  return importCirculation(db, {
    by: commandLine(),
    file: fixture(exportFile),
    mapping: await loadMapping(fixture(mappingFile)),
    mappingFile: fixture(mappingFile),
    asOf: AS_OF,
  });
}

describe("a Sierra export (MM-DD-YYYY dates, ZIP+4, MARC language codes, registration date)", () => {
  beforeEach(async () => {
    await importCommunity(db, { by: commandLine(), file: fixture("community-zcta.csv") }); // ZCTAs 94110 and 94112
  });

  // Row by row (line: outcome): 2 ZIP 94110-1234, born 1990-05-15 → 33, active 2024-03-01;
  // 3 born 2016 → 7, last active 2022 → inactive; 4 born 1950 → 74, active on the as-of date;
  // 5 no ZIP, no activity ("  -  -    ") but registered 2024-01-01 → never active (registrations
  // do not count unless the mapping opts in), unknown area;
  // 6 P TYPE 15 → excluded; 7 ZIP 94103 (not imported), active on 2023-04-01 (first day of the
  // window); 8 birth date 02-30-1980 → rejected; 9 language "tlh" (not recognised, kept),
  // active 2023-03-31 (the day before the window) → inactive; 10 ZIP "ABCDE" (malformed), born
  // 1900 (implausible: age unknown), checkouts "1,234".
  it("builds the cube by hand-checked cells", async () => {
    const report = await run("sierra-patrons.csv", "sierra-mapping.json");
    expect(report).toMatchObject({
      rowsRead: 9,
      rowsAccepted: 7,
      rowsExcluded: 1,
      rowsRejected: 1,
      excluded: { "P TYPE in [15, 30]": 1 },
      asOf: "2024-03-31",
    });
    expect(report.rejected).toEqual({
      "bad birth date": {
        count: 1,
        lines: [8],
        column: "BIRTH DATE",
        expected: expect.stringMatching(/a date such as/),
      },
    });
    expect(report.details.unknownArea).toEqual({
      total: 3,
      blank: 1,
      malformed: 1,
      notImported: 1,
      notMapped: 0,
    });
    expect(report.details.activePatrons).toBe(4);
    expect(report.activeRule?.counts).toEqual({
      rowsRead: 9,
      excluded: { "P TYPE in [15, 30]": 1 },
      rejected: { "bad birth date": 1 },
      registered: 7,
      active: 4,
      inactive: 2,
      neverActive: 1,
    });
    expect(report.unknownCategories).toEqual({
      age: { "implausible age (over 110)": 1 },
      language: { tlh: 1 },
      "area not among the imported areas": { "94103": 1 },
    });
    const cell = (c: Partial<StoredCell>) => ({
      geoid: null,
      age_band: null,
      age_lo: null,
      age_hi: null,
      language: null,
      patron_type: "0",
      branch: null,
      active: true,
      count: 1,
      checkouts: 0,
      ...c,
    });
    expect(await cube(report.importId)).toEqual(
      sorted([
        cell({
          geoid: "94110",
          age_band: "30 to 34 years",
          age_lo: 30,
          age_hi: 34,
          language: "English only",
          branch: "ctr",
          checkouts: 12,
        }),
        cell({
          geoid: "94110",
          age_band: "5 to 9 years",
          age_lo: 5,
          age_hi: 9,
          language: "Spanish",
          patron_type: "1",
          branch: "ctr",
          active: false,
          checkouts: 3,
        }),
        cell({
          geoid: "94112",
          age_band: "70 to 74 years",
          age_lo: 70,
          age_hi: 74,
          language: "Vietnamese",
          patron_type: "3",
          branch: "est",
          checkouts: 40,
        }),
        cell({ age_band: "20 to 24 years", age_lo: 20, age_hi: 24, branch: "est", active: false }),
        cell({
          age_band: "35 to 39 years",
          age_lo: 35,
          age_hi: 39,
          language: "Chinese (incl. Mandarin, Cantonese)",
          branch: "wst",
          checkouts: 7,
        }),
        cell({
          geoid: "94112",
          age_band: "35 to 39 years",
          age_lo: 35,
          age_hi: 39,
          language: "tlh",
          branch: "est",
          active: false,
          checkouts: 5,
        }),
        cell({ language: "English only", branch: "ctr", checkouts: 1234 }),
      ]),
    );
  });
});

describe("a Koha borrowers export (ISO dates with times, BCP 47 language tags)", () => {
  beforeEach(async () => {
    await importCommunity(db, { by: commandLine(), file: fixture("community-zcta.csv") });
  });

  // 2 born 2010-06-15 → 13, es-ES, lastseen 2024-03-15 → active; 3 born 1961-03-31 → 63 on its
  // birthday, fr, active; 4 born 1996-04-01 → 27 (birthday tomorrow), lastseen 2023-01-02 →
  // inactive; 5 STAFF, 6 ILL → excluded (case ignored); 7 never seen, enrolled 2024-02-01 →
  // never active (the enrolment alone does not count); 8 lastseen 2024-04-02 → after the as-of date, rejected; 9 lastseen 2024-13-01 → bad.
  it("builds the cube by hand-checked cells", async () => {
    const report = await run("koha-borrowers.csv", "koha-mapping.json");
    expect(report).toMatchObject({
      rowsRead: 8,
      rowsAccepted: 4,
      rowsExcluded: 2,
      rowsRejected: 2,
    });
    expect(report.excluded).toEqual({ "categorycode in [staff, ill]": 2 });
    expect(report.rejected["activity after the as-of date"]).toMatchObject({
      lines: [8],
      column: "lastseen",
    });
    expect(report.rejected["bad activity date"]).toMatchObject({ lines: [9], column: "lastseen" });
    const cells = (await cube(report.importId)).map((c) => [
      c.geoid,
      c.age_band,
      c.language,
      c.patron_type,
      c.branch,
      c.active,
      c.count,
    ]);
    expect(sorted(cells)).toEqual(
      sorted([
        ["94110", "10 to 14 years", "Spanish", "CHILD", "MAIN", true, 1],
        ["94110", "60 to 64 years", "French, Haitian, or Cajun", "ADULT", "MAIN", true, 1],
        ["94112", "25 to 29 years", "Spanish", "ADULT", "EAST", false, 1],
        ["94110", "20 to 24 years", "Other Asian and Pacific Island", "ADULT", "MAIN", false, 1],
      ]),
    );
    // No checkouts column: checkouts are unknown, not zero.
    expect((await cube(report.importId)).every((c) => c.checkouts === null)).toBe(true);
  });
});

describe("a Polaris report with age groups, last active year and month, and a residency rule", () => {
  beforeEach(async () => {
    await importCommunity(db, { by: commandLine(), file: fixture("community-tracts.csv") }); // tracts …010101, …010102
  });

  // Months in the window: April 2023 … March 2024. 2 "Under 5", 2024 March → active;
  // 3 "18-24", tract with its GEO_ID prefix, 2023 April → active; 4 "65+", 2023 month 3 →
  // inactive; 5 "10 to 19 years", 2023 with no month → only part of 2023 lies in the window, so
  // it does not count (partialYearCountsAsActive is not set) → inactive;
  // 6 Resident "No" → excluded; 7 "Teen" → rejected; 8 2024 April → after the as-of month;
  // 9 year "23" → bad; 10 month "Smarch" → bad; 11 no tract, "35-44", 2024 February → active.
  it("builds the cube by hand-checked cells", async () => {
    const report = await run("polaris-age-groups.csv", "polaris-mapping.json");
    expect(report).toMatchObject({
      rowsRead: 10,
      rowsAccepted: 5,
      rowsExcluded: 1,
      rowsRejected: 4,
    });
    expect(report.excluded).toEqual({ 'Resident equals "no"': 1 });
    expect(
      Object.fromEntries(Object.entries(report.rejected).map(([k, v]) => [k, v.lines])),
    ).toEqual({
      "unknown age range": [7],
      "activity after the as-of date": [8],
      "bad activity year": [9],
      "bad activity month": [10],
    });
    const cells = (await cube(report.importId)).map((c) => [
      c.geoid,
      c.age_band,
      c.age_lo,
      c.age_hi,
      c.language,
      c.active,
    ]);
    expect(sorted(cells)).toEqual(
      sorted([
        ["06075010101", "Under 5 years", 0, 4, "English only", true],
        ["06075010102", "18 to 24 years", 18, 24, "Spanish", true],
        ["06075010101", "65 years and over", 65, null, "Spanish", false],
        ["06075010102", "10 to 19 years", 10, 19, "Vietnamese", false],
        [null, "35 to 44 years", 35, 44, "Chinese (incl. Mandarin, Cantonese)", true],
      ]),
    );
  });
});

describe("an Evergreen export with birth years and an active flag", () => {
  beforeEach(async () => {
    await importCommunity(db, { by: commandLine(), file: fixture("community-zcta.csv") });
  });

  // Birth year only: age as if born on 1 July. 2 1987 → 36, t; 3 2020 → 3, t; 4 1945 → 78, f;
  // 5 2025 → after the as-of date; 6 "19x7" → bad; 7 profile Staff → excluded; 8 1999 → 24,
  // flag "T" (case ignored), ZIP+4.
  it("builds the cube by hand-checked cells", async () => {
    const report = await run("evergreen-flags.csv", "evergreen-mapping.json");
    expect(report).toMatchObject({
      rowsRead: 7,
      rowsAccepted: 4,
      rowsExcluded: 1,
      rowsRejected: 2,
    });
    expect(report.rejected["birth year after the as-of date"]).toMatchObject({
      lines: [5],
      column: "usr.dob",
    });
    expect(report.rejected["bad birth year"]).toMatchObject({ lines: [6] });
    const cells = (await cube(report.importId)).map((c) => [
      c.geoid,
      c.age_band,
      c.language,
      c.branch,
      c.active,
    ]);
    expect(sorted(cells)).toEqual(
      sorted([
        ["94110", "35 to 39 years", null, "BR1", true],
        ["94110", "Under 5 years", null, "BR1", true],
        ["94112", "75 to 79 years", null, "BR2", false],
        ["94112", "20 to 24 years", null, "BR2", true],
      ]),
    );
  });
});
