// Geographies, community population and crosswalks. All Knex access for these tables; portable
// between SQLite and PostgreSQL (numbers come back as strings from pg and are converted here).
//
// Roll-up into library areas happens at query time: the raw census rows stay as imported, and
// populationBy(…, { crosswalk }) sums them through the crosswalk's weights. Counts roll up
// exactly (Σ weight·count); margins of error combine as the Census Bureau's approximation
// √Σ(weight·MOE)², with its zero-estimate rule (of the parts whose estimate is 0 only the largest
// MOE is included). Source: U.S. Census Bureau, ACS General Handbook (2020), ch. 8, "Calculating
// MOEs for Aggregated Count Data". A margin is null when any part's margin is unknown.
import type { CommunityPopulationRow } from "../analysis/usage-gap-types.ts";
import type { Db } from "../db.ts";
import { chunks } from "./chunks.ts";

/** The kinds of geography a stored area may be. */
export const GEOGRAPHY_KINDS = [
  "nation",
  "state",
  "county",
  "cousub",
  "place",
  "tract",
  "blockgroup",
  "zcta",
  "zip",
  "puma",
  "schooldistrict",
  "congressional",
  "custom",
] as const;

export type GeographyKind = (typeof GEOGRAPHY_KINDS)[number];

// Rows the community importers produce, as they are stored.
export interface GeographyRow {
  geoid: string;
  name: string | null;
  kind: GeographyKind;
  /** Line of the file it came from, for error messages. */
  line: number;
}

export interface PopulationRow {
  geoid: string;
  dimension: string;
  category: string;
  count: number;
  /** 90% margin of error; null when unknown. */
  moe: number | null;
  sourceTable: string | null;
  universe: string | null;
  year: number | null;
}

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 500;
/** Values per WHERE … IN (…). */
const IN_CHUNK = 500;

export interface Geography {
  geoid: string;
  name: string | null;
  kind: GeographyKind;
}

/** The stored geographies among `geoids`. */
export async function findGeographies(
  db: Db,
  geoids: readonly string[],
): Promise<Map<string, Geography>> {
  const found = new Map<string, Geography>();
  for (const part of chunks([...new Set(geoids)], IN_CHUNK)) {
    const rows = await db<Geography>("geographies")
      .select("geoid", "name", "kind")
      .whereIn("geoid", part);
    for (const row of rows) found.set(row.geoid, row);
  }
  return found;
}

/** Every stored geography, optionally of some kinds. */
export async function listGeographies(db: Db, kinds?: readonly string[]): Promise<Geography[]> {
  const query = db<Geography>("geographies").select("geoid", "name", "kind").orderBy("geoid");
  if (kinds) query.whereIn("kind", kinds);
  return query;
}

/** Geoids of the stored geographies of the given kinds (all kinds when null). */
export async function geoidsOfKinds(db: Db, kinds: readonly string[] | null): Promise<Set<string>> {
  const query = db("geographies").select("geoid");
  if (kinds) query.whereIn("kind", kinds);
  return new Set((await query).map((row: { geoid: string }) => row.geoid));
}

/**
 * Adds new geographies and fills in names; an existing geography keeps its kind (the caller
 * refuses a file that would change one).
 */
export async function saveGeographies(trx: Db, rows: readonly GeographyRow[]): Promise<void> {
  const existing = await findGeographies(
    trx,
    rows.map((r) => r.geoid),
  );
  const fresh = rows.filter((r) => !existing.has(r.geoid));
  for (const part of chunks(fresh, INSERT_CHUNK)) {
    await trx("geographies").insert(part.map(({ geoid, name, kind }) => ({ geoid, name, kind })));
  }
  for (const row of rows) {
    const known = existing.get(row.geoid);
    if (known && row.name && known.name !== row.name) {
      await trx("geographies").where({ geoid: row.geoid }).update({ name: row.name });
    }
  }
}

export async function insertPopulation(
  trx: Db,
  importId: number,
  rows: readonly PopulationRow[],
): Promise<void> {
  for (const part of chunks(rows, INSERT_CHUNK)) {
    await trx("community_population").insert(
      part.map((r) => ({
        import_id: importId,
        geoid: r.geoid,
        dimension: r.dimension,
        category: r.category,
        count: r.count,
        moe: r.moe,
        source_table: r.sourceTable,
        universe: r.universe,
        year: r.year,
      })),
    );
  }
}

export async function deletePopulation(trx: Db, importId: number): Promise<void> {
  await trx("community_population").where({ import_id: importId }).delete();
}

/** Whether any community population is stored (the demo loads only into an empty database). */
export async function hasCommunityData(db: Db): Promise<boolean> {
  return (await db("community_population").select("id").first()) !== undefined;
}

/** The dimensions with community data, and the geography kinds each covers. */
export async function communityDimensions(
  db: Db,
): Promise<{ dimension: string; kind: string; areas: number }[]> {
  const rows = (await db("community_population as p")
    .join("geographies as g", "g.geoid", "p.geoid")
    .select("p.dimension", "g.kind", db.raw("COUNT(DISTINCT p.geoid) AS areas"))
    .groupBy("p.dimension", "g.kind")
    .orderBy(["p.dimension", "g.kind"])) as {
    dimension: string;
    kind: string;
    areas: number | string;
  }[];
  return rows.map((r) => ({
    dimension: r.dimension,
    kind: r.kind,
    areas: Number(r.areas),
  }));
}

export interface PopulationCell {
  geoid: string;
  name: string | null;
  kind: string;
  category: string;
  /** Estimate (weighted sum when rolled up through a crosswalk). */
  count: number;
  /** 90% margin of error; null when unknown. */
  moe: number | null;
}

/** A cell as the analyses take it: the cell of `dimension`, without its geography kind. */
export function populationRow(cell: PopulationCell, dimension: string): CommunityPopulationRow {
  const { geoid, name, category, count, moe } = cell;
  return { geoid, name, dimension, category, count, moe };
}

export interface PopulationQuery {
  dimension: string;
  /** Only census geographies of these kinds (before any roll-up), e.g. ["tract"]. */
  kinds?: readonly string[];
  /** Roll up through this crosswalk import (see latestCrosswalkImportId). */
  crosswalkImportId?: number;
}

/**
 * Community population by area and category for one dimension. For each geography and
 * dimension the most recent import wins (a newer download of the same table supersedes an older
 * one without deleting it). With a crosswalk, census geographies are rolled up into its areas;
 * geographies the crosswalk does not list are left out.
 */
export async function populationBy(db: Db, query: PopulationQuery): Promise<PopulationCell[]> {
  const latest = db("community_population as p2")
    .max("p2.import_id")
    .whereRaw("p2.geoid = p.geoid AND p2.dimension = p.dimension");

  if (query.crosswalkImportId === undefined) {
    const rows = await db("community_population as p")
      .join("geographies as g", "g.geoid", "p.geoid")
      .select("p.geoid", "g.name", "g.kind", "p.category", "p.count", "p.moe")
      .where("p.dimension", query.dimension)
      .andWhere("p.import_id", latest)
      .modify((q) => {
        if (query.kinds) q.whereIn("g.kind", query.kinds);
      })
      .orderBy(["p.geoid", "p.category"]);
    return rows.map(
      (r: {
        geoid: string;
        name: string | null;
        kind: string;
        category: string;
        count: number | string;
        moe: number | string | null;
      }) => ({
        geoid: r.geoid,
        name: r.name,
        kind: r.kind,
        category: r.category,
        count: Number(r.count),
        moe: r.moe === null ? null : Number(r.moe),
      }),
    );
  }

  const crosswalkImportId = query.crosswalkImportId;
  const rows = await db("community_population as p")
    .join("crosswalk as cw", function joinCrosswalk() {
      this.on("cw.from_geoid", "=", "p.geoid").andOn(
        "cw.import_id",
        "=",
        db.raw("?", [crosswalkImportId]),
      );
    })
    .join("geographies as g", "g.geoid", "p.geoid")
    .join("geographies as area", "area.geoid", "cw.to_geoid")
    .select("cw.to_geoid as geoid", "area.name", "area.kind", "p.category")
    .select(
      db.raw("SUM(p.count * cw.weight) AS count"),
      db.raw(
        "SUM(CASE WHEN p.count <> 0 THEN p.moe * p.moe * cw.weight * cw.weight ELSE 0 END) AS moe_sq",
      ),
      db.raw(
        "MAX(CASE WHEN p.count = 0 THEN p.moe * p.moe * cw.weight * cw.weight END) AS zero_moe_sq",
      ),
      db.raw("COUNT(*) AS parts"),
      db.raw("COUNT(p.moe) AS parts_with_moe"),
    )
    .where("p.dimension", query.dimension)
    .andWhere("p.import_id", latest)
    .modify((q) => {
      if (query.kinds) q.whereIn("g.kind", query.kinds);
    })
    .groupBy("cw.to_geoid", "area.name", "area.kind", "p.category")
    .orderBy(["cw.to_geoid", "p.category"]);
  return rows.map(
    (r: {
      geoid: string;
      name: string | null;
      kind: string;
      category: string;
      count: number | string;
      moe_sq: number | string | null;
      zero_moe_sq: number | string | null;
      parts: number | string;
      parts_with_moe: number | string;
    }) => ({
      geoid: r.geoid,
      name: r.name,
      kind: r.kind,
      category: r.category,
      count: Number(r.count),
      moe:
        Number(r.parts_with_moe) === Number(r.parts)
          ? Math.sqrt(Number(r.moe_sq ?? 0) + Number(r.zero_moe_sq ?? 0))
          : null,
    }),
  );
}

// --- crosswalk -------------------------------------------------------------------------------

export interface CrosswalkRow {
  from: string;
  to: string;
  weight: number;
}

export async function insertCrosswalk(
  trx: Db,
  importId: number,
  rows: readonly CrosswalkRow[],
): Promise<void> {
  for (const part of chunks(rows, INSERT_CHUNK)) {
    await trx("crosswalk").insert(
      part.map((r) => ({
        import_id: importId,
        from_geoid: r.from,
        to_geoid: r.to,
        weight: r.weight,
      })),
    );
  }
}

export async function deleteCrosswalk(trx: Db, importId: number): Promise<void> {
  await trx("crosswalk").where({ import_id: importId }).delete();
}

/** The crosswalk import the analysis rolls up through by default (the newest), if any. */
export async function latestCrosswalkImportId(db: Db): Promise<number | undefined> {
  const row = await db("imports")
    .select("id")
    .where({ kind: "crosswalk" })
    .orderBy("id", "desc")
    .first();
  return row ? Number(row.id) : undefined;
}

export async function crosswalkRows(db: Db, importId: number): Promise<CrosswalkRow[]> {
  const rows = await db("crosswalk")
    .select("from_geoid", "to_geoid", "weight")
    .where({ import_id: importId })
    .orderBy(["from_geoid", "to_geoid"]);
  return rows.map((r: { from_geoid: string; to_geoid: string; weight: number | string }) => ({
    from: r.from_geoid,
    to: r.to_geoid,
    weight: Number(r.weight),
  }));
}

/** The current service area at these kinds: areas with census counts, not waiting to be added. */
export async function geoidsWithPopulation(db: Db, kinds: readonly string[]): Promise<Set<string>> {
  const rows = (await db("community_population as p")
    .join("geographies as g", "g.geoid", "p.geoid")
    .whereIn("g.kind", kinds)
    .where("g.outside_service_area", false)
    .distinct("p.geoid")) as { geoid: string }[];
  return new Set(rows.map((r) => r.geoid));
}

/** Marks areas as outside the service area (left out of the analysis until staff add them). */
export async function markOutsideServiceArea(trx: Db, geoids: readonly string[]): Promise<void> {
  for (const part of chunks([...geoids], INSERT_CHUNK)) {
    await trx("geographies").whereIn("geoid", part).update({ outside_service_area: true });
  }
}

/** Adds areas to the service area; returns how many were waiting. */
export async function addToServiceArea(db: Db, geoids: readonly string[]): Promise<number> {
  let added = 0;
  for (const part of chunks([...geoids], INSERT_CHUNK)) {
    added += await db("geographies")
      .whereIn("geoid", part)
      .where({ outside_service_area: true })
      .update({ outside_service_area: false });
  }
  return added;
}

/** Areas waiting for staff to add them to the service area, by geoid. */
export async function listOutsideServiceArea(db: Db): Promise<Geography[]> {
  const rows = (await db("geographies")
    .where({ outside_service_area: true })
    .orderBy("geoid")
    .select("geoid", "name", "kind")) as Geography[];
  return rows;
}
