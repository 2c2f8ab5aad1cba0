// The shapes of the areas a map draws: an area's own boundary when one was imported, else, for
// an area a crosswalk builds from census geographies (districts, branch service areas), the
// union of its members' shapes (topojson-client `merge`: shared edges dissolve, so the district
// has one outline). A member counts when its crosswalk weight is above MEMBER_WEIGHT_THRESHOLD:
// a tract split 0.6 / 0.4 between two branch areas is drawn in the one holding most of it, so
// every tract is drawn once and the districts tile the map without overlaps.
import type { Geometry, MultiPolygon, Polygon } from "geojson";
import { feature, merge } from "topojson-client";
import type { GeometryObject, Topology } from "topojson-specification";
import type { Db } from "../db.ts";
import { boundaryTopology, newestBoundaryImports } from "../queries/boundaries.ts";
import { crosswalkRows } from "../queries/community.ts";

/** A census geography is drawn in a crosswalk area when its weight there is above this. */
export const MEMBER_WEIGHT_THRESHOLD = 0.5;

interface LoadedTopology {
  topology: Topology;
  byId: Map<string, GeometryObject>;
}

/** Parsed topologies per database and import (an import's topology never changes). */
const cache = new WeakMap<Db, Map<number, LoadedTopology>>();
const CACHE_SIZE = 8;

async function loadTopology(db: Db, importId: number): Promise<LoadedTopology | null> {
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  const cached = perDb.get(importId);
  if (cached) return cached;
  const text = await boundaryTopology(db, importId);
  if (!text) return null;
  const topology = JSON.parse(text) as Topology;
  const areas = topology.objects.areas as { geometries: GeometryObject[] } | undefined;
  const byId = new Map((areas?.geometries ?? []).map((g) => [String(g.id), g]));
  const loaded = { topology, byId };
  if (perDb.size >= CACHE_SIZE) perDb.delete(perDb.keys().next().value as number);
  perDb.set(importId, loaded);
  return loaded;
}

export interface AreaShapes {
  shapes: Map<string, Geometry>;
  /** Areas drawn as the union of their crosswalk members, with how many members. */
  merged: Map<string, number>;
}

/**
 * Shapes for `geoids`. With `crosswalkImportId`, areas that have no boundary of their own are
 * built from their members'. Areas with neither are absent from the result.
 */
export async function areaShapes(
  db: Db,
  geoids: readonly string[],
  crosswalkImportId: number | null = null,
): Promise<AreaShapes> {
  const shapes = new Map<string, Geometry>();
  const merged = new Map<string, number>();
  const own = await newestBoundaryImports(db, geoids);
  for (const [geoid, importId] of own) {
    const loaded = await loadTopology(db, importId);
    const object = loaded?.byId.get(geoid);
    if (loaded && object) {
      shapes.set(geoid, (feature(loaded.topology, object) as { geometry: Geometry }).geometry);
    }
  }
  const rest = new Set(geoids.filter((geoid) => !shapes.has(geoid)));
  if (crosswalkImportId === null || rest.size === 0) return { shapes, merged };

  const members = new Map<string, string[]>();
  for (const row of await crosswalkRows(db, crosswalkImportId)) {
    if (!rest.has(row.to) || !(row.weight > MEMBER_WEIGHT_THRESHOLD)) continue;
    const list = members.get(row.to) ?? [];
    list.push(row.from);
    members.set(row.to, list);
  }
  const memberImports = await newestBoundaryImports(db, [...members.values()].flat());
  for (const [area, list] of members) {
    // Members may come from different boundary files: merge within each, then put together.
    const byImport = new Map<number, GeometryObject[]>();
    for (const member of list) {
      const importId = memberImports.get(member);
      if (importId === undefined) continue;
      const loaded = await loadTopology(db, importId);
      const object = loaded?.byId.get(member);
      if (!object) continue;
      const group = byImport.get(importId) ?? [];
      group.push(object);
      byImport.set(importId, group);
    }
    const polygons: MultiPolygon["coordinates"] = [];
    let count = 0;
    for (const [importId, objects] of byImport) {
      const loaded = (await loadTopology(db, importId)) as LoadedTopology;
      const union = merge(loaded.topology, objects as never) as MultiPolygon | Polygon;
      polygons.push(...(union.type === "Polygon" ? [union.coordinates] : union.coordinates));
      count += objects.length;
    }
    if (count === 0) continue;
    shapes.set(area, { type: "MultiPolygon", coordinates: polygons });
    merged.set(area, count);
  }
  return { shapes, merged };
}
