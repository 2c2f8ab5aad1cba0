// The analysis reads patrons from their sums per area (patron_area_counts) since issue 21; before,
// it grouped the whole cube (patron_counts) per dimension. These tests keep the results identical:
// a plain aggregation in TypeScript over the stored cube cells, written here as the reference (the
// old queries' sums: active users, patrons, active checkouts, age band limits, per area and
// category; through a crosswalk each cell's patrons split by its weights and the rest left in the
// unknown area), must give the same patron rows and the same analysis document, on the demo data
// and on a generated larger case (the analysis benchmark's generator). The migration that
// back-fills patron_area_counts for earlier imports must store what the import stores.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BENCH_AS_OF, generateAnalyzeBenchFiles } from "../../bench/analyze/generate.ts";
import type { ActiveUserCount } from "../../server/analysis/usage-gap-types.ts";
import { usageGaps } from "../../server/analysis/usage-gaps.ts";
import { type Db, migrationConfig } from "../../server/db.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { parseIsoDate } from "../../server/imports/dates.ts";
import { loadDemoData } from "../../server/imports/demo.ts";
import { loadMapping } from "../../server/imports/mapping.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { latestImport } from "../../server/queries/imports.ts";
import { type PatronDimension, type UsersCell, usersBy } from "../../server/queries/patrons.ts";
import { loadUsageGapInput } from "../../server/reports/usage-gaps.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import { freshDb } from "./usage-gaps-fixture.ts";

warnIfPostgresSkipped("The PostgreSQL back-fill test of patron_area_counts");

const MIGRATION = "20261203160000_patron_area_counts.ts";
const DIMENSIONS: PatronDimension[] = ["age", "language", "patron_type", "branch"];
const COLUMN = {
  age: "age_band",
  language: "language",
  patron_type: "patron_type",
  branch: "branch",
} as const;

interface StoredCell {
  geoid: string | null;
  age_band: string | null;
  age_lo: number | null;
  age_hi: number | null;
  language: string | null;
  patron_type: string | null;
  branch: string | null;
  active: number | boolean;
  count: number;
  checkouts: number | null;
}
interface CrosswalkRow {
  from_geoid: string;
  to_geoid: string;
  weight: number;
}

/** The reference: usersBy's rows summed in TypeScript from the stored cube cells. */
function referenceUsersBy(
  cells: readonly StoredCell[],
  dimension: PatronDimension,
  crosswalk?: readonly CrosswalkRow[],
): UsersCell[] {
  const isAge = dimension === "age";
  const groups = new Map<string, UsersCell>();
  const add = (geoid: string | null, cell: StoredCell, weight: number) => {
    const category = cell[COLUMN[dimension]];
    const key = JSON.stringify([geoid, category]);
    let group = groups.get(key);
    if (!group) {
      group = {
        geoid,
        category,
        ...(isAge ? { ageLo: null, ageHi: null } : {}),
        activeUsers: 0,
        patrons: 0,
        activeCheckouts: null,
      };
      groups.set(key, group);
    }
    if (isAge) {
      if (cell.age_lo !== null) group.ageLo = Math.min(group.ageLo ?? cell.age_lo, cell.age_lo);
      if (cell.age_hi !== null) group.ageHi = Math.max(group.ageHi ?? cell.age_hi, cell.age_hi);
    }
    const active = Boolean(cell.active);
    group.patrons += cell.count * weight;
    if (active) group.activeUsers += cell.count * weight;
    if (cell.checkouts !== null) {
      group.activeCheckouts = (group.activeCheckouts ?? 0) + (active ? cell.checkouts * weight : 0);
    }
  };
  const into = new Map<string, CrosswalkRow[]>();
  for (const row of crosswalk ?? [])
    into.set(row.from_geoid, [...(into.get(row.from_geoid) ?? []), row]);
  for (const cell of cells) {
    if (!crosswalk) {
      add(cell.geoid, cell, 1);
      continue;
    }
    const rows = cell.geoid === null ? [] : (into.get(cell.geoid) ?? []);
    for (const row of rows) add(row.to_geoid, cell, row.weight);
    const rest = 1 - rows.reduce((sum, row) => sum + row.weight, 0);
    if (rest > 1e-12) add(null, cell, rest);
  }
  return [...groups.values()].filter((c) => c.patrons > 1e-9 || c.activeUsers > 1e-9);
}

/** SQLite's ORDER BY geoid, category: nulls first, then text by its UTF-8 bytes. */
function sqliteOrder<T extends { geoid: string | null; category: string | null }>(rows: T[]): T[] {
  const text = (a: string | null, b: string | null) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : Buffer.compare(Buffer.from(a), Buffer.from(b));
  return [...rows].sort((a, b) => text(a.geoid, b.geoid) || text(a.category, b.category));
}

/** Numbers equal to 12 significant digits (sums of fractional weights taken in another order). */
function expectClose(actual: unknown, expected: unknown, at = "$"): void {
  if (typeof actual === "number" && typeof expected === "number") {
    const scale = Math.max(1, Math.abs(expected));
    if (Math.abs(actual - expected) > 1e-12 * scale) {
      throw new Error(`${at}: ${actual} is not ${expected}`);
    }
    return;
  }
  if (actual === null || expected === null || typeof actual !== "object") {
    expect(actual, at).toEqual(expected);
    return;
  }
  expect(typeof expected, at).toBe("object");
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected as object)]);
  for (const key of keys) {
    expectClose(
      (actual as Record<string, unknown>)[key],
      (expected as Record<string, unknown>)[key],
      `${at}.${key}`,
    );
  }
}

async function storedCells(db: Db, importId: number): Promise<StoredCell[]> {
  return (await db("patron_counts")
    .select(
      "geoid",
      "age_band",
      "age_lo",
      "age_hi",
      "language",
      "patron_type",
      "branch",
      "active",
      "count",
      "checkouts",
    )
    .where({ import_id: importId })) as StoredCell[];
}

/** The analysis document with the patron rows summed by the reference instead of read. */
async function referenceDocument(db: Db, geography: string | undefined, cells: StoredCell[]) {
  const { input, options } = await loadUsageGapInput(db, {
    by: commandLine(),
    suppressBelow: 10,
    geography,
  });
  const crosswalk =
    options.users === "crosswalk"
      ? ((await db("crosswalk")
          .select("from_geoid", "to_geoid", "weight")
          .where({ import_id: options.crosswalkImportId as number })) as CrosswalkRow[])
      : undefined;
  const users: ActiveUserCount[] = [];
  for (const dimension of ["age", "language"] as const) {
    for (const cell of sqliteOrder(referenceUsersBy(cells, dimension, crosswalk))) {
      if (cell.activeUsers <= 1e-9) continue;
      users.push({
        geoid: cell.geoid,
        dimension,
        category: cell.category,
        count: cell.activeUsers,
      });
    }
  }
  return {
    read: usageGaps(input),
    reference: usageGaps({ ...input, users }),
    crosswalk,
  };
}

/** patron_area_counts of one import, in a stable order. */
async function areaCounts(db: Db, importId: number) {
  return db("patron_area_counts")
    .select("*")
    .where({ import_id: importId })
    .orderBy(["dimension", "geoid", "category"]);
}

/** Undoes and redoes the migration: its back-fill from patron_counts replaces the import's rows. */
async function backFill(db: Db): Promise<void> {
  await db.migrate.down({ ...migrationConfig(), name: MIGRATION });
  await db.migrate.up({ ...migrationConfig(), name: MIGRATION });
}

describe("the demo data", () => {
  let db: Db;
  let importId: number;
  let cells: StoredCell[];
  beforeAll(async () => {
    db = await freshDb();
    await loadDemoData(db);
    importId = (await latestImport(db, "circulation"))?.id ?? 0;
    cells = await storedCells(db, importId);
  }, 180_000);
  afterAll(async () => {
    await db?.destroy();
  });

  it("reads the same patron rows per area as the cube summed in TypeScript, in every dimension", async () => {
    for (const dimension of DIMENSIONS) {
      const read = await usersBy(db, { dimension, importId });
      expect(read).toEqual(sqliteOrder(referenceUsersBy(cells, dimension)));
    }
  });

  it("gives the same analysis document at tract level, and through the crosswalk into branch areas", async () => {
    const tracts = await referenceDocument(db, undefined, cells);
    expect(JSON.stringify(tracts.read)).toBe(JSON.stringify(tracts.reference));
    const branches = await referenceDocument(db, "custom", cells);
    // The demo's crosswalk rolls tracts into branch areas: the case must really cross it.
    expect(branches.crosswalk?.length).toBeGreaterThan(0);
    expectClose(branches.read, branches.reference);
  });

  it("back-fills the same sums from patron_counts as the import stored", async () => {
    const stored = await areaCounts(db, importId);
    expect(stored.length).toBeGreaterThan(0);
    await backFill(db);
    expect(await areaCounts(db, importId)).toEqual(stored);
  });
});

/** The analysis benchmark's generated census and patron export, imported; the import's id. */
async function importGenerated(db: Db, rows: number, areas: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), "od-area-counts-"));
  const files = await generateAnalyzeBenchFiles(dir, rows, areas);
  await importCommunity(db, { by: commandLine(), file: files.community, format: "tidy" });
  const report = await importCirculation(db, {
    by: commandLine(),
    file: files.patrons,
    mapping: await loadMapping(files.mapping),
    asOf: parseIsoDate(BENCH_AS_OF) ?? undefined,
  });
  return report.importId;
}

describe("a generated larger case (150 tracts, 40,000 patrons, with checkouts)", () => {
  let db: Db;
  let importId: number;
  let cells: StoredCell[];
  beforeAll(async () => {
    db = await freshDb();
    importId = await importGenerated(db, 40_000, 150);
    cells = await storedCells(db, importId);
  }, 120_000);
  afterAll(async () => {
    await db?.destroy();
  });

  it("reads the same patron rows and active checkouts as the cube summed in TypeScript", async () => {
    expect(cells.some((cell) => cell.checkouts !== null && cell.checkouts > 0)).toBe(true);
    for (const dimension of DIMENSIONS) {
      const read = await usersBy(db, { dimension, importId });
      expect(read).toEqual(sqliteOrder(referenceUsersBy(cells, dimension)));
    }
  });

  it("gives the same analysis document", async () => {
    const { read, reference } = await referenceDocument(db, undefined, cells);
    expect(read.areas.length).toBe(150);
    expect(JSON.stringify(read)).toBe(JSON.stringify(reference));
  });

  it("back-fills the same sums from patron_counts as the import stored", async () => {
    const stored = await areaCounts(db, importId);
    await backFill(db);
    expect(await areaCounts(db, importId)).toEqual(stored);
  });
});

describe.runIf(postgresEnabled)("the back-fill on PostgreSQL", () => {
  const SCHEMA = "patron_area_counts_test";
  let db: Db;
  afterAll(async () => {
    await dropPostgresSchema(db, SCHEMA);
  });

  it("stores the same sums from patron_counts as the import stored", async () => {
    db = await freshPostgresSchema(SCHEMA);
    const importId = await importGenerated(db, 5_000, 40);
    const stored = await areaCounts(db, importId);
    expect(stored.length).toBeGreaterThan(40);
    await backFill(db);
    expect(await areaCounts(db, importId)).toEqual(stored);
  }, 120_000);
});
