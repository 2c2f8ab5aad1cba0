// Every rejection reason, with its line number and column, and the file-level errors that name
// file, line and column. Each case imports a good row (line 2) and the bad one (line 3).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { InputError } from "../../server/errors.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { importCrosswalk } from "../../server/imports/crosswalk.ts";
import { loadMapping, type MappingInput, parseMapping } from "../../server/imports/mapping.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { AS_OF, freshDb, tempFile } from "./helpers.ts";

let db: Db;
beforeEach(async () => {
  db = await freshDb();
});
afterEach(async () => {
  await db.destroy();
});

const COLUMNS = [
  "zip",
  "dob",
  "byear",
  "age",
  "range",
  "last",
  "year",
  "month",
  "created",
  "cyear",
  "checkouts",
];
const GOOD: Record<string, string> = {
  zip: "94110",
  dob: "1980-01-01",
  byear: "1980",
  age: "44",
  range: "40-44",
  last: "2024-01-01",
  year: "2024",
  month: "1",
  created: "2010-01-01",
  cyear: "2010",
  checkouts: "3",
};

function exportFile(bad: Record<string, string>): string {
  const line = (values: Record<string, string>) => COLUMNS.map((c) => values[c] ?? "").join(",");
  return tempFile(
    "export.csv",
    [COLUMNS.join(","), line(GOOD), line({ ...GOOD, ...bad })].join("\n"),
  );
}

const CASES: {
  reason: string;
  column: string;
  bad: Record<string, string>;
  mapping: Partial<MappingInput>;
}[] = [
  {
    reason: "bad birth date",
    column: "dob",
    bad: { dob: "1980-02-30" },
    mapping: { age: { column: "dob", as: "birthDate" } },
  },
  {
    reason: "birth date after the as-of date",
    column: "dob",
    bad: { dob: "2024-04-01" },
    mapping: { age: { column: "dob", as: "birthDate" } },
  },
  {
    reason: "bad birth year",
    column: "byear",
    bad: { byear: "80" },
    mapping: { age: { column: "byear", as: "birthYear" } },
  },
  {
    reason: "birth year after the as-of date",
    column: "byear",
    bad: { byear: "2025" },
    mapping: { age: { column: "byear", as: "birthYear" } },
  },
  {
    reason: "bad age",
    column: "age",
    bad: { age: "forty" },
    mapping: { age: { column: "age", as: "years" } },
  },
  {
    reason: "unknown age range",
    column: "range",
    bad: { range: "adult" },
    mapping: { age: { column: "range", as: "range" } },
  },
  { reason: "bad activity date", column: "last", bad: { last: "yesterday" }, mapping: {} },
  {
    reason: "activity after the as-of date",
    column: "last",
    bad: { last: "2024-04-01" },
    mapping: {},
  },
  {
    reason: "bad activity year",
    column: "year",
    bad: { year: "24" },
    mapping: { activity: { column: "year", as: "year" } },
  },
  {
    reason: "activity after the as-of date",
    column: "year",
    bad: { year: "2024", month: "4" },
    mapping: { activity: { column: "year", as: "year", monthColumn: "month" } },
  },
  {
    reason: "bad activity month",
    column: "month",
    bad: { month: "13" },
    mapping: { activity: { column: "year", as: "year", monthColumn: "month" } },
  },
  {
    reason: "bad registration date",
    column: "created",
    bad: { created: "2010-13-01" },
    mapping: { registered: { column: "created", as: "date" }, registrationCountsAsActivity: true },
  },
  {
    reason: "bad registration year",
    column: "cyear",
    bad: { cyear: "ten" },
    mapping: { registered: { column: "cyear", as: "year" }, registrationCountsAsActivity: true },
  },
  {
    reason: "registered after the as-of date",
    column: "created",
    bad: { created: "2024-05-01" },
    mapping: { registered: { column: "created", as: "date" }, registrationCountsAsActivity: true },
  },
  {
    reason: "bad checkouts",
    column: "checkouts",
    bad: { checkouts: "-2" },
    mapping: { checkouts: { column: "checkouts" } },
  },
];

describe("patron rows are rejected by reason, with line and column", () => {
  it.each(CASES)("$reason ($column)", async ({ reason, column, bad, mapping }) => {
    const report = await importCirculation(db, {
      by: commandLine(),
      file: exportFile(bad),
      mapping: parseMapping({ activity: { column: "last", as: "date" }, ...mapping }),
      asOf: AS_OF,
    });
    expect(report.rowsAccepted).toBe(1);
    expect(report.rowsRejected).toBe(1);
    expect(report.rejected).toEqual({
      [reason]: expect.objectContaining({ count: 1, lines: [3], column }),
    });
    const stored = await db("imports").where({ id: report.importId }).first();
    expect(JSON.parse(stored.rejected)[reason].lines).toEqual([3]);
  });

  it("wrong number of fields (a missing quote or delimiter)", async () => {
    const file = tempFile("export.csv", "zip,last\n94110,2024-01-01\n94110,2024-01-01,extra\n");
    const report = await importCirculation(db, {
      by: commandLine(),
      file,
      mapping: parseMapping({ activity: { column: "last" } }),
      asOf: AS_OF,
    });
    expect(report.rejected["wrong number of fields"]).toMatchObject({ count: 1, lines: [3] });
  });

  it("keeps the first ten line numbers of a reason and counts them all", async () => {
    const rows = Array.from({ length: 25 }, () => "94110,bad");
    const file = tempFile("export.csv", ["zip,last", "94110,2024-01-01", ...rows].join("\n"));
    const report = await importCirculation(db, {
      by: commandLine(),
      file,
      mapping: parseMapping({ activity: { column: "last" } }),
      asOf: AS_OF,
    });
    expect(report.rejected["bad activity date"]).toMatchObject({
      count: 25,
      lines: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    });
  });
});

describe("patron files that cannot be imported at all", () => {
  const mapping = parseMapping({ activity: { column: "Last Activity" } });

  it("names the mapped column missing from the header (line 1)", async () => {
    const file = tempFile("export.csv", "zip,last activity\n94110,2024-01-01\n");
    const error = (await importCirculation(db, {
      by: commandLine(),
      file,
      mapping,
      asOf: AS_OF,
    }).catch((e: unknown) => e)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.where).toMatchObject({ file, line: 1, column: "Last Activity" });
    expect(error.message).toMatch(/activity.column.*"last activity".*matched exactly/);
  });

  it("names the line of a broken quote", async () => {
    const file = tempFile(
      "export.csv",
      'Last Activity,name\n2024-01-01,"ok"\n2024-01-01,"broken\n',
    );
    const error = (await importCirculation(db, {
      by: commandLine(),
      file,
      mapping,
      asOf: AS_OF,
    }).catch((e: unknown) => e)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.where.file).toBe(file);
    expect(error.where.line).toBe(3);
  });

  it("refuses a file where no row can be imported, and stores nothing", async () => {
    const file = tempFile("export.csv", "Last Activity\nsoon\nlater\n");
    await expect(
      importCirculation(db, { by: commandLine(), file, mapping, asOf: AS_OF }),
    ).rejects.toThrow(
      /no patron row could be imported.*bad activity date in column "Last Activity" \(lines 2, 3\)/,
    );
    expect(await db("imports")).toHaveLength(0);
  });

  it("refuses an empty file", async () => {
    await expect(
      importCirculation(db, {
        by: commandLine(),
        file: tempFile("empty.csv", ""),
        mapping,
        asOf: AS_OF,
      }),
    ).rejects.toThrow(/the file is empty/);
  });

  it("names the mapping file, the JSON line of a syntax error, and the field of a schema error", async () => {
    const broken = tempFile("map.json", '{\n  "activity": { "column": "x" },\n  oops\n}');
    await expect(loadMapping(broken)).rejects.toMatchObject({ where: { file: broken, line: 3 } });
    const wrong = tempFile(
      "map.json",
      JSON.stringify({ activity: { column: "x", as: "sometimes" }, colour: 1 }),
    );
    const error = (await loadMapping(wrong).catch((e: unknown) => e)) as InputError;
    expect(error.where).toMatchObject({ file: wrong, field: "activity.as" });
    expect(error.message).toMatch(/activity\.as: .*"date".*; \(top level\): unknown key "colour"/);
    const missing = tempFile("map.json", JSON.stringify({ geography: { column: "ZIP" } }));
    await expect(loadMapping(missing)).rejects.toThrow(/activity/);
  });
});

describe("community rows are rejected by reason, with line and column", () => {
  const HEADER = "geoid,name,kind,dimension,category,count,moe,year";
  const GOOD_ROW = "T1,Tract 1,tract,age,Under 5 years,10,2,2022";
  const TIDY: [reason: string, column: string, row: string][] = [
    ["missing geography", "geoid", ",x,tract,age,5-9,10,2,2022"],
    ["unknown geography kind", "kind", "T2,x,district,age,5-9,10,2,2022"],
    ["bad dimension", "dimension", "T2,x,tract,Age Group!,5-9,10,2,2022"],
    ["missing category", "category", "T2,x,tract,age,,10,2,2022"],
    ["unknown age category", "category", "T2,x,tract,age,Teens,10,2,2022"],
    ["unknown language group", "category", "T2,x,tract,language,Klingon,10,2,2022"],
    ["bad count", "count", "T2,x,tract,age,5-9,ten,2,2022"],
    ["bad margin of error", "moe", "T2,x,tract,age,5-9,10,-2,2022"],
    ["bad year", "year", "T2,x,tract,age,5-9,10,2,22"],
    ["geography kind differs from line 2", "kind", "T1,x,zcta,age,5-9,10,2,2022"],
    ["duplicate row (first on line 2)", "category", "T1,x,tract,age,0-4,10,2,2022"],
  ];
  it.each(TIDY)("tidy: %s", async (reason, column, row) => {
    const report = await importCommunity(db, {
      by: commandLine(),
      file: tempFile("tidy.csv", [HEADER, GOOD_ROW, row].join("\n")),
    });
    expect(report.rejected).toEqual({
      [reason]: expect.objectContaining({ count: 1, lines: [3], column }),
    });
  });

  const acs = (second: string) =>
    tempFile(
      "B17001.csv",
      [
        "GEO_ID,NAME,B17001_001E,B17001_001M,B17001_002E,B17001_002M,B17001_031E,B17001_031M",
        "1400000US06075010101,Tract A,100,10,40,5,60,8",
        second,
      ].join("\n"),
    );
  const ACS: [reason: string, column: string, row: string][] = [
    ["unreadable GEO_ID", "GEO_ID", "9990000US123,Tract B,100,10,40,5,60,8"],
    ["bad estimate", "B17001_002E", "1400000US06075010102,Tract B,100,10,forty,5,60,8"],
    [
      "estimate not available (B17001)",
      "B17001_031E",
      "1400000US06075010102,Tract B,100,10,40,5,(X),8",
    ],
    ["bad margin of error", "B17001_002M", "1400000US06075010102,Tract B,100,10,40,±5,60,8"],
    [
      "categories do not add up to the total (B17001)",
      "B17001_001E",
      "1400000US06075010102,Tract B,101,10,40,5,60,8",
    ],
    [
      "duplicate geography (first on line 2)",
      "GEO_ID",
      "1400000US06075010101,Tract A,100,10,40,5,60,8",
    ],
  ];
  it.each(ACS)("ACS: %s", async (reason, column, row) => {
    const report = await importCommunity(db, { by: commandLine(), file: acs(row) });
    expect(report.rejected).toEqual({
      [reason]: expect.objectContaining({ count: 1, lines: [3], column }),
    });
  });

  it("reads ACS margin annotations: ***** is 0 (controlled), ** and N unknown", async () => {
    const file = acs("1400000US06075010102,Tract B,100,*****,40,**,60,N");
    const report = await importCommunity(db, { by: commandLine(), file });
    expect(report.rowsRejected).toBe(0);
    const rows = await db("community_population")
      .where({ geoid: "06075010102" })
      .orderBy("category");
    expect(rows.map((r: { category: string; moe: number | null }) => [r.category, r.moe])).toEqual([
      ["At or above poverty level", null],
      ["Below poverty level", null],
    ]);
  });
});

describe("crosswalk rows are rejected by reason, with line and column", () => {
  const CROSSWALK: [reason: string, column: string, row: string][] = [
    ["missing from", "from", ",A,1"],
    ["missing to", "to", "T2,,1"],
    ["bad weight", "weight", "T2,A,1.5"],
    ["bad weight", "weight", "T2,A,half"],
    ["duplicate pair (first on line 2)", "to", "T1,A,"],
  ];
  it.each(CROSSWALK)("%s (%s, %s)", async (reason, column, row) => {
    const report = await importCrosswalk(db, {
      by: commandLine(),
      file: tempFile("xw.csv", ["from,to,weight", "T1,A,1", row].join("\n")),
    });
    expect(report.rejected).toEqual({
      [reason]: expect.objectContaining({ count: 1, lines: [3], column }),
    });
  });
});
