// Imports a boundary file: the shapes of census geographies Open Door already holds, for maps.
//
// Reads GeoJSON, TopoJSON and zipped ESRI shapefiles as the Census Bureau publishes them
// (TIGER/Line and cartographic boundary files: tl_2023_06_tract.zip, cb_2022_06_tract_500k.zip),
// with well-kept readers: fflate unzips, `shapefile` reads .shp/.dbf, topojson-client turns
// TopoJSON into features. Each feature is matched to an imported geography by its GEOID (the
// first of GEOID, GEOID20, GEOID10, GEO_ID, AFFGEOID, ZCTA5CE20, ZCTA5CE10 it has, else the
// feature's id; a GEO_ID such as 1400000US06075010101 counts by its GEOID part) or by the
// property the caller names. The report says how many matched, which features of the file
// match no geography, and which imported census areas still have no shape.
//
// The matched shapes are kept as one topology (topojson-server: neighbours share their edges),
// simplified for display (topojson-simplify, Visvalingam's effective area, keeping at most
// about POINTS_PER_AREA points per area on average, a shared point counted once, so a
// 2,000-tract county map stays under 1 MB) and stored once per import. Coordinates must be longitude/latitude (WGS84 or NAD83, as
// every Census file is); a projected file is refused with what to do.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { unzipSync } from "fflate";
import type {
  Feature,
  FeatureCollection,
  Geometry,
  MultiPolygon,
  Polygon,
  Position,
} from "geojson";
import * as shapefile from "shapefile";
import { quantize, feature as topoFeature } from "topojson-client";
import { topology as toTopology } from "topojson-server";
import { presimplify, quantile, simplify } from "topojson-simplify";
import type { Objects, Topology } from "topojson-specification";
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import { deleteBoundaries, geoidsWithBoundaries, insertBoundaries } from "../queries/boundaries.ts";
import { listGeographies } from "../queries/community.ts";
import type { ImportReport } from "../queries/imports.ts";
import { RejectionLog } from "./report.ts";
import { checkDuplicate, type ImportBy, storeImport } from "./store.ts";
import { sha256File } from "./table-file.ts";

/** Properties tried, in order, for a feature's GEOID when the caller names none. */
export const ID_PROPERTIES = [
  "GEOID",
  "GEOID20",
  "GEOID10",
  "GEO_ID",
  "AFFGEOID",
  "ZCTA5CE20",
  "ZCTA5CE10",
] as const;

/** Average points kept per area after simplification. */
export const POINTS_PER_AREA = 40;
/** Quantization of the stored topology: 1e5 steps across the file's extent (≈ 1 m in a county). */
const QUANTIZATION = 1e5;
/** How many example ids the report lists. */
const EXAMPLES = 10;

export type BoundaryFormat = "geojson" | "topojson" | "shapefile";

type Shape = Feature<Polygon | MultiPolygon | Geometry | null>;

export interface BoundaryFile {
  format: BoundaryFormat;
  /** Read one at a time from a shapefile, so a national file's unmatched shapes are never all held. */
  features: AsyncIterable<Shape>;
  warnings: string[];
}

async function* each(features: readonly Shape[]): AsyncGenerator<Shape> {
  yield* features;
}

const GEO_ID_PREFIX = /^\d{3}[0-9A-Z]{4}US/;

/** Reads any of the three formats, by content (a zip is a shapefile; JSON says what it is). */
export async function readBoundaryFile(file: string): Promise<BoundaryFile> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read the file (${error.code ?? error.message})`, { file });
  });
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50)
    return readZippedShapefile(file, bytes);
  return readJsonBoundaries(file, bytes);
}

async function readZippedShapefile(file: string, bytes: Buffer): Promise<BoundaryFile> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new InputError(`not a readable zip file (${(error as Error).message})`, { file });
  }
  const names = Object.keys(entries).filter((name) => !name.startsWith("__MACOSX/"));
  const shps = names.filter((name) => /\.shp$/i.test(name));
  if (shps.length === 0) {
    throw new InputError(
      `the zip holds no shapefile (.shp); it holds ${names.length ? names.slice(0, 8).join(", ") : "nothing"}`,
      { file },
    );
  }
  if (shps.length > 1) {
    throw new InputError(
      `the zip holds ${shps.length} shapefiles (${shps.join(", ")}); upload one boundary layer per zip`,
      { file },
    );
  }
  const shp = shps[0] as string;
  const base = shp.slice(0, -4);
  const sibling = (ext: string) =>
    names.find((name) => name.toLowerCase() === `${base}.${ext}`.toLowerCase());
  const dbfName = sibling("dbf");
  if (!dbfName) {
    throw new InputError(
      `${shp} has no attribute table (${path.basename(base)}.dbf) in the zip: the GEOIDs are in it`,
      { file },
    );
  }
  const warnings: string[] = [];
  const prjName = sibling("prj");
  if (prjName)
    checkProjection(file, prjName, Buffer.from(entries[prjName] ?? []).toString("latin1"));
  else
    warnings.push(
      `${shp} came without a .prj file; its coordinates were read as longitude/latitude`,
    );
  const cpgName = sibling("cpg");
  const encoding = cpgName
    ? Buffer.from(entries[cpgName] ?? [])
        .toString("latin1")
        .trim()
    : undefined;
  const broken = (error: unknown) =>
    new InputError(`${shp} could not be read as a shapefile (${(error as Error).message})`, {
      file,
    });
  const source = await shapefile
    .open(entries[shp] as Uint8Array, entries[dbfName] as Uint8Array, encoding ? { encoding } : {})
    .catch((error: unknown) => {
      throw broken(error);
    });
  async function* features(): AsyncGenerator<Shape> {
    for (;;) {
      const next = await source.read().catch((error: unknown) => {
        throw broken(error);
      });
      if (next.done) return;
      yield next.value as Shape;
    }
  }
  return { format: "shapefile", features: features(), warnings };
}

/**
 * Accepts geographic coordinates on the NAD83 or WGS84 datum (the Census Bureau's files are
 * NAD83, EPSG:4269; at map scale the two agree within about a metre).
 */
function checkProjection(file: string, prjName: string, wkt: string): void {
  const text = wkt.trim();
  if (/^PROJCS\[/i.test(text)) {
    const name = /^PROJCS\["([^"]*)"/i.exec(text)?.[1] ?? "a projected system";
    throw new InputError(
      `${prjName} says the shapes are projected (${name}); export them in longitude/latitude (NAD83 or WGS84, EPSG:4269 or EPSG:4326), as the Census Bureau's files are`,
      { file },
    );
  }
  if (!/^GEOGCS\[/i.test(text) || !/(North_American_1983|NAD_?83|WGS_?1984|WGS_?84)/i.test(text)) {
    throw new InputError(
      `${prjName} names a coordinate system Open Door does not read (${text.slice(0, 80)}); use longitude/latitude on NAD83 or WGS84`,
      { file },
    );
  }
}

function readJsonBoundaries(file: string, bytes: Buffer): BoundaryFile {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputError("neither a zip file nor UTF-8 JSON text", { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not valid JSON (${(error as Error).message})`, { file });
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (type === "Topology")
    return { format: "topojson", features: each(topologyFeatures(file, json)), warnings: [] };
  if (type === "FeatureCollection") {
    const features = (json as { features?: unknown }).features;
    if (!Array.isArray(features))
      throw new InputError('a FeatureCollection without a "features" list', { file });
    return { format: "geojson", features: each(features as Shape[]), warnings: [] };
  }
  if (type === "Feature")
    return { format: "geojson", features: each([json as Shape]), warnings: [] };
  throw new InputError(
    `expected GeoJSON (a FeatureCollection) or TopoJSON (a Topology); the file's "type" is ${JSON.stringify(type ?? null)}`,
    { file },
  );
}

/** Every feature of every object of a topology (a county file has one; us-atlas has three). */
function topologyFeatures(file: string, json: unknown): Shape[] {
  const topology = json as Topology;
  if (!topology.objects || typeof topology.objects !== "object" || !Array.isArray(topology.arcs)) {
    throw new InputError('a Topology needs "objects" and "arcs"', { file });
  }
  const features: Shape[] = [];
  try {
    for (const object of Object.values(topology.objects)) {
      const result = topoFeature(topology, object) as Feature | FeatureCollection;
      if (result.type === "FeatureCollection") features.push(...(result.features as Shape[]));
      else features.push(result as Shape);
    }
  } catch (error) {
    throw new InputError(`the topology could not be read (${(error as Error).message})`, { file });
  }
  return features;
}

/**
 * The GEOID a feature carries and where it was found ("id" for the feature id): in
 * `idProperty`, else the first known property, else the feature id.
 */
export function featureGeoid(
  shape: Shape,
  idProperty?: string,
): { geoid: string; from: string } | null {
  const properties = (shape.properties ?? {}) as Record<string, unknown>;
  const names = idProperty ? [idProperty] : [...ID_PROPERTIES, "id"];
  for (const name of names) {
    const value = name === "id" && !(name in properties) ? shape.id : properties[name];
    if (typeof value !== "string" && typeof value !== "number") continue;
    const geoid = String(value).trim().replace(GEO_ID_PREFIX, "");
    if (geoid) return { geoid, from: name };
  }
  return null;
}

/** Planar signed area of a ring in longitude/latitude, > 0 when counter-clockwise. */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as Position;
    const b = ring[i] as Position;
    sum += ((a[0] as number) - (b[0] as number)) * ((a[1] as number) + (b[1] as number));
  }
  return sum / 2;
}

/**
 * Rings wound as d3-geo reads them on the sphere: outer rings clockwise, holes
 * counter-clockwise. GeoJSON written to RFC 7946 winds the other way round, and d3 would read
 * such a tract as the whole globe minus the tract.
 */
function rewind(polygon: Position[][]): Position[][] {
  return polygon.map((ring, i) => {
    const clockwise = signedArea(ring) < 0;
    return (i === 0) === clockwise ? ring : [...ring].reverse();
  });
}

function polygonsOf(geometry: Geometry): Position[][][] | null {
  if (geometry.type === "Polygon") return [geometry.coordinates];
  if (geometry.type === "MultiPolygon") return geometry.coordinates;
  return null;
}

export interface BoundaryParse {
  format: BoundaryFormat;
  featuresRead: number;
  /** geoid → the shape, rewound; only features matched to an imported geography. */
  matched: Map<string, MultiPolygon>;
  unmatched: string[];
  /** Where the matched features' GEOIDs were found (property names, "id" for the feature id). */
  matchedBy: string[];
  rejections: RejectionLog;
  warnings: string[];
  /** Properties of the first feature, to say what the file offers when nothing matched. */
  properties: string[];
}

/** Reads the file and matches its features to the geoids of `known`. */
export async function parseBoundaryFile(
  file: string,
  known: ReadonlySet<string>,
  idProperty?: string,
): Promise<BoundaryParse> {
  const read = await readBoundaryFile(file);
  const rejections = new RejectionLog();
  const matched = new Map<string, MultiPolygon>();
  const firstFeature = new Map<string, number>();
  const unmatched: string[] = [];
  const matchedBy = new Set<string>();
  let number = 0;
  let properties: string[] = [];
  for await (const shape of read.features) {
    number++;
    if (number === 1) properties = Object.keys(shape.properties ?? {});
    const found = featureGeoid(shape, idProperty);
    if (!found) {
      rejections.reject(
        "no GEOID",
        number,
        idProperty ?? ID_PROPERTIES.join("/"),
        idProperty ? `a value in the property "${idProperty}"` : "a GEOID property or a feature id",
      );
      continue;
    }
    const { geoid } = found;
    const polygons = shape.geometry ? polygonsOf(shape.geometry) : null;
    if (!polygons) {
      rejections.reject("not a polygon", number, "geometry", "a Polygon or MultiPolygon");
      continue;
    }
    for (const position of polygons.flat(2)) {
      const [x, y] = position as [number, number];
      if (!(Math.abs(x) <= 180 && Math.abs(y) <= 90)) {
        throw new InputError(
          `feature ${number} (${geoid}) has the point ${x}, ${y}, which is not longitude/latitude; export the file in NAD83 or WGS84 (EPSG:4269 or EPSG:4326), as the Census Bureau's files are`,
          { file },
        );
      }
    }
    const earlier = firstFeature.get(geoid);
    if (earlier !== undefined) {
      rejections.reject(`duplicate GEOID (first in feature ${earlier})`, number, "GEOID");
      continue;
    }
    firstFeature.set(geoid, number);
    if (!known.has(geoid)) {
      unmatched.push(geoid);
      continue;
    }
    matched.set(geoid, { type: "MultiPolygon", coordinates: polygons.map(rewind) });
    matchedBy.add(found.from);
  }
  return {
    format: read.format,
    featuresRead: number,
    matched,
    unmatched,
    matchedBy: [...matchedBy],
    rejections,
    warnings: read.warnings,
    properties,
  };
}

export interface SimplifiedTopology {
  topology: Topology;
  pointsRead: number;
  pointsKept: number;
}

/**
 * One topology of the shapes (object "areas", ids = geoids), simplified to about
 * POINTS_PER_AREA points per area and quantized.
 */
export function simplifiedTopology(shapes: ReadonlyMap<string, MultiPolygon>): SimplifiedTopology {
  const collection: FeatureCollection<MultiPolygon> = {
    type: "FeatureCollection",
    features: [...shapes].map(([geoid, geometry]) => ({
      type: "Feature",
      id: geoid,
      properties: {},
      geometry,
    })),
  };
  const topology = toTopology({ areas: collection }, QUANTIZATION);
  const pointsRead = topology.arcs.reduce((n, arc) => n + arc.length, 0);
  const wanted = Math.max(POINTS_PER_AREA * shapes.size, 1000);
  const presimplified = presimplify(topology as Topology<Objects>);
  const minWeight =
    pointsRead > wanted ? quantile(presimplified as Topology, 1 - wanted / pointsRead) : 0;
  const simplified = simplify(presimplified, minWeight) as Topology<Objects>;
  // Keep x and y only (presimplify's weights are not needed once simplified), then quantize
  // again: delta-encoded integers are a third of the size of the coordinates as text.
  simplified.arcs = simplified.arcs.map((arc) => arc.map((point) => [point[0], point[1]]) as never);
  const pointsKept = simplified.arcs.reduce((n, arc) => n + arc.length, 0);
  return { topology: quantize(simplified, QUANTIZATION), pointsRead, pointsKept };
}

export interface BoundaryImportOptions extends ImportBy {
  file: string;
  /** Match features by this property (or "id" for the feature id) instead of the usual ones. */
  idProperty?: string;
  replace?: boolean;
}

const list = (ids: readonly string[]) =>
  ids.slice(0, EXAMPLES).join(", ") + (ids.length > EXAMPLES ? ", …" : "");

export async function importBoundaries(
  db: Db,
  options: BoundaryImportOptions,
): Promise<ImportReport> {
  const { file } = options;
  const replace = options.replace ?? false;
  const idProperty = options.idProperty?.trim() || undefined;
  const sha256 = await sha256File(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read the file (${error.code ?? error.message})`, { file });
  });
  await checkDuplicate(db, "boundaries", sha256, file, replace);
  const geographies = await listGeographies(db);
  const kindOf = new Map(geographies.map((g) => [g.geoid, g.kind]));
  const parsed = await parseBoundaryFile(file, new Set(kindOf.keys()), idProperty);
  if (parsed.featuresRead === 0) throw new InputError("the file has no features", { file });
  if (parsed.matched.size === 0) {
    const reason = parsed.unmatched.length
      ? `none of its ${parsed.featuresRead} features matches an imported census geography (their ids: ${list(parsed.unmatched)})`
      : `none of its ${parsed.featuresRead} features has a GEOID ${idProperty ? `in the property "${idProperty}"` : `(looked for ${ID_PROPERTIES.join(", ")} and the feature id)`}`;
    const offer = parsed.properties.length
      ? `; the features' properties are ${parsed.properties.join(", ")}: choose the one holding the GEOID (--id-property)`
      : "";
    const hint = kindOf.size === 0 ? "; import the census tables first" : "";
    throw new InputError(`${reason}${offer}${hint}. Nothing was stored`, { file });
  }

  const { topology, pointsRead, pointsKept } = simplifiedTopology(parsed.matched);
  const text = JSON.stringify(topology);
  // Census areas of the kinds this file covers that still have no shape after it.
  const kinds = new Set([...parsed.matched.keys()].map((geoid) => kindOf.get(geoid)));
  const shaped = await geoidsWithBoundaries(db);
  const missing = geographies
    .filter((g) => kinds.has(g.kind) && !parsed.matched.has(g.geoid) && !shaped.has(g.geoid))
    .map((g) => g.geoid);
  const byKind: Record<string, number> = {};
  for (const geoid of parsed.matched.keys()) {
    const kind = kindOf.get(geoid) ?? "unknown";
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  const warnings = [...parsed.warnings];
  if (parsed.unmatched.length) {
    warnings.push(
      `${parsed.unmatched.length} of ${parsed.featuresRead} features match no imported census geography and were not kept (${list(parsed.unmatched)})`,
    );
  }
  if (missing.length) {
    warnings.push(
      `${missing.length} imported census areas of the same kind have no shape yet (${list(missing)})`,
    );
  }
  return storeImport(
    db,
    {
      kind: "boundaries",
      fileName: path.basename(file),
      sha256,
      asOf: null,
      rowsRead: parsed.featuresRead,
      rowsAccepted: parsed.matched.size,
      rowsExcluded: parsed.unmatched.length,
      rowsRejected: parsed.rejections.total,
      excluded: parsed.unmatched.length
        ? { "no such census geography": parsed.unmatched.length }
        : {},
      rejected: parsed.rejections.reasons,
      unknownCategories: {},
      details: {
        format: parsed.format,
        matchedBy: parsed.matchedBy.join(", "),
        matched: parsed.matched.size,
        matchedByKind: byKind,
        unmatchedInFile: parsed.unmatched.length,
        unmatchedExamples: parsed.unmatched.slice(0, EXAMPLES),
        censusAreasWithoutShape: missing.length,
        withoutShapeExamples: missing.slice(0, EXAMPLES),
        pointsRead,
        pointsKept,
        storedBytes: Buffer.byteLength(text),
      },
      warnings,
    },
    {
      file,
      replace,
      by: options.by,
      deleteRows: deleteBoundaries,
      storeRows: (trx, importId) =>
        insertBoundaries(trx, importId, text, [...parsed.matched.keys()]),
    },
  );
}
