// The real-data check (issue 12, sections 1 and 3). A seeded export shaped like a large city
// library's public "library usage" open-data file (activity year + month, registration year,
// "None" for patrons who never borrowed, staff cards, an out-of-county flag) goes through the
// real importer into a real SQLite database, and the counts it reports and stores must equal
// those of a plain loop over the generated rows that applies the rule as the sentence states it:
// as of 31 Jul 2016, active = activity in a month from Aug 2015 to Jul 2016; a year without a
// month counts only when all of it up to the as-of date lies in that period (2016 does, 2015 does
// not); registrations alone do not count; "None" means never active.
//
// Guards the bug where a registration year inside the window made a patron active, a year that
// only overlapped the window counted, and "None" rows were rejected as "bad activity year".
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { buildPatronCube, importCirculation } from "../../server/imports/circulation.ts";
import type { CalendarDate } from "../../server/imports/dates.ts";
import { mulberry32 } from "../../server/imports/demo-data.ts";
import { type MappingInput, parseMapping } from "../../server/imports/mapping.ts";
import { formatReport } from "../../server/imports/report.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { freshDb, tempDir, tempFile } from "./helpers.ts";

const AS_OF: CalendarDate = { year: 2016, month: 7, day: 31 };

const HEADER = [
  "Patron Type Code",
  "Patron Type Definition",
  "Total Checkouts",
  "Total Renewals",
  "Age Range",
  "Home Library Code",
  "Home Library Definition",
  "Circulation Active Month",
  "Circulation Active Year",
  "Notice Preference Code",
  "Notice Preference Definition",
  "Provided Email Address",
  "Year Patron Registered",
  "Outside of County",
  "Supervisor District",
];

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const TYPES = ["ADULT", "JUVENILE", "SENIOR", "YOUNG ADULT", "WELCOME", "STAFF", "SPECIAL"];
const AGES = [
  "0 to 9 years",
  "10 to 19 years",
  "20 to 24 years",
  "25 to 34 years",
  "35 to 44 years",
  "45 to 54 years",
  "55 to 59 years",
  "60 to 64 years",
  "65 to 74 years",
  "75 years and over",
];
const BRANCHES = ["Main Library", "Mission", "Chinatown", "Excelsior", "Richmond"];
const NEVER = ["None", "None", "None", "NONE", "none", "Never", "N/A", "", "0000"];

interface Row {
  type: string;
  checkouts: number;
  renewals: number;
  age: string;
  branch: string;
  month: string;
  year: string;
  registered: string;
  outside: string;
  district: string;
}

/** `count` patrons drawn with a fixed seed; the special cases come at fixed positions. */
function generateRows(count: number, seed: number): Row[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    const registeredYear = 2003 + Math.floor(random() * 14); // 2003 … 2016
    let year: string;
    let month: string;
    const kind = random();
    if (kind < 0.12) {
      // never borrowed: year and month "None" (or another way of writing never)
      year = pick(NEVER);
      month = random() < 0.7 ? year : "None";
    } else {
      year = String(Math.max(registeredYear, 2003 + Math.floor(random() * 14)));
      month = year === "2016" ? (MONTHS[Math.floor(random() * 7)] as string) : pick(MONTHS);
      if (random() < 0.04) month = random() < 0.5 ? "None" : ""; // the year alone is known
    }
    rows.push({
      type: random() < 0.02 ? "STAFF" : pick(TYPES.filter((t) => t !== "STAFF")),
      checkouts: year === "None" ? 0 : Math.floor(random() * 400),
      renewals: Math.floor(random() * 50),
      age: pick(AGES),
      branch: pick(BRANCHES),
      month: month as string,
      year,
      registered: String(registeredYear),
      outside: random() < 0.05 ? pick(["TRUE", "true"]) : "FALSE",
      district: random() < 0.1 ? "" : String(1 + Math.floor(random() * 11)),
    });
  }
  // The cases the issue names, placed where they cannot be missed.
  const at = (index: number, row: Partial<Row>) => {
    rows[index] = { ...(rows[index] as Row), type: "ADULT", outside: "FALSE", ...row };
  };
  // registered inside the window, never borrowed: never active, not active
  at(10, { registered: "2016", year: "None", month: "None" });
  at(11, { registered: "2015", year: "None", month: "None" });
  // year-granular partial years: 2016 lies wholly in the window up to the as-of date, 2015 not
  at(12, { year: "2016", month: "None" });
  at(13, { year: "2015", month: "None" });
  at(14, { year: "2015", month: "" });
  // the window's edges
  at(15, { year: "2015", month: "July" });
  at(16, { year: "2015", month: "August" });
  at(17, { year: "2016", month: "July" });
  // bad rows: rejected with a reason
  at(18, { year: "2016", month: "Smarch" });
  at(19, { year: "20l5", month: "May" });
  at(20, { year: "2016", month: "August" });
  at(21, { year: "2017", month: "None" });
  // staff and out-of-county rows are excluded whatever their activity
  at(22, { type: "STAFF", year: "2016", month: "March" });
  at(23, { outside: "TRUE", year: "2016", month: "March" });
  return rows;
}

function csv(rows: readonly Row[]): string {
  const lines = [HEADER.join(",")];
  rows.forEach((r, i) => {
    lines.push(
      [
        TYPES.indexOf(r.type),
        r.type,
        r.checkouts,
        r.renewals,
        r.age,
        `B${BRANCHES.indexOf(r.branch)}`,
        r.branch,
        r.month,
        r.year,
        i % 3 === 0 ? "z" : "a",
        i % 3 === 0 ? "email" : "print",
        i % 2 === 0 ? "TRUE" : "FALSE",
        r.registered,
        r.outside,
        r.district,
      ].join(","),
    );
  });
  return `${lines.join("\n")}\n`;
}

const MAPPING: MappingInput = {
  age: { column: "Age Range", as: "range" },
  patronType: { column: "Patron Type Definition" },
  branch: { column: "Home Library Definition" },
  activity: {
    column: "Circulation Active Year",
    as: "year",
    monthColumn: "Circulation Active Month",
  },
  checkouts: { column: "Total Checkouts" },
  registered: { column: "Year Patron Registered", as: "year" },
  exclude: [
    { column: "Patron Type Definition", in: ["STAFF"] },
    { column: "Outside of County", equals: "true" },
  ],
  activeWithinMonths: 12,
};

const STAFF_RULE = "Patron Type Definition in [STAFF]";
const OUTSIDE_RULE = 'Outside of County equals "true"';

interface Expected {
  rowsRead: number;
  excluded: Record<string, number>;
  rejected: Record<string, number>;
  registered: number;
  active: number;
  inactive: number;
  neverActive: number;
}

/**
 * The rule applied literally, row by row, with none of the importer's code: the window is the
 * twelve calendar months August 2015 … July 2016.
 */
function expectedCounts(
  rows: readonly Row[],
  options: { partialYears: boolean; registrations: boolean },
): Expected {
  const out: Expected = {
    rowsRead: rows.length,
    excluded: { [STAFF_RULE]: 0, [OUTSIDE_RULE]: 0 },
    rejected: {},
    registered: 0,
    active: 0,
    inactive: 0,
    neverActive: 0,
  };
  const reject = (reason: string) => {
    out.rejected[reason] = (out.rejected[reason] ?? 0) + 1;
  };
  const neverWords = ["", "none", "never", "n/a", "0000"];
  const inWindow = (year: number, month: number) =>
    (year === 2015 && month >= 8) || (year === 2016 && month <= 7);
  const yearCounts = (year: number) => (options.partialYears ? year >= 2015 : year === 2016);
  for (const row of rows) {
    if (row.type === "STAFF") {
      out.excluded[STAFF_RULE] = (out.excluded[STAFF_RULE] ?? 0) + 1;
      continue;
    }
    if (row.outside.toLowerCase() === "true") {
      out.excluded[OUTSIDE_RULE] = (out.excluded[OUTSIDE_RULE] ?? 0) + 1;
      continue;
    }
    let status: "active" | "inactive" | "never";
    if (neverWords.includes(row.year.toLowerCase())) status = "never";
    else if (!/^\d{4}$/.test(row.year)) {
      reject("bad activity year");
      continue;
    } else {
      const year = Number(row.year);
      const monthKnown = !neverWords.includes(row.month.toLowerCase());
      const month = MONTHS.indexOf(row.month) + 1;
      if (monthKnown && month === 0) {
        reject("bad activity month");
        continue;
      }
      if (year > 2016 || (year === 2016 && monthKnown && month > 7)) {
        reject("activity after the as-of date");
        continue;
      }
      const active = monthKnown ? inWindow(year, month) : yearCounts(year);
      status = active ? "active" : "inactive";
    }
    if (options.registrations && status !== "active" && yearCounts(Number(row.registered))) {
      status = "active";
    }
    out.registered++;
    if (status === "active") out.active++;
    else if (status === "inactive") out.inactive++;
    else out.neverActive++;
  }
  return out;
}

let db: Db;
beforeEach(async () => {
  db = await freshDb(`${tempDir()}/real-data.sqlite`);
});
afterEach(async () => {
  await db.destroy();
});

async function storedActive(importId: number): Promise<{ active: number; total: number }> {
  const rows = (await db("patron_counts")
    .where({ import_id: importId })
    .select("active", "count")) as { active: number | boolean; count: number }[];
  return {
    active: rows.filter((r) => Boolean(r.active)).reduce((sum, r) => sum + Number(r.count), 0),
    total: rows.reduce((sum, r) => sum + Number(r.count), 0),
  };
}

describe("the real-data check: a generated city-library usage export", () => {
  const rows = generateRows(12_000, 20_160_731);
  const file = tempFile("library-usage.csv", csv(rows));

  it("counts registered, active, never-active, excluded and rejected patrons as a plain loop over the rows does", async () => {
    const expected = expectedCounts(rows, { partialYears: false, registrations: false });
    // The generated file has every case in it.
    expect(expected.neverActive).toBeGreaterThan(1000);
    expect(expected.excluded[STAFF_RULE]).toBeGreaterThan(100);
    expect(expected.excluded[OUTSIDE_RULE]).toBeGreaterThan(100);
    expect(Object.keys(expected.rejected).sort()).toEqual([
      "activity after the as-of date",
      "bad activity month",
      "bad activity year",
    ]);

    const report = await importCirculation(db, {
      by: commandLine(),
      file,
      mapping: parseMapping(MAPPING),
      asOf: AS_OF,
    });
    expect(report.activeRule?.counts).toEqual(expected);
    expect(report.rowsRejected).toBe(Object.values(expected.rejected).reduce((a, b) => a + b, 0));
    expect(report.rejected["bad activity year"]?.count).toBe(
      expected.rejected["bad activity year"],
    );
    // "None" is never a bad year: the only bad year is the mistyped "20l5" row.
    expect(report.rejected["bad activity year"]?.lines).toEqual([21]);
    // What the database keeps agrees, and so does the record the analysis reads.
    expect(await storedActive(report.importId)).toEqual({
      active: expected.active,
      total: expected.registered,
    });
    const stored = await db("imports").where({ id: report.importId }).first("active_rule");
    expect(JSON.parse(stored.active_rule).counts).toEqual(expected);
    // The import report states the rule in one sentence, with its counts.
    const text = formatReport(report);
    expect(text).toContain(
      "Active = activity recorded in “Circulation Active Year” and “Circulation Active Month” between 1 Aug 2015 and 31 Jul 2016; a year given without a month counts only if all of it up to 31 Jul 2016 lies in that period; registrations alone do not count.",
    );
    const number = (n: number) => n.toLocaleString("en-US");
    expect(text).toContain(
      [
        `    Registered patrons ${number(expected.registered)}`,
        `    Active ${number(expected.active)}`,
        `    Active only before the period ${number(expected.inactive)}`,
        `    Never active ${number(expected.neverActive)}`,
      ].join("\n"),
    );
  });

  it("makes a patron registered in the window with no activity never active, not active (the registration-year bug)", async () => {
    const few = [10, 11, 12, 13, 14, 15, 16, 17].map((i) => rows[i] as Row);
    const report = await importCirculation(db, {
      by: commandLine(),
      file: tempFile("few.csv", csv(few)),
      mapping: parseMapping(MAPPING),
      asOf: AS_OF,
    });
    // 10, 11 never; 12 (2016, no month) and 16, 17 active; 13, 14 (2015, no month), 15 inactive.
    expect(report.activeRule?.counts).toMatchObject({
      registered: 8,
      active: 3,
      inactive: 3,
      neverActive: 2,
    });
  });

  it("counts overlapping years and registrations only when the mapping opts in, as the loop does", async () => {
    const expected = expectedCounts(rows, { partialYears: true, registrations: true });
    const plain = expectedCounts(rows, { partialYears: false, registrations: false });
    expect(expected.active).toBeGreaterThan(plain.active);
    const report = await importCirculation(db, {
      by: commandLine(),
      file,
      mapping: parseMapping({
        ...MAPPING,
        partialYearCountsAsActive: true,
        registrationCountsAsActivity: true,
      }),
      asOf: AS_OF,
    });
    expect(report.activeRule?.counts).toEqual(expected);
    expect(formatReport(report)).toContain(
      "a year given without a month counts if any part of it lies in that period; a registration between 1 Aug 2015 and 31 Jul 2016 also counts as activity.",
    );
  });

  it("gives the same counts when worker threads read the file in parts", async () => {
    const expected = expectedCounts(rows, { partialYears: false, registrations: false });
    const mapping = parseMapping(MAPPING);
    const parallel = await buildPatronCube(file, {
      mapping,
      asOf: AS_OF,
      knownGeoids: null,
      parts: 3,
      parallelFromBytes: 0,
    });
    expect({
      rowsRead: parallel.rowsRead,
      registered: parallel.rowsAccepted,
      active: parallel.rowsActive,
      neverActive: parallel.rowsNeverActive,
      excluded: parallel.excluded,
      rejected: parallel.rejections.total,
    }).toEqual({
      rowsRead: expected.rowsRead,
      registered: expected.registered,
      active: expected.active,
      neverActive: expected.neverActive,
      excluded: expected.excluded,
      rejected: Object.values(expected.rejected).reduce((a, b) => a + b, 0),
    });
  });
});
