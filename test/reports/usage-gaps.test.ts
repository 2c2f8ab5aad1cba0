// The usage-gap report through a real SQLite database: the fixture (usage-gaps-fixture.ts) is
// imported with the importers, the analysis runs, and its numbers are compared with values worked
// out by hand from the fixture's tables (the working is in the comments).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { Conflict, InputError } from "../../server/errors.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { latestUsageGapRun, listUsageGapRuns } from "../../server/queries/usage-gap-runs.ts";
import {
  loadUsageGapInput,
  runUsageGapAnalysis,
  type UsageGapReport,
} from "../../server/reports/usage-gaps.ts";
import {
  basePatrons,
  freshDb,
  importCensus,
  importPatrons,
  TRACTS,
  tempDir,
} from "./usage-gaps-fixture.ts";

/** The usual rounded 97.5% normal quantile, as the engine uses for its 95% intervals. */
const Z95 = 1.96;

/** Wilson score interval written out from its definition (Wilson 1927), for the checks. */
function wilson(successes: number, n: number): [number, number] {
  const p = successes / n;
  const z2 = Z95 * Z95;
  const centre = p + z2 / (2 * n);
  const half = Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [(centre - half) / (1 + z2 / n), (centre + half) / (1 + z2 / n)];
}

/**
 * Upper tail of the chi-square distribution with 1 degree of freedom by Simpson's rule on its
 * density f(t) = exp(−t/2) / √(2πt): an implementation independent of the engine's (jStat).
 */
function chiSquareUpperTail1(x: number): number {
  const density = (t: number) => Math.exp(-t / 2) / Math.sqrt(2 * Math.PI * t);
  const end = x + 120;
  const steps = 200_000;
  const h = (end - x) / steps;
  let sum = density(x) + density(end);
  for (let i = 1; i < steps; i++) sum += density(x + i * h) * (i % 2 === 1 ? 4 : 2);
  return (sum * h) / 3;
}

function group(report: UsageGapReport, dimension: string, category: string) {
  const found = report.document.dimensions
    .find((entry) => entry.dimension === dimension)
    ?.groups.find((entry) => entry.category === category);
  if (!found) throw new Error(`no group ${dimension} / ${category}`);
  return found;
}

function area(report: UsageGapReport, geoid: string) {
  const found = report.document.areas.find((entry) => entry.geoid === geoid);
  if (!found) throw new Error(`no area ${geoid}`);
  return found;
}

let db: Db;
let dir: string;

beforeEach(async () => {
  db = await freshDb();
  dir = tempDir();
});
afterEach(async () => {
  await db.destroy();
});

describe("usage-gap report on a hand-worked service area", () => {
  let report: UsageGapReport;
  beforeEach(async () => {
    await importCensus(db, dir);
    await importPatrons(db, dir, basePatrons());
    report = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
  });

  it("re-bands census 5-year rows and the export's 0-17 / 18-34 / 35+ labels to three common age groups", () => {
    const age = report.document.dimensions.find((entry) => entry.dimension === "age");
    expect(age?.harmonisation).toBe("age-intervals");
    expect(age?.groups.map((entry) => entry.category)).toEqual([
      "Under 18 years",
      "18 to 34 years",
      "35 years and over",
    ]);
    // Under 5 + 5 to 17 = 300 + 900; 18 to 24 + 25 to 34 = 600 + 1,200; 35 and over 3,000.
    expect(age?.groups.map((entry) => entry.population)).toEqual([1200, 1800, 3000]);
    // Active: 80 + 20 + 40; 40 + 10 + 20; 180 + 45 + 90 + 10 with no tract (inactive and STAFF left out).
    expect(age?.groups.map((entry) => entry.users)).toEqual([140, 70, 325]);
    expect(age?.unknownUsers).toBe(0);
  });

  it("gives each age group its shares, index, penetration, expected users, shortfall and non-users", () => {
    const young = group(report, "age", "18 to 34 years");
    // p = 1,800 / 6,000 = 0.3; u = 70 / 535; RI = u / p = 0.436137…
    expect(young.communityShare).toBeCloseTo(0.3, 12);
    expect(young.userShare).toBeCloseTo(70 / 535, 12);
    expect(young.representationIndex).toBeCloseTo(0.436137, 6);
    // 1,000 × 70 / 1,800 = 38.89; expected 535 × 0.3 = 160.5; shortfall 90.5; non-users 1,730.
    expect(young.penetrationPer1000).toBeCloseTo(38.888889, 5);
    expect(young.expectedUsers).toBeCloseTo(160.5, 9);
    expect(young.shortfall).toBeCloseTo(90.5, 9);
    expect(young.nonUsers).toBe(1730);
    const interval = wilson(70, 535);
    expect(young.userShareInterval?.[0]).toBeCloseTo(interval[0], 10);
    expect(young.userShareInterval?.[1]).toBeCloseTo(interval[1], 10);
    expect(young.flag).toBe("under");

    const children = group(report, "age", "Under 18 years");
    // RI = (140/535)/0.2 = 1.308411 > 1.25 and the Wilson lower bound 0.22623 > 0.2: over.
    expect(children.representationIndex).toBeCloseTo(1.308411, 6);
    expect(children.userShareInterval?.[0]).toBeCloseTo(0.226229, 6);
    expect(children.flag).toBe("over");
    expect(children.shortfall).toBeCloseTo(-33, 9);

    const older = group(report, "age", "35 years and over");
    // RI = (325/535)/0.5 = 1.214953: not above 1.25, so no flag.
    expect(older.representationIndex).toBeCloseTo(1.214953, 6);
    expect(older.flag).toBeNull();
  });

  it("aggregates the census margins of error and flags no reliable estimate", () => {
    const children = group(report, "age", "Under 18 years");
    // Six rows (two labels × three tracts) of MOE 40: √(6 × 40²) = 97.98; CV = 97.98 / 1.645 / 1,200.
    expect(children.populationMoe).toBeCloseTo(Math.sqrt(6 * 1600), 9);
    expect(children.cv).toBeCloseTo(Math.sqrt(6 * 1600) / 1.645 / 1200, 9);
    expect(children.reliable).toBe(true);
  });

  it("tests the age mix with chi-square (df 2) whose p-value matches the closed form e^(−x/2)", () => {
    const age = report.document.dimensions.find((entry) => entry.dimension === "age");
    // Σ (o − e)² / e = 33²/107 + 90.5²/160.5 + 57.5²/267.5 = 73.566978
    expect(age?.chiSquare?.statistic).toBeCloseTo(73.566978, 5);
    expect(age?.chiSquare?.df).toBe(2);
    const exact = Math.exp(-(age?.chiSquare?.statistic ?? 0) / 2);
    expect(Math.abs((age?.chiSquare?.pValue ?? 1) - exact)).toBeLessThan(1e-6);
    // Cohen's w = √(χ² / n) = √(73.566978 / 535)
    expect(age?.cohensW).toBeCloseTo(Math.sqrt(73.566978 / 535), 6);
  });

  it("maps spa, es and Spanish to one language group and finds Spanish speakers under-represented", () => {
    const language = report.document.dimensions.find((entry) => entry.dimension === "language");
    expect(language?.harmonisation).toBe("language-groups");
    expect(
      language?.groups.map((entry) => [entry.category, entry.population, entry.users]),
    ).toEqual([
      ["English only", 4400, 390],
      ["Spanish", 1300, 75],
    ]);
    // 50 + 10 + 10 patrons with no language recorded.
    expect(language?.unknownUsers).toBe(70);
    const spanish = group(report, "language", "Spanish");
    // RI = (75/465) / (1,300/5,700) = 0.707196; Wilson upper 0.197474 < 0.228070: under.
    expect(spanish.representationIndex).toBeCloseTo(0.707196, 6);
    expect(spanish.userShareInterval?.[1]).toBeCloseTo(wilson(75, 465)[1], 10);
    expect(spanish.flag).toBe("under");
    expect(group(report, "language", "English only").flag).toBeNull();
    // χ² = 31.0526²/358.9474 + 31.0526²/106.0526 = 11.778705 (df 1)
    expect(language?.chiSquare?.statistic).toBeCloseTo(11.778705, 5);
    expect(language?.chiSquare?.df).toBe(1);
    expect(
      Math.abs((language?.chiSquare?.pValue ?? 1) - chiSquareUpperTail1(11.778705)),
    ).toBeLessThan(1e-6);
  });

  it("ranks the tracts by penetration and makes the large, low-use tract a priority area", () => {
    expect(report.document.areas.map((entry) => [entry.geoid, entry.rank])).toEqual([
      [TRACTS.t3.geoid, 1],
      [TRACTS.t2.geoid, 2],
      [TRACTS.t1.geoid, 3],
    ]);
    const t3 = area(report, TRACTS.t3.geoid);
    // 150 of 3,000: 50 per 1,000; its Wilson upper bound (58.4) is below the rate 525/6,000 = 87.5,
    // and its 2,850 non-users are at least the median (1,700).
    expect(t3.population).toBe(3000);
    expect(t3.users).toBe(150);
    expect(t3.penetrationPer1000).toBeCloseTo(50, 9);
    expect(t3.penetrationInterval?.[1]).toBeCloseTo(1000 * wilson(150, 3000)[1], 9);
    expect(t3.nonUsers).toBe(2850);
    expect(t3.priority).toBe(true);
    // Tract 2 is low too (75 per 1,000) but has fewer non-users than the median; tract 1 is high.
    expect(area(report, TRACTS.t2.geoid).priority).toBe(false);
    expect(area(report, TRACTS.t1.geoid).priority).toBe(false);
    expect(report.document.serviceArea.areaRatePer1000).toBeCloseTo(87.5, 9);
  });

  it("counts patrons without a tract in the service area's totals but not in any area", () => {
    const serviceArea = report.document.serviceArea;
    expect(serviceArea.population).toBe(6000);
    expect(serviceArea.users).toBe(535);
    expect(serviceArea.usersInAreas).toBe(525);
    expect(serviceArea.unknownAreaUsers).toBe(10);
    expect(serviceArea.outsideServiceAreaUsers).toBe(0);
    expect(serviceArea.penetrationPer1000).toBeCloseTo((1000 * 535) / 6000, 9);
    expect(report.document.findings).toContain(
      "10 active cardholders have no known area; they count in the group comparisons but not in the area ranking.",
    );
  });

  it("writes findings with numbers and intervals, largest gap first", () => {
    expect(report.document.findings[0]).toBe(
      "Residents aged 18 to 34 are 30% of the community but 13% of active cardholders (representation index 0.44, 95% interval 0.35–0.54; about 91 fewer active cardholders than their share of the community would give).",
    );
    for (const finding of report.document.findings) expect(finding).not.toMatch(/NaN|Infinity/);
  });

  it("prints a JSON document with every key DESIGN.md lists, plus the changes", () => {
    // DESIGN.md, "`npm run analyze -- --format json` prints one JSON document".
    const document = JSON.parse(JSON.stringify(report.document));
    expect(Object.keys(document)).toEqual(
      expect.arrayContaining(["asOf", "serviceArea", "dimensions", "areas", "findings", "changes"]),
    );
    expect(document.asOf).toBe("2024-06-30");
    for (const dimension of document.dimensions) {
      expect(Object.keys(dimension)).toEqual(
        expect.arrayContaining(["dimension", "groups", "unknownUsers", "chiSquare", "cohensW"]),
      );
      expect(Object.keys(dimension.chiSquare).sort()).toEqual(["df", "pValue", "statistic"]);
      for (const entry of dimension.groups) {
        expect(Object.keys(entry)).toEqual(
          expect.arrayContaining([
            "category",
            "population",
            "users",
            "communityShare",
            "userShare",
            "userShareInterval",
            "representationIndex",
            "penetrationPer1000",
            "expectedUsers",
            "shortfall",
            "nonUsers",
            "flag",
            "reliable",
          ]),
        );
        expect([null, "under", "over"]).toContain(entry.flag);
        // Shares are fractions, not percents.
        expect(entry.communityShare).toBeGreaterThanOrEqual(0);
        expect(entry.communityShare).toBeLessThanOrEqual(1);
      }
    }
    for (const entry of document.areas) {
      expect(Object.keys(entry)).toEqual(
        expect.arrayContaining([
          "geoid",
          "name",
          "population",
          "users",
          "penetrationPer1000",
          "nonUsers",
          "priority",
        ]),
      );
    }
    expect(document.findings.every((finding: unknown) => typeof finding === "string")).toBe(true);
    expect(document.changes).toBeNull();
  });

  it("saves the run with the patron export's as-of date and how it was made", async () => {
    const saved = await latestUsageGapRun(db);
    expect(saved?.id).toBe(report.runId);
    expect(saved?.asOf).toBe("2024-06-30");
    expect(saved?.options).toMatchObject({
      geography: "tract",
      dimensions: null,
      serviceArea: null,
      population: "direct",
      users: "direct",
      patronGeography: "tract",
      crosswalkImportId: null,
    });
    const again = await runUsageGapAnalysis(db, {
      by: commandLine(),
      suppressBelow: 10,
      save: false,
    });
    expect(again.runId).toBeNull();
    expect(await listUsageGapRuns(db)).toHaveLength(1);
  });
});

describe("options", () => {
  beforeEach(async () => {
    await importCensus(db, dir, {
      extra: [`${TRACTS.t1.geoid},Census Tract 1,tract,poverty,Below poverty level,300,50`],
    });
    await importPatrons(db, dir, basePatrons());
  });

  it("restricts the report to the dimensions asked for, findings included", async () => {
    const report = await runUsageGapAnalysis(db, {
      by: commandLine(),
      suppressBelow: 10,
      dimensions: ["language"],
      save: false,
    });
    expect(report.document.dimensions.map((entry) => entry.dimension)).toEqual(["language"]);
    expect(report.document.correlations.every((entry) => entry.dimension === "language")).toBe(
      true,
    );
    expect(report.document.findings.some((finding) => /aged/.test(finding))).toBe(false);
    expect(report.document.findings.some((finding) => /Spanish/.test(finding))).toBe(true);
    // The areas do not depend on the dimensions.
    expect(area(report, TRACTS.t3.geoid).penetrationPer1000).toBeCloseTo(50, 9);
  });

  it("reports a census-only dimension as not compared", async () => {
    const report = await runUsageGapAnalysis(db, {
      by: commandLine(),
      suppressBelow: 10,
      dimensions: ["poverty"],
      save: false,
    });
    expect(report.document.dimensions).toEqual([]);
    expect(report.document.skippedDimensions).toEqual([
      { dimension: "poverty", reason: "census data only: no active-user counts by this dimension" },
    ]);
  });

  it("takes a chosen subset of areas as the service area; patrons elsewhere are outside it", async () => {
    const report = await runUsageGapAnalysis(db, {
      by: commandLine(),
      suppressBelow: 10,
      serviceArea: [TRACTS.t1.geoid],
      save: false,
    });
    const serviceArea = report.document.serviceArea;
    expect(serviceArea.geoids).toEqual([TRACTS.t1.geoid]);
    expect(serviceArea.population).toBe(2000);
    // 300 in tract 1 and 10 with no tract; tracts 2 and 3's 75 + 150 are outside.
    expect(serviceArea.users).toBe(310);
    expect(serviceArea.outsideServiceAreaUsers).toBe(225);
    // A single area: no priority (nothing to compare with) and no correlation.
    expect(report.document.areas).toHaveLength(1);
    expect(report.document.areas[0]?.priority).toBe(false);
    expect(report.document.correlations.every((entry) => entry.pearson === null)).toBe(true);
    expect(report.document.correlations[0]?.insufficientData).toMatch(/1 area with data/);
  });

  it("refuses a dimension, a level or an area that is not there, saying what is", async () => {
    const attempt = (request: Parameters<typeof runUsageGapAnalysis>[1]) =>
      runUsageGapAnalysis(db, request).then(
        () => null,
        (error: unknown) => error as InputError,
      );
    const dimension = await attempt({
      by: commandLine(),
      suppressBelow: 10,
      dimensions: ["income"],
    });
    expect(dimension).toBeInstanceOf(InputError);
    expect(dimension?.message).toMatch(/no dimension "income".*"age", "language", "poverty"/);
    const level = await attempt({ by: commandLine(), suppressBelow: 10, geography: "zip" });
    expect(level).toBeInstanceOf(InputError);
    expect(level?.message).toMatch(/no census data by "zip".*Levels available: "tract"/);
    const place = await attempt({
      by: commandLine(),
      suppressBelow: 10,
      serviceArea: ["06001999999"],
    });
    expect(place).toBeInstanceOf(InputError);
    expect(place?.message).toMatch(/not among the 3 "tract" areas with census data: "06001999999"/);
    expect(await listUsageGapRuns(db)).toEqual([]);
  });
});

describe("crosswalks", () => {
  it("rolls census tracts and patrons by tract up into districts (a weight splits tract 2)", async () => {
    await importCensus(db, dir, { crosswalk: true });
    await importPatrons(db, dir, basePatrons());
    const report = await runUsageGapAnalysis(db, {
      by: commandLine(),
      suppressBelow: 10,
      geography: "custom",
    });
    expect(report.options).toMatchObject({ population: "crosswalk", users: "crosswalk" });
    // North = tract 1 + ½ tract 2: 2,000 + 500 residents, 300 + 37.5 active users.
    const north = area(report, "NORTH");
    expect(north.name).toBe("North district");
    expect(north.population).toBeCloseTo(2500, 9);
    expect(north.users).toBeCloseTo(337.5, 9);
    expect(north.penetrationPer1000).toBeCloseTo(135, 9);
    // South = ½ tract 2 + tract 3: 500 + 3,000 residents, 37.5 + 150 active users.
    const south = area(report, "SOUTH");
    expect(south.population).toBeCloseTo(3500, 9);
    expect(south.users).toBeCloseTo(187.5, 9);
    expect(south.priority).toBe(true);
    // Groups add up over the whole service area either way.
    expect(group(report, "age", "18 to 34 years").population).toBeCloseTo(1800, 9);
    expect(group(report, "age", "18 to 34 years").users).toBeCloseTo(70, 9);
    expect(report.document.serviceArea.unknownAreaUsers).toBe(10);
  });

  it("joins patrons placed by district to census tracts rolled up through the crosswalk", async () => {
    await importCensus(db, dir, { crosswalk: true });
    // The export names the district: tract 1 → NORTH, tract 3 → SOUTH, tract 2's patrons all SOUTH.
    const district = (tract: keyof typeof TRACTS) => (tract === "t1" ? "NORTH" : "SOUTH");
    await importPatrons(db, dir, basePatrons(district), { kind: "custom" });
    const { options, input } = await loadUsageGapInput(db, {
      by: commandLine(),
      suppressBelow: 10,
    });
    expect(options).toMatchObject({
      geography: "custom",
      population: "crosswalk",
      users: "direct",
      patronGeography: "custom",
    });
    expect([...input.serviceArea]).toEqual(["NORTH", "SOUTH"]);
    const report = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    expect(area(report, "NORTH").population).toBeCloseTo(2500, 9);
    expect(area(report, "NORTH").users).toBe(300);
    expect(area(report, "SOUTH").population).toBeCloseTo(3500, 9);
    expect(area(report, "SOUTH").users).toBe(225);
    // Patrons by district cannot be shown by tract.
    await expect(
      runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10, geography: "tract" }),
    ).rejects.toThrow(/placed patrons by custom, which cannot be joined to "tract" areas/);
  });
});

describe("no data yet", () => {
  it("says to import census tables first", async () => {
    const attempt = runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    await expect(attempt).rejects.toBeInstanceOf(Conflict);
    await expect(attempt).rejects.toThrow(/No community \(census\) data is imported yet/);
  });

  it("says to import a patron export when only census data is there", async () => {
    await importCensus(db, dir);
    const attempt = runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    await expect(attempt).rejects.toBeInstanceOf(Conflict);
    await expect(attempt).rejects.toThrow(/No patron export is imported yet/);
  });
});
