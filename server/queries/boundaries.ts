// Boundary topologies and the geographies each holds a shape for. All Knex access for them.
import type { Db } from "../db.ts";
import { chunks } from "./chunks.ts";

const INSERT_CHUNK = 500;
const IN_CHUNK = 500;

/** Stores one import's topology (TopoJSON text) and the geoids it has shapes for. */
export async function insertBoundaries(
  trx: Db,
  importId: number,
  topology: string,
  geoids: readonly string[],
): Promise<void> {
  await trx("boundary_topologies").insert({ import_id: importId, topology });
  for (const part of chunks(geoids, INSERT_CHUNK)) {
    await trx("boundaries").insert(part.map((geoid) => ({ import_id: importId, geoid })));
  }
}

export async function deleteBoundaries(trx: Db, importId: number): Promise<void> {
  await trx("boundaries").where({ import_id: importId }).delete();
  await trx("boundary_topologies").where({ import_id: importId }).delete();
}

/** Every geoid that has a shape, from any boundary import. */
export async function geoidsWithBoundaries(db: Db): Promise<Set<string>> {
  const rows = (await db("boundaries").distinct("geoid")) as { geoid: string }[];
  return new Set(rows.map((r) => r.geoid));
}

/** For each of `geoids` that has a shape: the newest boundary import holding it. */
export async function newestBoundaryImports(
  db: Db,
  geoids: readonly string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const part of chunks([...new Set(geoids)], IN_CHUNK)) {
    const rows = (await db("boundaries")
      .select("geoid")
      .max("import_id as import_id")
      .whereIn("geoid", part)
      .groupBy("geoid")) as { geoid: string; import_id: number | string }[];
    for (const row of rows) found.set(row.geoid, Number(row.import_id));
  }
  return found;
}

/** The stored topology of a boundary import (TopoJSON text), if it exists. */
export async function boundaryTopology(db: Db, importId: number): Promise<string | undefined> {
  const row = (await db("boundary_topologies")
    .select("topology")
    .where({ import_id: importId })
    .first()) as { topology: string } | undefined;
  return row?.topology;
}
