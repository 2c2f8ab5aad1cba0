// Runs over time: each run is saved with its patron export's as-of date, and the report shows the
// change since the previous run of the same areas. Two exports of the fixture (usage-gaps-fixture.ts):
// the second adds 30 active Spanish-speaking patrons aged 35 and over in tract 3.
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { listUsageGapRuns } from "../../server/queries/usage-gap-runs.ts";
import { usageGapText } from "../../server/reports/usage-gap-text.ts";
import {
  gapsCsv,
  latestDataReviewRun,
  latestUsageGapReport,
  runUsageGapAnalysis,
} from "../../server/reports/usage-gaps.ts";
import {
  basePatrons,
  freshDb,
  importCensus,
  importPatrons,
  TRACTS,
  tempDir,
} from "./usage-gaps-fixture.ts";

const LAST_YEAR = { year: 2023, month: 6, day: 30 };
const THIS_YEAR = { year: 2024, month: 6, day: 30 };
const moreSpanish = () => [
  ...basePatrons(),
  { area: TRACTS.t3.geoid, age: "35+", lang: "spa", active: true, count: 30 },
];

let db: Db;
let dir: string;

beforeEach(async () => {
  db = await freshDb();
  dir = tempDir();
  await importCensus(db, dir, { crosswalk: true });
});
afterEach(async () => {
  await db.destroy();
});

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

describe("runs over time", () => {
  it("has nothing to compare with on the first run", async () => {
    await importPatrons(db, dir, basePatrons(), { asOf: LAST_YEAR });
    const first = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    expect(first.asOf).toBe("2023-06-30");
    expect(first.document.changes).toBeNull();
    expect(usageGapText(first)).toMatch(/CHANGE SINCE THE PREVIOUS RUN: none to compare with/);
  });

  it("shows the change in representation, user share and penetration since the previous export", async () => {
    await importPatrons(db, dir, basePatrons(), { asOf: LAST_YEAR });
    const first = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    await importPatrons(db, dir, moreSpanish(), { asOf: THIS_YEAR });
    const second = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });

    const changes = second.document.changes;
    expect(changes?.previous).toEqual({
      runId: first.runId,
      asOf: "2023-06-30",
      createdAt: first.createdAt,
    });
    const spanish = changes?.groups.find(
      (entry) => entry.dimension === "language" && entry.category === "Spanish",
    );
    // RI: (75/465)/(1,300/5,700) = 0.707196 → (105/495)/(1,300/5,700) = 0.930070; +0.222874.
    expect(spanish?.representationIndex.previous).toBeCloseTo(0.707196, 6);
    expect(spanish?.representationIndex.current).toBeCloseTo(0.93007, 6);
    expect(spanish?.representationIndex.change).toBeCloseTo(0.222874, 6);
    // User share 75/465 = 16.13% → 105/495 = 21.21%: +5.08 points.
    expect(spanish?.userShare.change).toBeCloseTo(105 / 495 - 75 / 465, 12);
    // The flag went: RI 0.93 is no longer below 0.8.
    expect(spanish?.flag).toEqual({ previous: "under", current: null });
    // Tract 3: 150 → 180 active users of 3,000 residents, 50 → 60 per 1,000.
    const t3 = changes?.areas.find((entry) => entry.geoid === TRACTS.t3.geoid);
    expect(t3?.penetrationPer1000).toEqual({
      previous: expect.closeTo(50, 9),
      current: expect.closeTo(60, 9),
      change: expect.closeTo(10, 9),
    });
    const t1 = changes?.areas.find((entry) => entry.geoid === TRACTS.t1.geoid);
    expect(t1?.penetrationPer1000.change).toBeCloseTo(0, 12);
    expect(changes?.notes).toEqual([]);

    const text = usageGapText(second);
    expect(text).toMatch(/CHANGE SINCE THE PREVIOUS RUN \(patrons as of 2023-06-30, run \d+\)/);
    expect(text).toMatch(
      /Spanish\s+0\.71 → 0\.93\s+\+0\.22\s+16% → 21%\s+\+5\.1 pts\s+under → none/,
    );
  });

  it("compares with older data only: a re-run of the same export is not 'the previous run'", async () => {
    await importPatrons(db, dir, basePatrons(), { asOf: LAST_YEAR });
    const first = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    await importPatrons(db, dir, moreSpanish(), { asOf: THIS_YEAR });
    await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    const rerun = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    expect(rerun.document.changes?.previous.runId).toBe(first.runId);
    expect((await listUsageGapRuns(db)).map((run) => run.asOf)).toEqual([
      "2024-06-30",
      "2024-06-30",
      "2023-06-30",
    ]);
  });

  it("compares runs of the same areas only", async () => {
    await importPatrons(db, dir, basePatrons(), { asOf: LAST_YEAR });
    await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    await importPatrons(db, dir, moreSpanish(), { asOf: THIS_YEAR });
    const districts = await runUsageGapAnalysis(db, {
      by: commandLine(),
      suppressBelow: 10,
      geography: "custom",
    });
    expect(districts.document.changes).toBeNull();
    const subset = await runUsageGapAnalysis(db, {
      by: commandLine(),
      suppressBelow: 10,
      serviceArea: [TRACTS.t1.geoid, TRACTS.t2.geoid],
    });
    expect(subset.document.changes).toBeNull();
  });

  it("gives the latest saved run, with its change, to the staff page", async () => {
    expect(await latestUsageGapReport(db)).toBeNull();
    await importPatrons(db, dir, basePatrons(), { asOf: LAST_YEAR });
    await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    await importPatrons(db, dir, moreSpanish(), { asOf: THIS_YEAR });
    const second = await runUsageGapAnalysis(db, {
      by: commandLine(),
      suppressBelow: 10,
      dimensions: ["language"],
    });
    const latest = await latestUsageGapReport(db);
    expect(latest?.runId).toBe(second.runId);
    expect(latest?.asOf).toBe("2024-06-30");
    // The saved run is shown as it was asked for (language only), changes included.
    expect(latest?.document.dimensions.map((entry) => entry.dimension)).toEqual(["language"]);
    expect(latest?.document).toEqual(second.document);
  });
});

describe("for other pages", () => {
  it("gives the equity rubric's data review the flagged groups and priority areas, named", async () => {
    expect(await latestDataReviewRun(db)).toBeNull();
    await importPatrons(db, dir, basePatrons(), { asOf: THIS_YEAR });
    await runUsageGapAnalysis(db, {
      by: commandLine(),
      suppressBelow: 10,
      now: new Date("2024-07-15T10:00:00Z"),
    });
    expect(await latestDataReviewRun(db)).toEqual({
      ranOn: "2024-07-15",
      asOf: "2024-06-30",
      under: [
        "Residents aged 18 to 34 (representation index 0.44)",
        "Residents who speak Spanish at home (representation index 0.71)",
      ],
      over: ["Residents aged under 18 (representation index 1.31)"],
      priorityAreas: [`Census Tract 3 (${TRACTS.t3.geoid})`],
    });
  });

  it("streams gaps.csv (groups, then areas) for npm run export and the staff download", async () => {
    await importPatrons(db, dir, basePatrons(), { asOf: THIS_YEAR });
    const text = await readAll(await gapsCsv(db, { by: commandLine(), suppressBelow: 10 }));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    // Nothing was saved yet, so it ran (and saved) once.
    expect(await listUsageGapRuns(db)).toHaveLength(1);
    expect(rows.filter((row) => row.table === "group")).toHaveLength(5);
    expect(rows.filter((row) => row.table === "area").map((row) => row.dimension_or_geoid)).toEqual(
      [TRACTS.t3.geoid, TRACTS.t2.geoid, TRACTS.t1.geoid],
    );
    const spanish = rows.find((row) => row.category_or_name === "Spanish");
    expect(Number(spanish?.representationIndex)).toBeCloseTo(0.707196, 6);
    expect(spanish?.flag).toBe("under");
    const t3 = rows.find((row) => row.dimension_or_geoid === TRACTS.t3.geoid);
    expect(t3).toMatchObject({ population: "3000", users: "150", priority: "yes", rank: "1" });
    // The next export reads the saved run instead of running again.
    await readAll(await gapsCsv(db, { by: commandLine(), suppressBelow: 10 }));
    expect(await listUsageGapRuns(db)).toHaveLength(1);
  });
});
