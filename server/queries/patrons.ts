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

/** Patron dimensions: age, language, patron_type, branch. */
export type PatronDimension = "age" | "language" | "patron_type" | "branch";

/** One row of patron_area_counts. */
export interface PatronAreaCount {
  dimension: PatronDimension;
  /** null: unknown area. */
  geoid: string | null;
  /** null: unknown category. */
  category: string | null;
  /** For age: the band's first and last year (null for other dimensions). */
  ageLo: number | null;
  ageHi: number | null;
  patrons: number;
  activeUsers: number;
  /** null when the export had no checkouts column. */
  activeCheckouts: number | null;
}

type Value = string | number | boolean | null;

const CELL_COLUMNS = [
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
const cellRow = (importId: number) => (c: PatronCell) => [
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
];

const AREA_COLUMNS = [
  "import_id",
  "dimension",
  "geoid",
  "category",
  "age_lo",
  "age_hi",
  "patrons",
  "active_users",
  "active_checkouts",
] as const;
const areaRow = (importId: number) => (a: PatronAreaCount) => [
  importId,
  a.dimension,
  a.geoid,
  a.category,
  a.ageLo,
  a.ageHi,
  a.patrons,
  a.activeUsers,
  a.activeCheckouts,
];

/** Bound values per multi-row INSERT: under SQLite's 32,766 and PostgreSQL's 65,535. */
const VALUES_PER_INSERT = 27_500;
/** Rows per INSERT … SELECT FROM json_each on SQLite (about 2 MB of JSON for the cube). */
const ROWS_PER_JSON_INSERT = 20_000;

/**
 * Stores rows: hundreds of thousands for a large import's cube. On SQLite the rows go in as one
 * JSON array per 20,000 (INSERT … SELECT … FROM json_each(?)), three to four times faster than
 * binding every value; elsewhere as multi-row INSERT … VALUES. (Knex's own batch insert compiles
 * to SELECT … UNION ALL on SQLite, slower still and capped at 500 rows.)
 */
async function insertRows<T>(
  trx: Db,
  how: "json" | "values",
  table: string,
  columns: readonly string[],
  items: readonly T[],
  row: (item: T) => Value[],
): Promise<void> {
  if (how === "json") {
    // Booleans go in as 1/0: json_extract reads JSON true as 1, but say so rather than rely on it.
    const sql = `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${columns
      .map((_, i) => `json_extract(value, '$[${i}]')`)
      .join(", ")} FROM json_each(?)`;
    for (let start = 0; start < items.length; start += ROWS_PER_JSON_INSERT) {
      const rows = items
        .slice(start, start + ROWS_PER_JSON_INSERT)
        .map((item) => row(item).map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v)));
      await trx.raw(sql, [JSON.stringify(rows)]);
    }
    return;
  }
  const perInsert = Math.floor(VALUES_PER_INSERT / columns.length);
  const placeholders = `(${columns.map(() => "?").join(", ")})`;
  for (let start = 0; start < items.length; start += perInsert) {
    const part = items.slice(start, start + perInsert);
    const bindings: Value[] = [];
    for (const item of part) bindings.push(...row(item));
    const values = new Array(part.length).fill(placeholders).join(", ");
    await trx.raw(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${values}`, bindings);
  }
}

/** Stores an import's cube (patron_counts). */
export async function insertPatronCounts(
  trx: Db,
  importId: number,
  cells: readonly PatronCell[],
): Promise<void> {
  const how = isSqlite(trx) ? "json" : "values";
  await insertRows(trx, how, "patron_counts", CELL_COLUMNS, cells, cellRow(importId));
}

/** Stores an import's sums per dimension and area (patron_area_counts: what the analysis reads). */
export async function insertPatronAreaCounts(
  trx: Db,
  importId: number,
  areas: readonly PatronAreaCount[],
): Promise<void> {
  const how = isSqlite(trx) ? "json" : "values";
  await insertRows(trx, how, "patron_area_counts", AREA_COLUMNS, areas, areaRow(importId));
}

/** SQLite: the cube's cells through INSERT … SELECT from json_each over a JSON array. */
export async function insertPatronCountsAsJson(
  trx: Db,
  importId: number,
  cells: readonly PatronCell[],
): Promise<void> {
  await insertRows(trx, "json", "patron_counts", CELL_COLUMNS, cells, cellRow(importId));
}

/** Portable: the cube's cells through multi-row INSERT … VALUES (standard SQL). */
export async function insertPatronCountsAsValues(
  trx: Db,
  importId: number,
  cells: readonly PatronCell[],
): Promise<void> {
  await insertRows(trx, "values", "patron_counts", CELL_COLUMNS, cells, cellRow(importId));
}

export async function deletePatronCounts(trx: Db, importId: number): Promise<void> {
  await trx("patron_area_counts").where({ import_id: importId }).delete();
  await trx("patron_counts").where({ import_id: importId }).delete();
}

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

/**
 * Patrons by area and category of one dimension, for one circulation import. Reads the import's
 * sums per area (patron_area_counts), not the cube: a few rows per area instead of a GROUP BY
 * over every cell.
 */
export async function usersBy(db: Db, query: UsersQuery): Promise<UsersCell[]> {
  const isAge = query.dimension === "age";
  const crosswalkImportId = query.crosswalkImportId;
  if (crosswalkImportId === undefined) {
    const rows = (await db("patron_area_counts")
      .select(
        "geoid",
        "category",
        "age_lo",
        "age_hi",
        "active_users",
        "patrons",
        "active_checkouts",
      )
      .where({ import_id: query.importId, dimension: query.dimension })
      .orderBy(["geoid", "category"])) as StoredAreaRow[];
    return rows
      .map((r) => toUsersCell({ ...r, with_checkouts: r.active_checkouts === null ? 0 : 1 }, isAge))
      .filter((c) => c.patrons > 1e-9 || c.activeUsers > 1e-9);
  }
  const weight = "COALESCE(cw.weight, 0)";
  const rows = await db("patron_area_counts as pa")
    .leftJoin("crosswalk as cw", function joinCrosswalk() {
      this.on("cw.from_geoid", "=", "pa.geoid").andOn(
        "cw.import_id",
        "=",
        db.raw("?", [crosswalkImportId]),
      );
    })
    .select(db.raw("cw.to_geoid AS geoid"), "pa.category")
    .modify((q) => {
      if (isAge) q.select(db.raw("MIN(pa.age_lo) AS age_lo"), db.raw("MAX(pa.age_hi) AS age_hi"));
    })
    .select(weightedSums(db, weight))
    .where({ "pa.import_id": query.importId, "pa.dimension": query.dimension })
    .groupBy("cw.to_geoid", "pa.category")
    .orderBy([{ column: "geoid" }, { column: "category" }]);
  const out = (rows as RawUsersRow[]).map((r) => toUsersCell(r, isAge));
  // Patrons outside every crosswalk area got weight 0 above: count them in the unknown area.
  for (const extra of await unmatchedByCategory(db, query, crosswalkImportId)) {
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
  return out.filter((c) => c.patrons > 1e-9 || c.activeUsers > 1e-9);
}

export interface ActiveUsersCell {
  geoid: string | null;
  category: string | null;
  activeUsers: number;
}

/**
 * Active users by area and category of one dimension: what the usage-gap analysis reads. The
 * same numbers as usersBy's activeUsers (cells without active users left out), read without the
 * other columns: at 5,000 areas reading fewer columns per row is a third less work.
 */
export async function activeUsersBy(db: Db, query: UsersQuery): Promise<ActiveUsersCell[]> {
  if (query.crosswalkImportId !== undefined) {
    return (await usersBy(db, query))
      .filter((cell) => cell.activeUsers > 1e-9)
      .map(({ geoid, category, activeUsers }) => ({ geoid, category, activeUsers }));
  }
  const rows = (await db("patron_area_counts")
    .select("geoid", "category", "active_users")
    .where({ import_id: query.importId, dimension: query.dimension })
    .andWhere("active_users", ">", 0)
    .orderBy(["geoid", "category"])) as {
    geoid: string | null;
    category: string | null;
    active_users: number | string;
  }[];
  return rows.map((r) => ({
    geoid: r.geoid,
    category: r.category,
    activeUsers: Number(r.active_users),
  }));
}

/** The sums of usersBy with every area's counts multiplied by `weight` (an SQL expression). */
function weightedSums(db: Db, weight: string) {
  return [
    db.raw(`SUM(pa.active_users * ${weight}) AS active_users`),
    db.raw(`SUM(pa.patrons * ${weight}) AS patrons`),
    db.raw(`SUM(pa.active_checkouts * ${weight}) AS active_checkouts`),
    db.raw("COUNT(pa.active_checkouts) AS with_checkouts"),
  ];
}

interface StoredAreaRow {
  geoid: string | null;
  category: string | null;
  age_lo: number | string | null;
  age_hi: number | string | null;
  active_users: number | string;
  patrons: number | string;
  active_checkouts: number | string | null;
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
  crosswalkImportId: number,
): Promise<UsersCell[]> {
  const isAge = query.dimension === "age";
  const assigned = db("crosswalk as cw")
    .select("cw.from_geoid")
    .sum({ total: "cw.weight" })
    .where("cw.import_id", crosswalkImportId)
    .groupBy("cw.from_geoid")
    .as("a");
  const rows = await db("patron_area_counts as pa")
    .leftJoin(assigned, "a.from_geoid", "pa.geoid")
    .select("pa.category")
    .modify((q) => {
      if (isAge) q.select(db.raw("MIN(pa.age_lo) AS age_lo"), db.raw("MAX(pa.age_hi) AS age_hi"));
    })
    .select(weightedSums(db, "(1 - COALESCE(a.total, 0))"))
    .where({ "pa.import_id": query.importId, "pa.dimension": query.dimension })
    .groupBy("pa.category");
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

/** Totals of one circulation import (from its sums by age: every patron is in one age row). */
export async function patronTotals(db: Db, importId: number): Promise<PatronTotals> {
  const row = await db("patron_area_counts")
    .select(
      db.raw("SUM(patrons) AS patrons"),
      db.raw("SUM(active_users) AS active_users"),
      db.raw("SUM(CASE WHEN geoid IS NULL THEN patrons ELSE 0 END) AS unknown_patrons"),
      db.raw("SUM(CASE WHEN geoid IS NULL THEN active_users ELSE 0 END) AS unknown_active"),
    )
    .where({ import_id: importId, dimension: "age" })
    .first();
  return {
    patrons: Number(row?.patrons ?? 0),
    activeUsers: Number(row?.active_users ?? 0),
    unknownAreaPatrons: Number(row?.unknown_patrons ?? 0),
    unknownAreaActiveUsers: Number(row?.unknown_active ?? 0),
  };
}
