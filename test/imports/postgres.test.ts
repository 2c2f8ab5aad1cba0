// The importers and their queries on PostgreSQL, in a schema of their own (od_imports_test) so
// they can share TEST_DATABASE_URL with test/db/postgres.test.ts. Runs when TEST_DATABASE_URL
// names a PostgreSQL database (CI starts one); skipped loudly otherwise.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { importCrosswalk } from "../../server/imports/crosswalk.ts";
import { loadMapping, parseMapping } from "../../server/imports/mapping.ts";
import { DuplicateImportError } from "../../server/imports/store.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { communityDimensions, populationBy } from "../../server/queries/community.ts";
import { latestCirculationAsOf, listImports } from "../../server/queries/imports.ts";
import { patronTotals, usersBy } from "../../server/queries/patrons.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import { AS_OF, fixture, tempFile } from "./helpers.ts";

warnIfPostgresSkipped("PostgreSQL import tests");
const SCHEMA = "od_imports_test";

describe.runIf(postgresEnabled)("imports on PostgreSQL", () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshPostgresSchema(SCHEMA);
  });
  afterAll(async () => {
    await dropPostgresSchema(db, SCHEMA);
  });

  it("imports ACS tables and reads them back with numbers, not strings", async () => {
    await importCommunity(db, { by: commandLine(), file: fixture("ACSDT5Y2022.B01001-Data.csv") });
    await importCommunity(db, {
      by: commandLine(),
      file: fixture("acs5-2022-C16001-api.json"),
      year: 2022,
    });
    const age = await populationBy(db, { dimension: "age" });
    expect(age.find((r) => r.geoid === "06075010101" && r.category === "20 to 24 years")).toEqual({
      geoid: "06075010101",
      name: "Census Tract 101.01; San Francisco County; California",
      kind: "tract",
      category: "20 to 24 years",
      count: 90,
      moe: 22.52,
    });
    // C16001 gives each language group's speakers and, since issue 20, those who speak English
    // less than "very well".
    expect(await communityDimensions(db)).toEqual([
      { dimension: "age", kind: "tract", areas: 2 },
      { dimension: "english_less_than_very_well", kind: "tract", areas: 2 },
      { dimension: "language", kind: "tract", areas: 2 },
    ]);
  });

  it("rolls up through a crosswalk with weights and margins", async () => {
    const header = "geoid,name,kind,dimension,category,count,moe\n";
    await importCommunity(db, {
      by: commandLine(),
      file: tempFile(
        "t.csv",
        `${header}T1,,tract,poverty,Below poverty level,100,30\nT2,,tract,poverty,Below poverty level,200,40\n`,
      ),
    });
    const xw = await importCrosswalk(db, {
      by: commandLine(),
      file: tempFile("xw.csv", "from,to,weight\nT1,A,1\nT2,A,0.5\nT2,B,0.5\n"),
    });
    const rows = await populationBy(db, { dimension: "poverty", crosswalkImportId: xw.importId });
    expect(rows.map((r) => [r.geoid, r.count, Number(r.moe?.toFixed(4))])).toEqual([
      ["A", 200, Number(Math.sqrt(30 ** 2 + 20 ** 2).toFixed(4))],
      ["B", 100, 20],
    ]);
  });

  it("imports a patron export, refuses it twice, replaces it, and counts users", async () => {
    await importCommunity(db, { by: commandLine(), file: fixture("community-zcta.csv") });
    const mapping = await loadMapping(fixture("sierra-mapping.json"));
    const file = fixture("sierra-patrons.csv");
    await importCirculation(db, { by: commandLine(), file, mapping, asOf: AS_OF });
    await expect(
      importCirculation(db, { by: commandLine(), file, mapping, asOf: AS_OF }),
    ).rejects.toBeInstanceOf(DuplicateImportError);
    const report = await importCirculation(db, {
      by: commandLine(),
      file,
      mapping,
      asOf: AS_OF,
      replace: true,
    });
    expect(report.replaced).toBe(true);
    expect(await latestCirculationAsOf(db)).toBe("2024-03-31");
    expect((await listImports(db, "circulation"))[0]?.rejected["bad birth date"]?.lines).toEqual([
      8,
    ]);
    // Patron 5 registered in the window but never borrowed: not active (issue 12, the active rule).
    expect(await patronTotals(db, report.importId)).toEqual({
      patrons: 7,
      activeUsers: 4,
      unknownAreaPatrons: 3,
      unknownAreaActiveUsers: 2,
    });
    const byLanguage = await usersBy(db, { dimension: "language", importId: report.importId });
    expect(byLanguage.find((u) => u.geoid === "94112" && u.category === "Vietnamese")).toEqual({
      geoid: "94112",
      category: "Vietnamese",
      activeUsers: 1,
      patrons: 1,
      activeCheckouts: 40,
    });
    const byAge = await usersBy(db, { dimension: "age", importId: report.importId });
    expect(byAge.find((u) => u.geoid === "94110" && u.category === "30 to 34 years")).toMatchObject(
      { ageLo: 30, ageHi: 34 },
    );
  });

  it("rolls patrons up through a crosswalk", async () => {
    const xw = await importCrosswalk(db, {
      by: commandLine(),
      file: tempFile("zx.csv", "from,to,weight\n94110,NORTH,0.5\n94110,SOUTH,0.5\n"),
    });
    const circulation = (await listImports(db, "circulation"))[0];
    const users = await usersBy(db, {
      dimension: "patron_type",
      importId: circulation?.id ?? 0,
      crosswalkImportId: xw.importId,
    });
    const total = (geoid: string | null) =>
      users.filter((u) => u.geoid === geoid).reduce((s, u) => s + u.activeUsers, 0);
    // Active in 94110: 1 (split 0.5 / 0.5); everyone else (94112 and the unknown area) is unassigned.
    expect([total("NORTH"), total("SOUTH"), total(null)]).toEqual([0.5, 0.5, 3]);
  });

  it("reads a mapping's activity flags the same way", async () => {
    const file = tempFile("flags.csv", "active,zip\nY,94110\nN,94110\n");
    const report = await importCirculation(db, {
      by: commandLine(),
      file,
      mapping: parseMapping({
        geography: { column: "zip" },
        activity: { column: "active", as: "flag" },
      }),
      asOf: AS_OF,
    });
    expect(await patronTotals(db, report.importId)).toMatchObject({ patrons: 2, activeUsers: 1 });
  });
});
