// The patron cube (patron_counts). All Knex access for it; portable between SQLite and
// PostgreSQL (booleans and pg's string numbers are normalised here).
//
// The analysis reads the newest circulation import (latestImport(db, "circulation") in
// server/queries/imports.ts). With a crosswalk, patrons' census geographies are rolled up into
// the crosswalk's areas by the same weights as the population (a weight splits a tract's
// patrons too, so rolled-up counts can be fractional); patrons whose geography the crosswalk
// does not list, and patrons of the unknown area, stay in the unknown area (geoid null).
import { type Db, isSqlite } from "../db.ts";

/** One row of patron_counts. */
export interface PatronCell {
  geoid: string | null;
  ageBand: string | null;
  ageLo: number | null;
  ageHi: number | null;
  language: string | null;
  patronType: string | null;
  branch: string | null;
  active: boolean;
  count: number;
  checkouts: number | null;
}

const COLUMNS = [
  "import_id",
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
] as const;
/** 2,500 rows × 11 values = 27,500 bound values: under SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_INSERT = 2500;
const ROW_PLACEHOLDERS = `(${COLUMNS.map(() => "?").join(", ")})`;
/** Cells per INSERT … SELECT FROM json_each on SQLite (about 2 MB of JSON). */
const CELLS_PER_JSON_INSERT = 20_000;

/**
 * Stores a cube: hundreds of thousands of cells for a large import. On SQLite the cells go in as
 * one JSON array per 20,000 (INSERT … SELECT … FROM json_each(?)), three to four times faster
 * than binding every value; elsewhere as multi-row INSERT … VALUES. (Knex's own batch insert
 * compiles to SELECT … UNION ALL on SQLite, slower still and capped at 500 rows.)
 */
export async function insertPatronCounts(
  trx: Db,
  importId: number,
  cells: readonly PatronCell[],
): Promise<void> {
  if (isSqlite(trx)) await insertPatronCountsAsJson(trx, importId, cells);
  else await insertPatronCountsAsValues(trx, importId, cells);
}

/** SQLite: INSERT … SELECT from json_each over a JSON array of cells. */
export async function insertPatronCountsAsJson(
  trx: Db,
  importId: number,
  cells: readonly PatronCell[],
): Promise<void> {
  const field = (i: number) => `json_extract(value, '$[${i}]')`;
  const sql = `INSERT INTO patron_counts (${COLUMNS.join(", ")}) SELECT ?, ${COLUMNS.slice(1)
    .map((_, i) => field(i))
    .join(", ")} FROM json_each(?)`;
  for (let start = 0; start < cells.length; start += CELLS_PER_JSON_INSERT) {
    const rows = cells
      .slice(start, start + CELLS_PER_JSON_INSERT)
      .map((c) => [
        c.geoid,
        c.ageBand,
        c.ageLo,
        c.ageHi,
        c.language,
        c.patronType,
        c.branch,
        c.active ? 1 : 0,
        c.count,
        c.checkouts,
      ]);
    await trx.raw(sql, [importId, JSON.stringify(rows)]);
  }
}

/** Portable: multi-row INSERT … VALUES (standard SQL). */
export async function insertPatronCountsAsValues(
  trx: Db,
  importId: number,
  cells: readonly PatronCell[],
): Promise<void> {
  for (let start = 0; start < cells.length; start += ROWS_PER_INSERT) {
    const part = cells.slice(start, start + ROWS_PER_INSERT);
    const bindings: (string | number | boolean | null)[] = [];
    for (const c of part) {
      bindings.push(
        importId,
        c.geoid,
        c.ageBand,
        c.ageLo,
        c.ageHi,
        c.language,
        c.patronType,
        c.branch,
        c.active,
        c.count,
        c.checkouts,
      );
    }
    const values = new Array(part.length).fill(ROW_PLACEHOLDERS).join(", ");
    await trx.raw(`INSERT INTO patron_counts (${COLUMNS.join(", ")}) VALUES ${values}`, bindings);
  }
}

export async function deletePatronCounts(trx: Db, importId: number): Promise<void> {
  await trx("patron_counts").where({ import_id: importId }).delete();
}

/** Patron dimensions and their columns. */
export const PATRON_DIMENSIONS = {
  age: "age_band",
  language: "language",
  patron_type: "patron_type",
  branch: "branch",
} as const;
export type PatronDimension = keyof typeof PATRON_DIMENSIONS;

export interface UsersCell {
  /** Area; null = unknown area. */
  geoid: string | null;
  /** Category of the dimension; null = unknown (blank or unrecognised in the export). */
  category: string | null;
  /** For age: the band's first and last year (hi null = open-ended). */
  ageLo?: number | null;
  ageHi?: number | null;
  /** Active patrons (activity within the import's window). */
  activeUsers: number;
  /** All patrons accepted, active or not. */
  patrons: number;
  /** Sum of checkouts of the active patrons (null when the export had no checkouts column). */
  activeCheckouts: number | null;
}

export interface UsersQuery {
  dimension: PatronDimension;
  importId: number;
  /** Roll patrons' geographies up through this crosswalk import. */
  crosswalkImportId?: number;
}

/** Patrons by area and category of one dimension, for one circulation import. */
export async function usersBy(db: Db, query: UsersQuery): Promise<UsersCell[]> {
  const column = `pc.${PATRON_DIMENSIONS[query.dimension]}`;
  const isAge = query.dimension === "age";
  const weight = query.crosswalkImportId === undefined ? "1" : "COALESCE(cw.weight, 0)";
  const geoid = query.crosswalkImportId === undefined ? "pc.geoid" : "cw.to_geoid";
  const activeCase = db.raw("CASE WHEN pc.active THEN 1 ELSE 0 END").toQuery();
  const crosswalkImportId = query.crosswalkImportId;
  const rows = await db("patron_counts as pc")
    .modify((q) => {
      if (crosswalkImportId !== undefined) {
        q.leftJoin("crosswalk as cw", function joinCrosswalk() {
          this.on("cw.from_geoid", "=", "pc.geoid").andOn(
            "cw.import_id",
            "=",
            db.raw("?", [crosswalkImportId]),
          );
        });
      }
    })
    .select(db.raw(`${geoid} AS geoid`), db.raw(`${column} AS category`))
    .modify((q) => {
      if (isAge) q.select(db.raw("MIN(pc.age_lo) AS age_lo"), db.raw("MAX(pc.age_hi) AS age_hi"));
    })
    .select(
      db.raw(`SUM(pc.count * ${activeCase} * ${weight}) AS active_users`),
      db.raw(`SUM(pc.count * ${weight}) AS patrons`),
      db.raw(`SUM(pc.checkouts * ${activeCase} * ${weight}) AS active_checkouts`),
      db.raw("COUNT(pc.checkouts) AS with_checkouts"),
    )
    .where("pc.import_id", query.importId)
    .groupByRaw(`${geoid}, ${column}`)
    .orderBy([{ column: "geoid" }, { column: "category" }]);
  const out = (rows as RawUsersRow[]).map((r) => toUsersCell(r, isAge));
  if (query.crosswalkImportId !== undefined) {
    // Patrons outside every crosswalk area got weight 0 above: count them in the unknown area.
    for (const extra of await unmatchedByCategory(db, query, column, activeCase)) {
      const cell = out.find((c) => c.geoid === null && c.category === extra.category);
      if (!cell) {
        out.push(extra);
        continue;
      }
      cell.activeUsers += extra.activeUsers;
      cell.patrons += extra.patrons;
      if (extra.activeCheckouts !== null) {
        cell.activeCheckouts = (cell.activeCheckouts ?? 0) + extra.activeCheckouts;
      }
    }
  }
  return out.filter((c) => c.patrons > 1e-9 || c.activeUsers > 1e-9);
}

interface RawUsersRow {
  geoid?: string | null;
  category: string | null;
  age_lo?: number | string | null;
  age_hi?: number | string | null;
  active_users: number | string | null;
  patrons: number | string | null;
  active_checkouts: number | string | null;
  with_checkouts: number | string;
}

const numberOrNull = (value: number | string | null | undefined) =>
  value === null || value === undefined ? null : Number(value);

function toUsersCell(r: RawUsersRow, isAge: boolean): UsersCell {
  return {
    geoid: r.geoid ?? null,
    category: r.category,
    ...(isAge ? { ageLo: numberOrNull(r.age_lo), ageHi: numberOrNull(r.age_hi) } : {}),
    activeUsers: Number(r.active_users ?? 0),
    patrons: Number(r.patrons ?? 0),
    activeCheckouts: Number(r.with_checkouts) > 0 ? Number(r.active_checkouts ?? 0) : null,
  };
}

/** Patrons whose geography has no (or only part of a) crosswalk row: the share left unassigned. */
async function unmatchedByCategory(
  db: Db,
  query: UsersQuery,
  column: string,
  activeCase: string,
): Promise<UsersCell[]> {
  const isAge = query.dimension === "age";
  const assigned = db("crosswalk as cw")
    .select("cw.from_geoid")
    .sum({ total: "cw.weight" })
    .where("cw.import_id", query.crosswalkImportId as number)
    .groupBy("cw.from_geoid")
    .as("a");
  const rest = "(1 - COALESCE(a.total, 0))";
  const rows = await db("patron_counts as pc")
    .leftJoin(assigned, "a.from_geoid", "pc.geoid")
    .select(db.raw(`${column} AS category`))
    .modify((q) => {
      if (isAge) q.select(db.raw("MIN(pc.age_lo) AS age_lo"), db.raw("MAX(pc.age_hi) AS age_hi"));
    })
    .select(
      db.raw(`SUM(pc.count * ${activeCase} * ${rest}) AS active_users`),
      db.raw(`SUM(pc.count * ${rest}) AS patrons`),
      db.raw(`SUM(pc.checkouts * ${activeCase} * ${rest}) AS active_checkouts`),
      db.raw("COUNT(pc.checkouts) AS with_checkouts"),
    )
    .where("pc.import_id", query.importId)
    .groupByRaw(column);
  return (rows as RawUsersRow[])
    .map((r) => toUsersCell({ ...r, geoid: null }, isAge))
    .filter((c) => c.patrons > 1e-9);
}

export interface PatronTotals {
  patrons: number;
  activeUsers: number;
  unknownAreaPatrons: number;
  unknownAreaActiveUsers: number;
}

/** Totals of one circulation import. */
export async function patronTotals(db: Db, importId: number): Promise<PatronTotals> {
  const activeCase = db.raw("CASE WHEN active THEN 1 ELSE 0 END").toQuery();
  const row = await db("patron_counts")
    .select(
      db.raw("SUM(count) AS patrons"),
      db.raw(`SUM(count * ${activeCase}) AS active_users`),
      db.raw("SUM(CASE WHEN geoid IS NULL THEN count ELSE 0 END) AS unknown_patrons"),
      db.raw(
        `SUM(CASE WHEN geoid IS NULL THEN count * ${activeCase} ELSE 0 END) AS unknown_active`,
      ),
    )
    .where({ import_id: importId })
    .first();
  return {
    patrons: Number(row?.patrons ?? 0),
    activeUsers: Number(row?.active_users ?? 0),
    unknownAreaPatrons: Number(row?.unknown_patrons ?? 0),
    unknownAreaActiveUsers: Number(row?.unknown_active ?? 0),
  };
}
