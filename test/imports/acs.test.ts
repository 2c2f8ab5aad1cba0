// Each ACS table on a small fixture (test/fixtures/imports) whose expected category totals were
// computed by hand from the fixture's cells, as written next to each expectation.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { InputError } from "../../server/errors.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { listGeographies, populationBy } from "../../server/queries/community.ts";
import { fixture, freshDb, tempFile } from "./helpers.ts";

let db: Db;
beforeEach(async () => {
  db = await freshDb();
});
afterEach(async () => {
  await db.destroy();
});

async function cells(dimension: string, geoid: string) {
  const rows = await populationBy(db, { dimension });
  return Object.fromEntries(
    rows.filter((r) => r.geoid === geoid).map((r) => [r.category, { count: r.count, moe: r.moe }]),
  );
}

describe("B01001 (sex by age) from data.census.gov with its label row", () => {
  // Tract 101.01: every male age cell is 10 (MOE 5), every female cell 20 (MOE 12), except the
  // female "Under 5" margin "*****" (controlled: 0). Tract 101.02: men 0 (MOE 12), women 50 (MOE 20).
  it("sums the sexes into age bands with margins √Σ MOE² (zero-estimate rule)", async () => {
    const report = await importCommunity(db, {
      by: commandLine(),
      file: fixture("ACSDT5Y2022.B01001-Data.csv"),
    });
    expect(report.rowsRead).toBe(4);
    expect(report.rowsAccepted).toBe(2);
    const a = await cells("age", "06075010101");
    expect(Object.keys(a)).toHaveLength(19);
    expect(a["Under 5 years"]).toEqual({ count: 30, moe: 5 }); // 10 + 20; √(5² + 0²)
    expect(a["5 to 9 years"]).toEqual({ count: 30, moe: 13 }); // √(5² + 12²)
    expect(a["18 to 19 years"]).toEqual({ count: 30, moe: 13 });
    expect(a["20 to 24 years"]).toEqual({ count: 90, moe: 22.52 }); // 3 rows × 2 sexes; √(3·169)
    expect(a["60 to 64 years"]).toEqual({ count: 60, moe: 18.38 }); // √(2·169)
    expect(a["85 years and over"]).toEqual({ count: 30, moe: 13 });
    expect(Object.values(a).reduce((s, c) => s + c.count, 0)).toBe(690); // = B01001_001E
    const b = await cells("age", "06075010102");
    expect(b["Under 5 years"]).toEqual({ count: 50, moe: 23.32 }); // √(20² + 12²): one zero part
    expect(b["20 to 24 years"]).toEqual({ count: 150, moe: 36.66 }); // √(3·20² + 12²)
    expect(b["65 to 69 years"]).toEqual({ count: 100, moe: 30.72 }); // √(2·20² + 12²)
  });

  it("keeps geoids as text with their leading zeros, the kind from GEO_ID and the year from the file name", async () => {
    await importCommunity(db, { by: commandLine(), file: fixture("ACSDT5Y2022.B01001-Data.csv") });
    const geographies = await listGeographies(db);
    expect(geographies).toEqual([
      {
        geoid: "06075010101",
        name: "Census Tract 101.01; San Francisco County; California",
        kind: "tract",
      },
      {
        geoid: "06075010102",
        name: "Census Tract 101.02; San Francisco County; California",
        kind: "tract",
      },
    ]);
    const row = await db("community_population").first();
    expect(row).toMatchObject({ source_table: "B01001", year: 2022, universe: "Total population" });
  });

  it("rejects a geography with an estimate not available, and an unreadable GEO_ID, by line", async () => {
    const report = await importCommunity(db, {
      by: commandLine(),
      file: fixture("ACSDT5Y2022.B01001-Data.csv"),
    });
    expect(report.rejected).toEqual({
      "estimate not available (B01001)": { count: 1, lines: [5], column: "B01001_005E" },
      "unreadable GEO_ID": expect.objectContaining({ count: 1, lines: [6], column: "GEO_ID" }),
    });
  });
});

describe("C16001 (language spoken at home) as a Census API response", () => {
  // Tract 020100: 001 = 1000; 002 English only 600; the twelve group totals 003 … 036 are
  // 200, 0, 10, 20, 30, 40, 50, 25, 15, 5, 3, 2 (sum 400). Estimates only: margins unknown.
  it("reads the JSON shape, composes geoids from state+county+tract, and leaves margins unknown", async () => {
    const report = await importCommunity(db, {
      by: commandLine(),
      file: fixture("acs5-2022-C16001-api.json"),
      year: 2022,
    });
    expect(report.rowsAccepted).toBe(2);
    expect(report.warnings.join(" ")).toMatch(/no margin-of-error columns/);
    expect(report.rejected["estimate not available (C16001)"]).toMatchObject({ lines: [4] });
    const c = await cells("language", "06001020100");
    expect(Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.count]))).toEqual({
      "English only": 600,
      Spanish: 200,
      "French, Haitian, or Cajun": 0,
      "German or other West Germanic": 10,
      "Russian, Polish, or other Slavic": 20,
      "Other Indo-European": 30,
      Korean: 40,
      "Chinese (incl. Mandarin, Cantonese)": 50,
      Vietnamese: 25,
      "Tagalog (incl. Filipino)": 15,
      "Other Asian and Pacific Island": 5,
      Arabic: 3,
      "Other and unspecified": 2,
    });
    expect(Object.values(c).every((v) => v.moe === null)).toBe(true);
    const english = await cells("language", "06001020200");
    expect(english["English only"]?.count).toBe(500);
    expect(english.Spanish?.count).toBe(0);
  });

  it("refuses a language table from before the 2016 re-coding", async () => {
    await expect(
      importCommunity(db, {
        by: commandLine(),
        file: fixture("acs5-2022-C16001-api.json"),
        year: 2015,
      }),
    ).rejects.toThrow(/numbering from before 2016/);
  });

  it("refuses a label row that does not match the published labels (another vintage)", async () => {
    const header = [
      "GEO_ID",
      "NAME",
      ...Array.from({ length: 38 }, (_, i) => `C16001_${String(i + 1).padStart(3, "0")}E`),
    ];
    const labels = [
      "Geography",
      "Geographic Area Name",
      ...header.slice(2).map(() => "Estimate!!Total:"),
    ];
    labels[2 + 5] = "Estimate!!Total:!!French (incl. Patois, Cajun)"; // 2015 layout: 006 was French
    const values = ["1400000US06001020100", "Tract", ...header.slice(2).map(() => "0")];
    const file = tempFile("old.csv", [header, labels, values].map((r) => r.join(",")).join("\n"));
    const error = await importCommunity(db, { by: commandLine(), file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where).toMatchObject({ line: 2 });
    expect(String(error)).toMatch(/C16001_003E|another vintage/);
  });
});

describe("B03002 (Hispanic or Latino origin by race) for ZCTAs, without a label row", () => {
  // ZCTA 94110: 012 Hispanic 120 (MOE 40); not Hispanic: White 200 (30), Black 100, AIAN 5,
  // Asian 50, NHPI 0 (MOE 13), other 5, two or more 20 (MOE 10 each): 500 in all.
  it("stores Hispanic or Latino and the non-Hispanic races", async () => {
    const report = await importCommunity(db, {
      by: commandLine(),
      file: fixture("B03002-zcta.csv"),
    });
    expect(report.rowsAccepted).toBe(1);
    const z = await cells("race_ethnicity", "94110");
    expect(z).toEqual({
      "Hispanic or Latino": { count: 120, moe: 40 },
      "White alone, not Hispanic or Latino": { count: 200, moe: 30 },
      "Black or African American alone, not Hispanic or Latino": { count: 100, moe: 10 },
      "American Indian and Alaska Native alone, not Hispanic or Latino": { count: 5, moe: 10 },
      "Asian alone, not Hispanic or Latino": { count: 50, moe: 10 },
      "Native Hawaiian and Other Pacific Islander alone, not Hispanic or Latino": {
        count: 0,
        moe: 13,
      },
      "Some other race alone, not Hispanic or Latino": { count: 5, moe: 10 },
      "Two or more races, not Hispanic or Latino": { count: 20, moe: 10 },
    });
    expect((await listGeographies(db))[0]).toMatchObject({ geoid: "94110", kind: "zcta" });
  });

  it("rejects a row whose categories do not add up to its total", async () => {
    const report = await importCommunity(db, {
      by: commandLine(),
      file: fixture("B03002-zcta.csv"),
    });
    expect(report.rejected["categories do not add up to the total (B03002)"]).toMatchObject({
      count: 1,
      lines: [3],
      column: "B03002_001E",
    });
  });
});

describe("B17001 (poverty status) with a label row", () => {
  // Tract 000100: 002 below poverty 150 (MOE 40), 031 at or above 750 (MOE 60), 001 = 900.
  it("stores below / at or above poverty and rejects a bad margin by line and column", async () => {
    const report = await importCommunity(db, {
      by: commandLine(),
      file: fixture("ACSDT5Y2021.B17001-Data.csv"),
    });
    expect(await cells("poverty", "36061000100")).toEqual({
      "Below poverty level": { count: 150, moe: 40 },
      "At or above poverty level": { count: 750, moe: 60 },
    });
    expect(report.rejected["bad margin of error"]).toMatchObject({
      lines: [4],
      column: "B17001_031M",
    });
    expect(report.details.year).toBe(2021);
  });
});

describe("B19001 (household income) for a place", () => {
  it("stores the sixteen income bands", async () => {
    await importCommunity(db, { by: commandLine(), file: fixture("B19001-place.csv") });
    const p = await cells("income", "0667000");
    expect(Object.keys(p)).toHaveLength(16);
    expect(p["Less than $10,000"]).toEqual({ count: 50, moe: 20 });
    expect(p["$60,000 to $74,999"]).toEqual({ count: 100, moe: 20 });
    expect(p["$200,000 or more"]).toEqual({ count: 120, moe: 20 });
    expect(Object.values(p).reduce((s, c) => s + c.count, 0)).toBe(1080); // = B19001_001E
    expect((await listGeographies(db))[0]?.kind).toBe("place");
  });
});

describe("B16001 (detailed languages) for a PUMA", () => {
  // Every one of the 42 detailed rows is 10 (very well 6 + less 4); English only 500; total 920.
  // Groups: Spanish 1 row, French/Haitian 2, West Germanic 2, Slavic 4, other Indo-European 12,
  // Korean 1, Chinese 1, Vietnamese 1, Tagalog 1, other Asian and Pacific Island 9, Arabic 1,
  // other and unspecified 7.
  it("folds the detailed languages into the C16001 groups", async () => {
    await importCommunity(db, { by: commandLine(), file: fixture("B16001-puma.csv"), year: 2022 });
    const p = await cells("language", "0600101");
    expect(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.count]))).toEqual({
      "English only": 500,
      Spanish: 10,
      "French, Haitian, or Cajun": 20,
      "German or other West Germanic": 20,
      "Russian, Polish, or other Slavic": 40,
      "Other Indo-European": 120,
      Korean: 10,
      "Chinese (incl. Mandarin, Cantonese)": 10,
      Vietnamese: 10,
      "Tagalog (incl. Filipino)": 10,
      "Other Asian and Pacific Island": 90,
      Arabic: 10,
      "Other and unspecified": 70,
    });
    expect((await listGeographies(db))[0]?.kind).toBe("puma");
  });
});

describe("files Open Door cannot read", () => {
  it("names the missing variable columns of an incomplete table", async () => {
    const file = tempFile(
      "partial.csv",
      "GEO_ID,NAME,B01001_001E,B01001_003E\n1400000US06075010101,x,10,10\n",
    );
    const error = (await importCommunity(db, { by: commandLine(), file }).catch(
      (e: unknown) => e,
    )) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.where).toMatchObject({ line: 1, column: "B01001_004E" });
    expect(error.message).toMatch(/table B01001 is incomplete/);
  });

  it("says which tables it reads when a file has none of them, and stores nothing", async () => {
    const file = tempFile("other.csv", "GEO_ID,NAME,B25001_001E\n1400000US06075010101,x,10\n");
    await expect(importCommunity(db, { by: commandLine(), file })).rejects.toThrow(
      /no table Open Door reads.*B01001/,
    );
    expect(await db("imports").count({ n: "*" })).toEqual([{ n: 0 }]);
  });
});
