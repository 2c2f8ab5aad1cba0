// The demo data: generated deterministically (the committed db/demo files are the generator's
// output), loaded through the real importers into an empty database, with the planted gaps
// present in the stored numbers and nothing else uneven.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { DEMO_DIR, type DemoLoadResult, loadDemoData } from "../../server/imports/demo.ts";
import { DEMO_LOW_TRACTS } from "../../server/imports/demo-county.ts";
import { DEMO_FILES } from "../../server/imports/demo-data.ts";
import { demoFiles } from "../../server/imports/demo-files.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { populationBy } from "../../server/queries/community.ts";
import { latestCirculationAsOf, latestImport, listImports } from "../../server/queries/imports.ts";
import { usersBy } from "../../server/queries/patrons.ts";
import { freshDb, tempDir } from "./helpers.ts";

let db: Db;
let loaded: DemoLoadResult;
beforeAll(async () => {
  db = await freshDb();
  loaded = await loadDemoData(db);
});
afterAll(async () => {
  await db.destroy();
});

/** Representation index (user share ÷ population share) per category, for tract-level data. */
async function representation(dimension: "age" | "language") {
  const circulation = await latestImport(db, "circulation");
  const population = await populationBy(db, { dimension, kinds: ["tract"] });
  const users = await usersBy(db, { dimension, importId: circulation?.id ?? 0 });
  const pop = new Map<string, number>();
  for (const p of population) pop.set(p.category, (pop.get(p.category) ?? 0) + p.count);
  const act = new Map<string, number>();
  for (const u of users)
    if (u.category) act.set(u.category, (act.get(u.category) ?? 0) + u.activeUsers);
  const totalPop = [...pop.values()].reduce((s, n) => s + n, 0);
  const totalUsers = [...act.values()].reduce((s, n) => s + n, 0);
  return Object.fromEntries(
    [...pop].map(([category, n]) => [
      category,
      (act.get(category) ?? 0) / totalUsers / (n / totalPop),
    ]),
  );
}

describe("the demo data", () => {
  it("is what the seeded generator writes, byte for byte", () => {
    const generated = demoFiles();
    for (const [key, name] of Object.entries(DEMO_FILES)) {
      const committed = readFileSync(path.join(DEMO_DIR, name), "utf8");
      expect(
        committed === generated[key as keyof typeof DEMO_FILES],
        `${name} differs from the generator`,
      ).toBe(true);
    }
  });

  it("loads through the importers: three ACS tables, the crosswalk, the tracts' boundaries and the patron export", async () => {
    const imports = await listImports(db);
    expect(imports.map((i) => [i.kind, i.fileName]).reverse()).toEqual([
      ["community", DEMO_FILES.age],
      ["community", DEMO_FILES.language],
      ["community", DEMO_FILES.poverty],
      ["crosswalk", DEMO_FILES.crosswalk],
      ["boundaries", DEMO_FILES.boundaries],
      ["circulation", DEMO_FILES.patrons],
    ]);
    // Every demo tract has a shape, and nothing in the file is left over.
    const boundaries = imports.find((i) => i.kind === "boundaries");
    expect(boundaries?.details).toMatchObject({
      matched: 40,
      unmatchedInFile: 0,
      censusAreasWithoutShape: 0,
    });
    expect(await latestCirculationAsOf(db)).toBe("2024-06-30");
    const patrons = imports[0];
    expect(patrons?.rowsAccepted).toBeGreaterThan(28_000);
    expect(Object.keys(patrons?.rejected ?? {}).sort()).toEqual([
      "bad activity date",
      "bad birth date",
    ]);
    expect(patrons?.rowsExcluded).toBe(183);
  });

  it("loads only into a database without community data", async () => {
    expect((await loadDemoData(db)).loaded).toBe(false);
  });

  it("under-represents adults 20–34 and only them (representation index by age)", async () => {
    const ri = await representation("age");
    for (const [band, value] of Object.entries(ri)) {
      if (["20 to 24 years", "25 to 29 years", "30 to 34 years"].includes(band))
        expect(value, band).toBeLessThan(0.65);
      else expect(value, band).toBeGreaterThan(1.0);
      expect(value, band).toBeLessThan(1.2);
    }
  });

  it("under-represents Spanish and Vietnamese speakers and no other language group", async () => {
    const ri = await representation("language");
    expect(ri.Spanish).toBeLessThan(0.7);
    expect(ri.Vietnamese).toBeLessThan(0.6);
    for (const [group, value] of Object.entries(ri)) {
      if (group === "Spanish" || group === "Vietnamese") continue;
      expect(value, group).toBeGreaterThan(1.0);
      expect(value, group).toBeLessThan(1.22);
    }
  });

  it("has three tracts at about a third of the penetration of every other tract", async () => {
    const circulation = await latestImport(db, "circulation");
    const population = await populationBy(db, { dimension: "age", kinds: ["tract"] });
    const users = await usersBy(db, { dimension: "age", importId: circulation?.id ?? 0 });
    const pop = new Map<string, number>();
    for (const p of population) pop.set(p.geoid, (pop.get(p.geoid) ?? 0) + p.count);
    const act = new Map<string, number>();
    for (const u of users) if (u.geoid) act.set(u.geoid, (act.get(u.geoid) ?? 0) + u.activeUsers);
    const perThousand = [...pop].map(
      ([geoid, n]) => [geoid, (1000 * (act.get(geoid) ?? 0)) / n] as const,
    );
    expect(perThousand).toHaveLength(40);
    const low = perThousand.filter(([, p]) => p < 60).map(([g]) => g);
    expect(low.sort()).toEqual([...DEMO_LOW_TRACTS].sort());
    // 105 active patrons per 1,000 residents (0.35 × that in the low tracts), less the few
    // rows rejected for a mistyped date.
    for (const [geoid, p] of perThousand) {
      const [lo, hi] = DEMO_LOW_TRACTS.includes(geoid) ? [34, 37.5] : [102, 105.5];
      expect(p, geoid).toBeGreaterThan(lo);
      expect(p, geoid).toBeLessThan(hi);
    }
  });

  it("is generated into a temporary folder when db/demo is missing", async () => {
    const other = await freshDb();
    try {
      const result = await loadDemoData(other, { dir: tempDir() });
      expect(result.reports.map((r) => r.rowsAccepted)).toEqual(
        (await listImports(db)).reverse().map((i) => i.rowsAccepted),
      );
    } finally {
      await other.destroy();
    }
  });
});

// Issue 22: imports and analyses write their own audit entries and require someone to name; the
// start-up load names the server itself, so the log accounts for the demo's rows.
describe("the audit log of a start-up demo load", () => {
  it("has one entry per import and one for the analysis, each by no one, via start-up", async () => {
    const entries = (await listAudit(db)).filter((e) => e.details?.via === "start-up");
    expect(entries.map((e) => e.action).sort()).toEqual(
      [...loaded.reports.map((r) => `import.${r.kind}`), "analysis.run"].sort(),
    );
    expect(entries.every((e) => e.actorId === null && e.actorEmail === null)).toBe(true);
  });
});
