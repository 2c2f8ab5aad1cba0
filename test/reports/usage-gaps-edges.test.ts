// Edge cases of the usage-gap report through a real database: a category with no residents, more
// users than residents, a category on one side only, and small counts that must be withheld from
// everything shown (document, text, CSV, findings, changes). Built on usage-gaps-fixture.ts.
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { csvStream } from "../../server/csv-stream.ts";
import type { Db } from "../../server/db.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { gapsPage } from "../../server/reports/gaps-page.ts";
import { areaCsvRows, groupCsvRows } from "../../server/reports/usage-gap-csv.ts";
import { usageGapText } from "../../server/reports/usage-gap-text.ts";
import { runUsageGapAnalysis, type UsageGapReport } from "../../server/reports/usage-gaps.ts";
import {
  basePatrons,
  freshDb,
  importCensus,
  importPatrons,
  type PatronGroup,
  TRACTS,
  tempDir,
} from "./usage-gaps-fixture.ts";

let db: Db;
let dir: string;

beforeEach(async () => {
  db = await freshDb();
  dir = tempDir();
});
afterEach(async () => {
  await db.destroy();
});

function group(report: UsageGapReport, dimension: string, category: string) {
  const found = report.document.dimensions
    .find((entry) => entry.dimension === dimension)
    ?.groups.find((entry) => entry.category === category);
  if (!found) throw new Error(`no group ${dimension} / ${category}`);
  return found;
}

async function csvRecords(rows: unknown[][]): Promise<Record<string, string>[]> {
  let text = "";
  for await (const chunk of csvStream(rows)) text += chunk.toString();
  return parse(text, { columns: true }) as Record<string, string>[];
}

const patrons = (area: string, lang: string, count: number, age = "35+"): PatronGroup => ({
  area,
  age,
  lang,
  active: true,
  count,
});

describe("categories on one side only", () => {
  it("keeps a language with residents but no patrons, and one with patrons but no residents", async () => {
    await importCensus(db, dir, {
      extra: [
        `${TRACTS.t1.geoid},Census Tract 1,tract,language,Arabic,200,60`,
        `${TRACTS.t1.geoid},Census Tract 1,tract,language,Korean,0,13`,
        `${TRACTS.t2.geoid},Census Tract 2,tract,language,Korean,0,13`,
      ],
    });
    await importPatrons(db, dir, [
      ...basePatrons(),
      patrons(TRACTS.t1.geoid, "kor", 12),
      patrons(TRACTS.t2.geoid, "tlh", 15),
    ]);
    const report = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });

    // Arabic: 200 residents, no active user: share 0, RI 0, and the Wilson upper bound of 0/477
    // (1.96² / (477 + 1.96²) = 0.0080) lies below its community share 200/5,900 = 0.0339.
    const arabic = group(report, "language", "Arabic");
    expect(arabic.population).toBe(200);
    expect(arabic.users).toBe(0);
    expect(arabic.userShare).toBe(0);
    expect(arabic.representationIndex).toBe(0);
    expect(arabic.userShareInterval?.[1]).toBeCloseTo(1.96 ** 2 / (477 + 1.96 ** 2), 10);
    expect(arabic.flag).toBe("under");

    // Korean: 12 active users, 0 residents: no index, no penetration, said plainly, not tested.
    const korean = group(report, "language", "Korean");
    expect(korean.population).toBe(0);
    expect(korean.users).toBe(12);
    expect(korean.communityShare).toBe(0);
    expect(korean.representationIndex).toBeNull();
    expect(korean.penetrationPer1000).toBeNull();
    expect(korean.moreUsersThanResidents).toBe(true);
    const language = report.document.dimensions.find((entry) => entry.dimension === "language");
    expect(language?.chiSquareNote).toMatch(/"Korean"\) cannot be tested/);
    expect(language?.chiSquare?.df).toBe(2);
    expect(report.document.findings).toContain(
      "Residents who speak Korean at home: 12 active cardholders but no residents in the census data; check how the two sides label this group.",
    );

    // "tlh" is no language Open Door knows: counted as unknown and named, never dropped.
    expect(language?.unknownUsers).toBe(70 + 15);
    expect(language?.unknownCategories.users).toContain("tlh");
    for (const finding of report.document.findings) expect(finding).not.toMatch(/NaN|Infinity/);
  });
});

describe("more users than residents", () => {
  it("shows the area's penetration above 1,000 with no interval, and never makes it a priority", async () => {
    await importCensus(db, dir, {
      extra: [
        "06001000400,Census Tract 4,tract,age,35 years and over,30,20",
        "06001000400,Census Tract 4,tract,language,English only,30,20",
      ],
    });
    await importPatrons(db, dir, [...basePatrons(), patrons("06001000400", "eng", 40)]);
    const report = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    const small = report.document.areas.find((entry) => entry.geoid === "06001000400");
    expect(small?.population).toBe(30);
    expect(small?.users).toBe(40);
    expect(small?.penetrationPer1000).toBeCloseTo(1333.333, 3);
    expect(small?.penetrationInterval).toBeNull();
    expect(small?.nonUsers).toBe(0);
    expect(small?.moreUsersThanResidents).toBe(true);
    expect(small?.priority).toBe(false);
    // Its census estimate (MOE 20 on 30: CV 0.41) is unreliable.
    expect(small?.reliable).toBe(false);
  });
});

describe("a census estimate without a margin of error", () => {
  it("calls its reliability unknown and leaves census error out of the index intervals, saying so everywhere", async () => {
    // Regression (issue 12): a census row with a blank MOE counted as a reliable estimate.
    await importCensus(db, dir, {
      extra: [`${TRACTS.t1.geoid},Census Tract 1,tract,language,Arabic,300,`],
    });
    await importPatrons(db, dir, [...basePatrons(), patrons(TRACTS.t1.geoid, "ara", 40)]);
    const report = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });

    const arabic = group(report, "language", "Arabic");
    expect(arabic.reliable).toBeNull();
    expect(arabic.cv).toBeNull();
    // Σ residents of the language dimension has no MOE now, so no language share has one.
    expect(group(report, "language", "Spanish").censusErrorIncluded).toBe(false);
    expect(group(report, "language", "Spanish").reliable).toBe(true);
    // Age has MOEs on every row: its intervals include the census error.
    const young = group(report, "age", "18 to 34 years");
    expect(young.censusErrorIncluded).toBe(true);
    expect(young.representationIndexInterval).not.toBeNull();

    const groups = await csvRecords(groupCsvRows(report.document));
    const arabicRow = groups.find((row) => row.category === "Arabic");
    expect(arabicRow).toMatchObject({ reliable: "unknown", censusErrorIncluded: "no" });
    expect(groups.find((row) => row.category === "18 to 34 years")).toMatchObject({
      reliable: "yes",
      censusErrorIncluded: "yes",
    });

    const text = usageGapText(report);
    expect(text).toMatch(/^ {2}Arabic .*census reliability unknown$/m);
    expect(text.match(/^METHODS$/gm)).toHaveLength(1);
    expect(text).toContain("The census gives no margin of error for language: English only;");
    expect(text.match(/Holm/g)).toHaveLength(1);

    const page = gapsPage(report);
    const index = page.dimensions.find((entry) => entry.name === "language")?.index;
    expect(index?.series.at(-1)).toBe("Census estimate");
    const arabicCells = index?.rows.find((row) => row.label === "Arabic")?.cells;
    expect(arabicCells?.at(-1)).toMatchObject({ display: "unknown" });
    expect(page.methods.sentences).toContain(
      "The census gives no margin of error for language: English only; language: Spanish; language: Arabic: their intervals leave census error out, and the reliability of those estimates is unknown.",
    );
  });
});

describe("a patron export with no geography", () => {
  it("compares groups over the whole service area and ranks no area", async () => {
    await importCensus(db, dir);
    await importPatrons(db, dir, basePatrons(), { kind: "none" });
    const report = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    expect(report.options).toMatchObject({ geography: "tract", patronGeography: null });
    // Every active patron is in the unknown area: the groups are as with tracts…
    expect(report.document.serviceArea.unknownAreaUsers).toBe(535);
    expect(report.document.serviceArea.usersInAreas).toBe(0);
    expect(group(report, "age", "18 to 34 years").users).toBe(70);
    expect(group(report, "age", "18 to 34 years").flag).toBe("under");
    // …but no area is compared with the others, and no correlation is claimed.
    expect(report.document.areas.every((entry) => entry.users === 0 && !entry.priority)).toBe(true);
    expect(report.document.correlations.every((entry) => entry.pearson === null)).toBe(true);
    expect(report.document.findings).toContain(
      "535 active cardholders have no known area; they count in the group comparisons but not in the area ranking.",
    );
  });
});

describe("small counts", () => {
  let report: UsageGapReport;
  beforeEach(async () => {
    await importCensus(db, dir, {
      extra: [`${TRACTS.t3.geoid},Census Tract 3,tract,language,Vietnamese,300,50`],
    });
    // 4 active Vietnamese-speaking patrons: a count from 1 to 9.
    await importPatrons(db, dir, [...basePatrons(), patrons(TRACTS.t3.geoid, "vie", 4)]);
    report = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
  });

  it("shows a count from 1 to 9 as <10, with every number derived from it left out", () => {
    const vietnamese = group(report, "language", "Vietnamese");
    expect(vietnamese.users).toBe("<10");
    expect(vietnamese.userShare).toBeNull();
    expect(vietnamese.userShareInterval).toBeNull();
    expect(vietnamese.representationIndex).toBeNull();
    expect(vietnamese.penetrationPer1000).toBeNull();
    expect(vietnamese.shortfall).toBeNull();
    expect(vietnamese.nonUsers).toBeNull();
    expect(vietnamese.flag).toBeNull();
    // A second cell is withheld so that the first cannot be recovered from the total.
    const language = report.document.dimensions.find((entry) => entry.dimension === "language");
    const withheld =
      (language?.groups.filter((entry) => typeof entry.users === "string").length ?? 0) +
      (typeof language?.unknownUsers === "string" ? 1 : 0);
    expect(withheld).toBeGreaterThanOrEqual(2);
    expect(
      language?.groups.some((entry) => entry.users === "suppressed") ||
        language?.unknownUsers === "suppressed",
    ).toBe(true);
    expect(JSON.stringify(report.document)).not.toMatch(/"users":4[,}]/);
  });

  it("never cites a withheld group in a finding, and prints <10 in the text", () => {
    expect(report.document.findings.some((finding) => /Vietnamese/.test(finding))).toBe(false);
    const text = usageGapText(report);
    expect(text).toMatch(/Vietnamese\s+300\s+5\.\d%\s+<10\s+–\s+–\s+–\s+–/);
    expect(text).toMatch(/Counts from 1 to 9 are shown as "<10"/);
  });

  it("writes <10 and empty cells in the CSV files", async () => {
    const groups = await csvRecords(groupCsvRows(report.document));
    const vietnamese = groups.find((row) => row.category === "Vietnamese");
    expect(vietnamese).toMatchObject({
      population: "300",
      users: "<10",
      userShare: "",
      representationIndex: "",
      flag: "",
    });
    const areas = await csvRecords(areaCsvRows(report.document));
    expect(areas.map((row) => row.geoid)).toEqual([
      TRACTS.t3.geoid,
      TRACTS.t2.geoid,
      TRACTS.t1.geoid,
    ]);
  });

  it("makes area names inert in CSV when they start like a formula", async () => {
    const named = await freshDb();
    try {
      const folder = tempDir();
      await importCensus(named, folder, {
        extra: [
          "06001000500,=1+2,tract,age,35 years and over,900,40",
          "06001000500,=1+2,tract,language,English only,900,40",
        ],
      });
      await importPatrons(named, folder, [...basePatrons(), patrons("06001000500", "eng", 50)]);
      const withFormula = await runUsageGapAnalysis(named, {
        by: commandLine(),
        suppressBelow: 10,
      });
      const areas = await csvRecords(areaCsvRows(withFormula.document));
      const row = areas.find((entry) => entry.geoid === "06001000500");
      expect(row?.name).toBe("'=1+2");
    } finally {
      await named.destroy();
    }
  });

  it("gives no change where a count behind it is withheld in either run", async () => {
    await importPatrons(db, dir, [...basePatrons(), patrons(TRACTS.t3.geoid, "vie", 40)], {
      asOf: { year: 2025, month: 6, day: 30 },
    });
    const next = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    const vietnamese = next.document.changes?.groups.find(
      (entry) => entry.category === "Vietnamese",
    );
    expect(vietnamese?.representationIndex.previous).toBeNull();
    expect(vietnamese?.representationIndex.current).not.toBeNull();
    expect(vietnamese?.representationIndex.change).toBeNull();
    expect(next.document.changes?.notes.join(" ")).toMatch(/withheld/);
  });
});
