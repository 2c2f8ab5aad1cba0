// The usage-gap analysis on the demo data (db/demo, loaded through the importers as `npm start`
// does): the gaps db/demo/README.md documents as planted are found, with the realised
// representation indexes it states, and nothing else is flagged.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { DEMO_DIR, loadDemoData } from "../../server/imports/demo.ts";
import { DEMO_LOW_TRACTS } from "../../server/imports/demo-county.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { runUsageGapAnalysis, type UsageGapReport } from "../../server/reports/usage-gaps.ts";
import { freshDb } from "./usage-gaps-fixture.ts";

/** The README's prose with line breaks folded, so a phrase split over two lines still matches. */
const README = readFileSync(path.join(DEMO_DIR, "README.md"), "utf8").replace(/\s+/g, " ");

/** A realised representation index the README states in bold after `label`. */
function documentedIndex(label: string): number {
  const match = README.match(new RegExp(`${label} \\*\\*(\\d\\.\\d+)\\*\\*`));
  if (!match?.[1]) throw new Error(`db/demo/README.md states no index for "${label}"`);
  return Number(match[1]);
}

let db: Db;
let tracts: UsageGapReport;
let branches: UsageGapReport;

beforeAll(async () => {
  db = await freshDb();
  await loadDemoData(db);
  tracts = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
  branches = await runUsageGapAnalysis(db, {
    by: commandLine(),
    suppressBelow: 10,
    geography: "custom",
  });
}, 180_000);
afterAll(async () => {
  await db.destroy();
});

const flagged = (report: UsageGapReport) =>
  report.document.dimensions.flatMap((dimension) =>
    dimension.groups
      .filter((group) => group.flag !== null)
      .map((group) => `${dimension.dimension}: ${group.category} (${group.flag})`),
  );

describe("the demo data's planted gaps", () => {
  it("flags adults 20 to 34 and Spanish and Vietnamese speakers as under-represented, and nothing else", () => {
    expect(flagged(tracts)).toEqual([
      "age: 20 to 24 years (under)",
      "age: 25 to 29 years (under)",
      "age: 30 to 34 years (under)",
      "language: Spanish (under)",
      "language: Vietnamese (under)",
    ]);
    // Through the crosswalk into branch areas the groups are the same people, so the same flags.
    expect(flagged(branches)).toEqual(flagged(tracts));
  });

  it("finds the representation indexes the README states", () => {
    const index = (dimension: string, category: string) =>
      tracts.document.dimensions
        .find((entry) => entry.dimension === dimension)
        ?.groups.find((entry) => entry.category === category)?.representationIndex;
    // The README writes "20 to 24 years **0.571**, 25 to 29 **0.568**, 30 to 34 **0.561**".
    for (const [category, label] of [
      ["20 to 24 years", "20 to 24 years"],
      ["25 to 29 years", "25 to 29"],
      ["30 to 34 years", "30 to 34"],
    ] as const) {
      expect(index("age", category)).toBeCloseTo(documentedIndex(label), 3);
    }
    expect(index("language", "Spanish")).toBeCloseTo(documentedIndex("Spanish"), 3);
    expect(index("language", "Vietnamese")).toBeCloseTo(documentedIndex("Vietnamese"), 3);
    // "None reaches 1.25": every other group is a little over-represented, none flagged.
    for (const dimension of tracts.document.dimensions) {
      for (const group of dimension.groups) {
        if (group.flag === null) expect(group.representationIndex).toBeLessThan(1.25);
      }
    }
  });

  it("ranks the three low-penetration tracts lowest, each significantly below the county's rate", () => {
    const rate = tracts.document.serviceArea.areaRatePer1000 ?? 0;
    const lowest = tracts.document.areas.slice(0, 3);
    expect(lowest.map((area) => area.geoid).sort()).toEqual([...DEMO_LOW_TRACTS].sort());
    for (const area of lowest) {
      expect(area.penetrationPer1000).toBeGreaterThan(34);
      expect(area.penetrationPer1000).toBeLessThan(38);
      expect(area.penetrationInterval?.[1]).toBeLessThan(rate);
    }
    // Every other tract's interval holds the county's rate: no other tract stands out.
    for (const area of tracts.document.areas.slice(3)) {
      expect(area.penetrationInterval?.[0]).toBeLessThan(rate);
      expect(area.penetrationInterval?.[1]).toBeGreaterThan(rate);
    }
  });

  it("makes priority areas only of the low-penetration tracts (and, by branch, of the areas holding them)", () => {
    const priority = (report: UsageGapReport) =>
      report.document.areas.filter((area) => area.priority).map((area) => area.geoid);
    // Priority also needs at least the median tract's non-users (3,796 here): tract 32 has 3,888;
    // tracts 10 and 37 (3,314 and 3,563 non-users) are significantly low but smaller than that.
    expect(priority(tracts).length).toBeGreaterThan(0);
    for (const geoid of priority(tracts)) expect(DEMO_LOW_TRACTS).toContain(geoid);
    // README: "the areas holding a low tract read a little lower as a consequence of gap 3".
    for (const code of priority(branches)) expect(["EST", "NTH", "STH"]).toContain(code);
  });

  it("finds no composition share that predicts penetration, once the many shares tested are allowed for", () => {
    // README: "no composition share of a tract predicts its penetration". Unadjusted, one of the
    // ~34 shares tested passes p < 0.05 by chance (the three low tracts act as outliers).
    const correlations = tracts.document.correlations ?? [];
    expect(correlations.length).toBeGreaterThan(10);
    for (const c of correlations) {
      expect(c.adjustedPValue === null || c.adjustedPValue >= 0.05, c.summary).toBe(true);
      expect(c.summary).not.toMatch(/library use is (lower|higher) where/);
    }
  });

  it("accounts for every active patron: 17,783, of whom 525 in the unknown area", () => {
    const serviceArea = tracts.document.serviceArea;
    expect(serviceArea.users).toBe(17783);
    expect(serviceArea.unknownAreaUsers).toBe(525);
    expect(serviceArea.population).toBe(171847);
    expect(tracts.asOf).toBe("2024-06-30");
  });
});
