// A small service area whose usage-gap numbers are worked out by hand in
// test/reports/usage-gaps.test.ts. It is written as a library would bring it (a tidy census file,
// a patron export with its mapping, a crosswalk) and imported through the importers themselves.
//
// Census (tidy format, 90% MOE 40 on every row):
//   age        Under 5 | 5 to 17 | 18 to 24 | 25 to 34 | 35 and over  = total
//   Tract 1       100      300       200        400        1000        = 2000
//   Tract 2        50      150       100        200         500        = 1000
//   Tract 3       150      450       300        600        1500        = 3000
//   language (residents 5+)  English only | Spanish
//   Tract 1                        1500       400
//   Tract 2                         500       450
//   Tract 3                        2400       450
// Patrons (export by tract, age as a range label in 0-17 / 18-34 / 35+, language as MARC codes,
// names, or blank; active = "Y"):
//   active    0-17  18-34  35+  | eng  spa/es/Spanish  blank
//   Tract 1     80     40  180  | 220        30          50     (spa)
//   Tract 2     20     10   45  |  40        25          10     (es)
//   Tract 3     40     20   90  | 120        20          10     (Spanish)
//   no tract     0      0   10  |  10         0           0
//   inactive: Tract 1 100 (35+, eng), Tract 3 50 (0-17, spa); excluded: 7 STAFF cards in Tract 2.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Db, migrateLatest, openDb } from "../../server/db.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { importCrosswalk } from "../../server/imports/crosswalk.ts";
import type { CalendarDate } from "../../server/imports/dates.ts";
import { type MappingInput, parseMapping } from "../../server/imports/mapping.ts";
import { commandLine } from "../../server/queries/audit-log.ts";

export const TRACTS = {
  t1: { geoid: "06001000100", name: "Census Tract 1" },
  t2: { geoid: "06001000200", name: "Census Tract 2" },
  t3: { geoid: "06001000300", name: "Census Tract 3" },
} as const;
type Tract = keyof typeof TRACTS;

const AGE_ROWS: Record<Tract, number[]> = {
  t1: [100, 300, 200, 400, 1000],
  t2: [50, 150, 100, 200, 500],
  t3: [150, 450, 300, 600, 1500],
};
const AGE_LABELS = [
  "Under 5 years",
  "5 to 17 years",
  "18 to 24 years",
  "25 to 34 years",
  "35 years and over",
];
const LANGUAGE_ROWS: Record<Tract, [number, number]> = {
  t1: [1500, 400],
  t2: [500, 450],
  t3: [2400, 450],
};

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "opendoor-gaps-"));
}

/** The tidy census file of the fixture (rows may be added, e.g. a census-only category). */
export function censusCsv(extra: readonly string[] = []): string {
  const lines = ["geoid,name,kind,dimension,category,count,moe"];
  for (const tract of Object.keys(TRACTS) as Tract[]) {
    const { geoid, name } = TRACTS[tract];
    AGE_ROWS[tract].forEach((count, index) => {
      lines.push(`${geoid},${name},tract,age,${AGE_LABELS[index]},${count},40`);
    });
    const [english, spanish] = LANGUAGE_ROWS[tract];
    lines.push(`${geoid},${name},tract,language,English only,${english},40`);
    lines.push(`${geoid},${name},tract,language,Spanish,${spanish},40`);
  }
  return `${[...lines, ...extra].join("\n")}\n`;
}

export interface PatronGroup {
  /** Geography value as the export writes it ("" = none). */
  area: string;
  age: string;
  lang: string;
  active: boolean;
  count: number;
  type?: string;
}

/** The fixture's patrons, grouped (see the table at the top). */
export function basePatrons(
  area: (tract: Tract) => string = (t) => TRACTS[t].geoid,
): PatronGroup[] {
  const active = (tract: Tract, ages: [number, number, number], langs: [string, number][]) => {
    // Pair the age list and the language list patron by patron: only the margins matter.
    const ageList = ages.flatMap((count, index) =>
      Array<string>(count).fill(["0-17", "18-34", "35+"][index] as string),
    );
    const langList = langs.flatMap(([code, count]) => Array<string>(count).fill(code));
    return ageList.map((age, index) => ({
      area: area(tract),
      age,
      lang: langList[index] ?? "",
      active: true,
      count: 1,
    }));
  };
  return [
    ...active(
      "t1",
      [80, 40, 180],
      [
        ["eng", 220],
        ["spa", 30],
        ["", 50],
      ],
    ),
    ...active(
      "t2",
      [20, 10, 45],
      [
        ["eng", 40],
        ["es", 25],
        ["", 10],
      ],
    ),
    ...active(
      "t3",
      [40, 20, 90],
      [
        ["eng", 120],
        ["Spanish", 20],
        ["", 10],
      ],
    ),
    { area: "", age: "35+", lang: "eng", active: true, count: 10 },
    { area: area("t1"), age: "35+", lang: "eng", active: false, count: 100 },
    { area: area("t3"), age: "0-17", lang: "spa", active: false, count: 50 },
    { area: area("t2"), age: "35+", lang: "eng", active: true, count: 7, type: "STAFF" },
  ];
}

/** A patron export with identifying columns, one row per patron. */
export function patronCsv(groups: readonly PatronGroup[]): string {
  const lines = ["Patron ID,Name,Area,Age Group,Language,Active,Patron Type"];
  let id = 1;
  for (const group of groups) {
    for (let k = 0; k < group.count; k++) {
      lines.push(
        [
          `P${String(id).padStart(6, "0")}`,
          `Patron ${id}`,
          group.area,
          group.age,
          group.lang,
          group.active ? "Y" : "N",
          group.type ?? "ADULT",
        ].join(","),
      );
      id++;
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The export's mapping; "none" leaves the geography out (every patron in the unknown area). */
export function patronMapping(kind: "tract" | "custom" | "none" = "tract"): MappingInput {
  return {
    ...(kind === "none" ? {} : { geography: { column: "Area", kind } }),
    age: { column: "Age Group", as: "range" },
    language: { column: "Language" },
    patronType: { column: "Patron Type" },
    activity: { column: "Active", as: "flag", activeValues: ["Y"] },
    exclude: [{ column: "Patron Type", in: ["STAFF"] }],
  };
}

/** Tracts 1 and 3 lie in one area each; tract 2 is split half and half. */
export const CROSSWALK_CSV = [
  "from,to,weight,to_name",
  `${TRACTS.t1.geoid},NORTH,1,North district`,
  `${TRACTS.t2.geoid},NORTH,0.5,North district`,
  `${TRACTS.t2.geoid},SOUTH,0.5,South district`,
  `${TRACTS.t3.geoid},SOUTH,1,South district`,
].join("\n");

export const AS_OF: CalendarDate = { year: 2024, month: 6, day: 30 };

/** Imports the census file (and optionally the crosswalk) into `db`. */
export async function importCensus(
  db: Db,
  dir: string,
  options: { extra?: readonly string[]; crosswalk?: boolean } = {},
): Promise<void> {
  const census = path.join(dir, "community.csv");
  writeFileSync(census, censusCsv(options.extra));
  await importCommunity(db, { by: commandLine(), file: census, format: "tidy" });
  if (options.crosswalk) {
    const file = path.join(dir, "crosswalk.csv");
    writeFileSync(file, `${CROSSWALK_CSV}\n`);
    await importCrosswalk(db, { by: commandLine(), file });
  }
}

let exportNumber = 0;

/** Writes and imports a patron export. */
export async function importPatrons(
  db: Db,
  dir: string,
  groups: readonly PatronGroup[],
  options: { asOf?: CalendarDate; kind?: "tract" | "custom" | "none" } = {},
): Promise<void> {
  exportNumber++;
  const file = path.join(dir, `patrons-${exportNumber}.csv`);
  writeFileSync(file, patronCsv(groups));
  await importCirculation(db, {
    by: commandLine(),
    file,
    mapping: parseMapping(patronMapping(options.kind)),
    asOf: options.asOf ?? AS_OF,
  });
}

/** A migrated in-memory SQLite database. */
export async function freshDb(): Promise<Db> {
  const db = openDb({ client: "sqlite3", filename: ":memory:" });
  await migrateLatest(db);
  return db;
}
