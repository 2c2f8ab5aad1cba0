// The tidy community format, and crosswalks: roll-up with weights, margins combined as
// √Σ(weight·MOE)² with the zero-estimate rule, for the population and for patrons.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { InputError } from "../../server/errors.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { importCrosswalk } from "../../server/imports/crosswalk.ts";
import { parseMapping } from "../../server/imports/mapping.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { crosswalkRows, listGeographies, populationBy } from "../../server/queries/community.ts";
import { usersBy } from "../../server/queries/patrons.ts";
import { AS_OF, freshDb, tempFile } from "./helpers.ts";

let db: Db;
beforeEach(async () => {
  db = await freshDb();
});
afterEach(async () => {
  await db.destroy();
});

describe("the tidy format", () => {
  it("stores any geography, canonical age bands and ACS language groups", async () => {
    const file = tempFile(
      "neighbourhoods.csv",
      [
        "geoid,name,kind,dimension,category,count,moe",
        "N01,Riverside,custom,age,0-4,412,60",
        "N01,Riverside,custom,age,65+,300,",
        "N01,Riverside,custom,language,spa,120,30",
        "N02,Hillcrest,,tenure,Renter,1000,",
      ].join("\n"),
    );
    const report = await importCommunity(db, { by: commandLine(), file });
    expect(report.details.format).toBe("tidy");
    expect(report.rowsAccepted).toBe(4);
    const age = await populationBy(db, { dimension: "age" });
    expect(age.map((r) => [r.geoid, r.category, r.count, r.moe])).toEqual([
      ["N01", "65 years and over", 300, null],
      ["N01", "Under 5 years", 412, 60],
    ]);
    expect((await populationBy(db, { dimension: "language" }))[0]?.category).toBe("Spanish");
    expect(await listGeographies(db)).toEqual([
      { geoid: "N01", name: "Riverside", kind: "custom" },
      { geoid: "N02", name: "Hillcrest", kind: "custom" },
    ]);
  });

  it("requires the geoid, dimension, category and count columns, naming the missing one", async () => {
    const file = tempFile("bad.csv", "geoid,dimension,category\nN01,age,0-4\n");
    await expect(
      importCommunity(db, { by: commandLine(), file, format: "tidy" }),
    ).rejects.toMatchObject({
      where: { line: 1, column: "count" },
    });
  });

  it("refuses a geoid already stored with another kind (a county code that is also a ZCTA)", async () => {
    await importCommunity(db, {
      by: commandLine(),
      file: tempFile(
        "county.csv",
        "geoid,name,kind,dimension,category,count\n06075,SF County,county,age,0-4,10\n",
      ),
    });
    const error = await importCommunity(db, {
      by: commandLine(),
      file: tempFile(
        "zcta.csv",
        "geoid,name,kind,dimension,category,count\n06075,ZCTA 06075,zcta,age,0-4,10\n",
      ),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where.line).toBe(2);
    expect(String(error)).toMatch(/already stored as a county/);
  });

  it("lets the newest import of a geography and dimension supersede an older one", async () => {
    const header = "geoid,name,kind,dimension,category,count\n";
    await importCommunity(db, {
      by: commandLine(),
      file: tempFile("a.csv", `${header}T1,,tract,age,0-4,10\nT1,,tract,age,5-9,20\n`),
    });
    await importCommunity(db, {
      by: commandLine(),
      file: tempFile("b.csv", `${header}T1,,tract,age,0-4,15\n`),
    });
    const rows = await populationBy(db, { dimension: "age" });
    expect(rows.map((r) => [r.category, r.count])).toEqual([["Under 5 years", 15]]);
  });
});

// Three tracts: T1 "Under 5" 100 ± 30 and "5 to 9" 0 ± 13; T2 200 ± 40 and 50 ± 20; T3 60 with
// no margin. Crosswalk: T1 → A, T2 → A 0.5 and B 0.5, T3 → B.
const COMMUNITY = [
  "geoid,name,kind,dimension,category,count,moe",
  "T1,Tract 1,tract,age,Under 5 years,100,30",
  "T1,Tract 1,tract,age,5 to 9 years,0,13",
  "T2,Tract 2,tract,age,Under 5 years,200,40",
  "T2,Tract 2,tract,age,5 to 9 years,50,20",
  "T3,Tract 3,tract,age,Under 5 years,60,",
].join("\n");
const CROSSWALK = [
  "from,to,weight,to_name",
  "T1,A,,Area A",
  "T2,A,0.5,Area A",
  "T2,B,0.5,Area B",
  "T3,B,1,Area B",
].join("\n");

describe("crosswalks", () => {
  beforeEach(async () => {
    await importCommunity(db, { by: commandLine(), file: tempFile("tracts.csv", COMMUNITY) });
  });

  it("rolls counts up exactly and combines margins as √Σ(weight·MOE)²", async () => {
    const report = await importCrosswalk(db, {
      by: commandLine(),
      file: tempFile("xw.csv", CROSSWALK),
    });
    expect(report.rowsAccepted).toBe(4);
    const rows = await populationBy(db, { dimension: "age", crosswalkImportId: report.importId });
    const by = Object.fromEntries(rows.map((r) => [`${r.geoid} ${r.category}`, r]));
    // A, Under 5: 100 + 0.5·200 = 200; √(30² + (0.5·40)²) = √1300
    expect(by["A Under 5 years"]?.count).toBe(200);
    expect(by["A Under 5 years"]?.moe).toBeCloseTo(Math.sqrt(1300), 10);
    expect(by["A Under 5 years"]?.name).toBe("Area A");
    // A, 5 to 9: 0 + 0.5·50 = 25; √((0.5·20)² + 13²): T1's zero estimate keeps its MOE once
    expect(by["A 5 to 9 years"]?.count).toBe(25);
    expect(by["A 5 to 9 years"]?.moe).toBeCloseTo(Math.sqrt(100 + 169), 10);
    // B, Under 5: 0.5·200 + 60 = 160; T3 has no margin, so the sum's is unknown
    expect(by["B Under 5 years"]).toMatchObject({ count: 160, moe: null });
    // B, 5 to 9: only T2's half: 25 ± 10
    expect(by["B 5 to 9 years"]).toMatchObject({ count: 25, moe: 10 });
    expect(await crosswalkRows(db, report.importId)).toHaveLength(4);
  });

  it("creates the areas as custom geographies with their names", async () => {
    await importCrosswalk(db, { by: commandLine(), file: tempFile("xw.csv", CROSSWALK) });
    const areas = (await listGeographies(db, ["custom"])).map((g) => [g.geoid, g.name]);
    expect(areas).toEqual([
      ["A", "Area A"],
      ["B", "Area B"],
    ]);
  });

  it("refuses weights of one geography that add up to more than 1, naming the lines", async () => {
    const file = tempFile("xw.csv", "from,to,weight\nT2,A,0.7\nT2,B,0.5\n");
    const error = (await importCrosswalk(db, { by: commandLine(), file }).catch(
      (e: unknown) => e,
    )) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/weights of T2 add up to 1.2 \(lines 2, 3\)/);
    expect(await db("imports").where({ kind: "crosswalk" })).toHaveLength(0);
  });

  it("rolls patrons up by the same weights and keeps the rest in the unknown area", async () => {
    const xw = await importCrosswalk(db, {
      by: commandLine(),
      file: tempFile("xw.csv", CROSSWALK),
    });
    // Active: 1 in T1, 4 in T2, 2 in T9 (not in the crosswalk, not imported), 1 with no tract.
    const rows = [
      "tract,last",
      "T1,2024-01-01",
      ...Array(4).fill("T2,2024-01-01"),
      "T9,2024-01-01",
      "T9,2024-01-01",
      ",2024-01-01",
    ];
    const circulation = await importCirculation(db, {
      by: commandLine(),
      file: tempFile("patrons.csv", rows.join("\n")),
      mapping: parseMapping({
        geography: { column: "tract", kind: "custom" },
        activity: { column: "last" },
      }),
      asOf: AS_OF,
    });
    const users = await usersBy(db, {
      dimension: "age",
      importId: circulation.importId,
      crosswalkImportId: xw.importId,
    });
    const by = Object.fromEntries(users.map((u) => [String(u.geoid), u.activeUsers]));
    expect(by).toEqual({ A: 1 + 2, B: 2, null: 3 });
    const raw = await usersBy(db, { dimension: "age", importId: circulation.importId });
    expect(Object.fromEntries(raw.map((u) => [String(u.geoid), u.activeUsers]))).toEqual({
      T1: 1,
      T2: 4,
      null: 3,
    });
  });
});
