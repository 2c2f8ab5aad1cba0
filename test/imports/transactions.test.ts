// One import is one transaction: a failure while storing leaves earlier data untouched. The same
// file is refused the second time unless --replace, which swaps the rows in one transaction.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { importCrosswalk } from "../../server/imports/crosswalk.ts";
import { loadMapping } from "../../server/imports/mapping.ts";
import { DuplicateImportError } from "../../server/imports/store.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { populationBy } from "../../server/queries/community.ts";
import { latestCirculationAsOf, latestImport, listImports } from "../../server/queries/imports.ts";
import { AS_OF, fixture, freshDb, tempFile } from "./helpers.ts";

let db: Db;
beforeEach(async () => {
  db = await freshDb();
});
afterEach(async () => {
  await db.destroy();
});

const HEADER = "geoid,name,kind,dimension,category,count,moe\n";

async function snapshot() {
  return {
    imports: await db("imports").select("id", "kind", "file_sha256", "rows_accepted").orderBy("id"),
    geographies: await db("geographies").select("geoid", "kind").orderBy("geoid"),
    population: await db("community_population")
      .select("import_id", "geoid", "category", "count")
      .orderBy("id"),
    patrons: await db("patron_counts").select("import_id", "geoid", "count").orderBy("id"),
    crosswalk: await db("crosswalk").select("import_id", "from_geoid", "to_geoid").orderBy("id"),
  };
}

/** A real database failure in the middle of storing: a trigger that aborts one insert. */
async function failInsertsInto(table: string, when: string) {
  await db.raw(
    `CREATE TRIGGER fail_${table} BEFORE INSERT ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
  );
}

describe("one import is one transaction", () => {
  it("a community import that fails while storing leaves the earlier data and no trace of itself", async () => {
    await importCommunity(db, {
      by: commandLine(),
      file: tempFile("a.csv", `${HEADER}T1,Tract 1,tract,age,0-4,10,2\n`),
    });
    const before = await snapshot();
    // 600 rows: the failure comes after the import record, the geographies and a first batch of rows.
    const rows = Array.from({ length: 600 }, (_, i) => `N${i},Area ${i},custom,age,0-4,${i},1`);
    rows.push("BOOM,Boom,custom,age,0-4,1,1");
    await failInsertsInto("community_population", "NEW.geoid = 'BOOM'");
    await expect(
      importCommunity(db, { by: commandLine(), file: tempFile("b.csv", HEADER + rows.join("\n")) }),
    ).rejects.toThrow(/disk on fire/);
    expect(await snapshot()).toEqual(before);
  });

  it("a patron import that fails while storing its cube leaves the earlier import in place", async () => {
    await importCommunity(db, { by: commandLine(), file: fixture("community-zcta.csv") });
    const mapping = await loadMapping(fixture("sierra-mapping.json"));
    await importCirculation(db, {
      by: commandLine(),
      file: fixture("sierra-patrons.csv"),
      mapping,
      asOf: AS_OF,
    });
    const before = await snapshot();
    await failInsertsInto("patron_counts", "NEW.language = 'Korean'");
    const file = tempFile(
      "export.csv",
      "ZIP,BIRTH DATE,LANG PREF,P TYPE,HOME LIBR,CIRCACTIVE,TOT CHKOUT,CREATED\n94110,01-01-1980,kor,0,ctr,01-01-2024,1,01-01-2000\n",
    );
    await expect(
      importCirculation(db, { by: commandLine(), file, mapping, asOf: AS_OF }),
    ).rejects.toThrow(/disk on fire/);
    expect(await snapshot()).toEqual(before);
  });

  it("a failing --replace keeps the import it was to replace", async () => {
    const file = tempFile(
      "a.csv",
      `${HEADER}T1,Tract 1,tract,age,0-4,10,2\nBOOM,Boom,custom,age,0-4,1,1\n`,
    );
    await importCommunity(db, { by: commandLine(), file });
    const before = await snapshot();
    await failInsertsInto("community_population", "NEW.geoid = 'BOOM'");
    await expect(importCommunity(db, { by: commandLine(), file, replace: true })).rejects.toThrow(
      /disk on fire/,
    );
    expect(await snapshot()).toEqual(before);
  });
});

describe("the same file twice", () => {
  it("is refused, naming the earlier import, and nothing changes", async () => {
    const file = fixture("ACSDT5Y2022.B01001-Data.csv");
    const first = await importCommunity(db, { by: commandLine(), file });
    const before = await snapshot();
    const error = await importCommunity(db, { by: commandLine(), file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateImportError);
    expect(String(error)).toMatch(new RegExp(`community import #${first.importId}.*--replace`));
    expect(await snapshot()).toEqual(before);
  });

  it("is detected by content, not by name", async () => {
    const content = `${HEADER}T1,Tract 1,tract,age,0-4,10,2\n`;
    await importCommunity(db, { by: commandLine(), file: tempFile("one.csv", content) });
    await expect(
      importCommunity(db, { by: commandLine(), file: tempFile("two.csv", content) }),
    ).rejects.toBeInstanceOf(DuplicateImportError);
  });

  it("is refused for patrons and crosswalks too, but the same bytes may be another kind of import", async () => {
    const mapping = await loadMapping(fixture("koha-mapping.json"));
    await importCirculation(db, {
      by: commandLine(),
      file: fixture("koha-borrowers.csv"),
      mapping,
      asOf: AS_OF,
    });
    await expect(
      importCirculation(db, {
        by: commandLine(),
        file: fixture("koha-borrowers.csv"),
        mapping,
        asOf: AS_OF,
      }),
    ).rejects.toBeInstanceOf(DuplicateImportError);
    const xw = tempFile("xw.csv", "from,to\nT1,A\n");
    await importCrosswalk(db, { by: commandLine(), file: xw });
    await expect(importCrosswalk(db, { by: commandLine(), file: xw })).rejects.toBeInstanceOf(
      DuplicateImportError,
    );
  });

  it("with --replace, replaces that import's rows in one go and records the replacement", async () => {
    await importCommunity(db, { by: commandLine(), file: fixture("community-zcta.csv") });
    const mapping = await loadMapping(fixture("sierra-mapping.json"));
    const file = fixture("sierra-patrons.csv");
    const first = await importCirculation(db, { by: commandLine(), file, mapping, asOf: AS_OF });
    const firstCells = await db("patron_counts").where({ import_id: first.importId });
    // Replaced with another as-of date: a year later every patron is inactive.
    const later = { year: 2025, month: 3, day: 31 };
    const second = await importCirculation(db, {
      by: commandLine(),
      file,
      mapping,
      asOf: later,
      replace: true,
    });
    expect(second.replaced).toBe(true);
    expect(second.details.replacedImport).toBe(first.importId);
    expect(await db("patron_counts").where({ import_id: first.importId })).toHaveLength(0);
    const cells = await db("patron_counts").where({ import_id: second.importId });
    expect(cells).toHaveLength(firstCells.length);
    expect(cells.every((c: { active: number }) => !c.active)).toBe(true);
    const circulation = await listImports(db, "circulation");
    expect(circulation).toHaveLength(1);
    expect(circulation[0]).toMatchObject({
      id: second.importId,
      replaceCount: 1,
      asOf: "2025-03-31",
    });
    expect(circulation[0]?.replacedAt).not.toBeNull();
    expect(await latestCirculationAsOf(db)).toBe("2025-03-31");
    expect((await latestImport(db, "circulation"))?.id).toBe(second.importId);
  });

  it("--replace of a community file keeps the other imports' rows", async () => {
    const a = tempFile("a.csv", `${HEADER}T1,Tract 1,tract,age,0-4,10,2\n`);
    await importCommunity(db, { by: commandLine(), file: a });
    await importCommunity(db, {
      by: commandLine(),
      file: tempFile("b.csv", `${HEADER}T2,Tract 2,tract,age,0-4,20,2\n`),
    });
    await importCommunity(db, { by: commandLine(), file: a, replace: true });
    const rows = await populationBy(db, { dimension: "age" });
    expect(rows.map((r) => [r.geoid, r.count])).toEqual([
      ["T1", 10],
      ["T2", 20],
    ]);
  });
});
