// Map benchmark: a 2,000-tract county's boundaries imported and one choropleth built from them,
// the server's work for a map on /staff/gaps (read the shapes from the database, draw the SVG).
// Target (DESIGN.md): a 2,000-area map page under 1 MB and 300 ms.
//
// The county is generated (seeded): a 50 × 40 grid of tracts whose corners are moved at random
// and whose edges carry 24 points each, shared by the neighbours on both sides, so the file has
// the size and the topology of a TIGER/Line tract file (about 100 points per tract). It is written
// as GeoJSON, imported through importBoundaries (matched to 2,000 imported census tracts,
// simplified), then the map is built cold (the topology parsed) and warm, RUNS times.
// Usage: npm run bench:map [-- --runs 20]
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { ROOT_DIR } from "../../server/config.ts";
import { migrateLatest, openDb } from "../../server/db.ts";
import { importBoundaries } from "../../server/imports/boundaries.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { mulberry32 } from "../../server/imports/demo-data.ts";
import { areaShapes } from "../../server/maps/area-shapes.ts";
import { type MapArea, renderMapSvg } from "../../server/maps/render-map.ts";
import { commandLine } from "../../server/queries/audit-log.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
const RUNS = Number(values.runs);
const COLUMNS = 50;
const ROWS = 40;
const EDGE_POINTS = 24;
const OUT = path.join(ROOT_DIR, "bench", "out", "map");
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const random = mulberry32(19);
type Point = [number, number];
const cell: Point = [0.012, 0.009];
const corner = (r: number, c: number): Point => cornerGrid[r]?.[c] as Point;
const cornerGrid: Point[][] = Array.from({ length: ROWS + 1 }, (_, r) =>
  Array.from({ length: COLUMNS + 1 }, (_, c): Point => {
    const inner = r > 0 && r < ROWS && c > 0 && c < COLUMNS;
    const j = (size: number) => (inner ? (random() - 0.5) * 0.4 * size : 0);
    return [-118.5 + c * cell[0] + j(cell[0]), 34.4 - r * cell[1] + j(cell[1])];
  }),
);
/** Points along an edge, wiggled (except on the county's outline), the same for both sides. */
const edges = new Map<string, Point[]>();
function edge(key: string, a: Point, b: Point, inner: boolean): Point[] {
  let points = edges.get(key);
  if (!points) {
    points = Array.from({ length: EDGE_POINTS }, (_, i): Point => {
      const t = (i + 1) / (EDGE_POINTS + 1);
      const wiggle = inner ? (random() - 0.5) * 0.00025 : 0;
      return [a[0] + (b[0] - a[0]) * t + wiggle, a[1] + (b[1] - a[1]) * t + wiggle];
    });
    edges.set(key, points);
  }
  return points;
}
const geoid = (r: number, c: number) => `06037${String(r * COLUMNS + c + 100001).padStart(6, "0")}`;
const features = [];
for (let r = 0; r < ROWS; r++) {
  for (let c = 0; c < COLUMNS; c++) {
    const [nw, ne, se, sw] = [
      corner(r, c),
      corner(r, c + 1),
      corner(r + 1, c + 1),
      corner(r + 1, c),
    ];
    const ring: Point[] = [
      nw,
      ...edge(`h${r},${c}`, nw, ne, r > 0),
      ne,
      ...edge(`v${r},${c + 1}`, ne, se, c + 1 < COLUMNS),
      se,
      ...[...edge(`h${r + 1},${c}`, sw, se, r + 1 < ROWS)].reverse(),
      sw,
      ...[...edge(`v${r},${c}`, nw, sw, c > 0)].reverse(),
      nw,
    ];
    features.push({
      type: "Feature",
      properties: { GEOID: geoid(r, c), NAMELSAD: `Census Tract ${r * COLUMNS + c + 1}` },
      geometry: { type: "Polygon", coordinates: [ring] },
    });
  }
}
const boundaryFile = path.join(OUT, "tracts.geojson");
writeFileSync(boundaryFile, JSON.stringify({ type: "FeatureCollection", features }));
const censusFile = path.join(OUT, "census.csv");
const ids = features.map((f) => f.properties.GEOID);
writeFileSync(
  censusFile,
  [
    "geoid,name,kind,dimension,category,count,moe",
    ...ids.map((g, i) => `${g},Census Tract ${i + 1},tract,age,Under 5 years,${200 + (i % 97)},40`),
  ].join("\n"),
);

const db = openDb({ client: "sqlite3", filename: path.join(OUT, "map.sqlite") });
await migrateLatest(db);
await importCommunity(db, { by: commandLine(), file: censusFile });
let started = performance.now();
const report = await importBoundaries(db, { by: commandLine(), file: boundaryFile });
const importMs = performance.now() - started;

const areasOf = (shapes: Map<string, import("geojson").Geometry>): MapArea[] =>
  ids.map((g, i) => {
    const suppressed = i % 53 === 0;
    const value = suppressed ? null : 20 + ((i * 37) % 160);
    return {
      geoid: g,
      name: `Census Tract ${i + 1} (${g})`,
      value,
      display: suppressed
        ? "suppressed (active users <10)"
        : `${value} active users per 1,000 residents`,
      suppressed,
      priority: i % 41 === 0,
      geometry: shapes.get(g) as import("geojson").Geometry,
    };
  });

async function buildMap(): Promise<{ ms: number; svg: string }> {
  const start = performance.now();
  const { shapes } = await areaShapes(db, ids);
  const { svg } = renderMapSvg({
    id: "map-penetration",
    title: "Active users per 1,000 residents",
    description: "Quintiles.",
    areas: areasOf(shapes),
    format: (v) => v.toFixed(1),
    suppressedLabel: "Under 10: withheld",
  });
  return { ms: performance.now() - start, svg };
}

const cold = await buildMap();
const warm: number[] = [];
for (let i = 0; i < RUNS; i++) warm.push((await buildMap()).ms);
warm.sort((a, b) => a - b);
const median = warm[Math.floor(warm.length / 2)] as number;
const p95 = warm[Math.min(warm.length - 1, Math.ceil(warm.length * 0.95) - 1)] as number;
const svgBytes = Buffer.byteLength(cold.svg);
const gzBytes = gzipSync(cold.svg).length;
started = performance.now();
await db.destroy();

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const rows: [string, string, string][] = [
  ["areas drawn", String(cold.svg.match(/role="img"/g)?.length ?? 0), "2,000"],
  ["boundary file (GeoJSON)", kb(JSON.stringify({ features }).length), ""],
  ["points read → kept", `${report.details.pointsRead} → ${report.details.pointsKept}`, ""],
  ["topology stored", kb(Number(report.details.storedBytes)), ""],
  ["import (read, match, topology, simplify, store)", `${importMs.toFixed(0)} ms`, ""],
  ["map built, cold (topology parsed)", `${cold.ms.toFixed(0)} ms`, "< 300 ms"],
  [
    `map built, warm, median / p95 of ${RUNS}`,
    `${median.toFixed(0)} / ${p95.toFixed(0)} ms`,
    "< 300 ms",
  ],
  ["SVG size / gzip", `${kb(svgBytes)} / ${kb(gzBytes)}`, "page < 1 MB"],
];
console.log("| measure | value | target |\n|---|---:|---|");
for (const [measure, value, target] of rows) console.log(`| ${measure} | ${value} | ${target} |`);
const failed = cold.ms > 300 || median > 300 || svgBytes > 1_000_000;
process.exit(failed ? 1 : 0);
