// Boundaries for the demo county's 40 tracts, so the demo's maps have shapes to draw. The county
// is fictional, so its shapes are too: a generated 8 × 5 grid of cells whose inner corners and
// edge midpoints are moved at random (seeded, so the file is the same every time), written as
// GeoJSON with TIGER/Line's tract properties (GEOID, NAMELSAD). Each row of the grid holds one
// branch service area's eight tracts (north to south: Northgate, Westside, Central, Eastside,
// Southport), so the branch areas, drawn by merging their tracts, are bands across the county.
// `random` is the demo's seeded generator.
/** Longitude and latitude of the grid's north-west corner, and a cell's size in degrees. */
const ORIGIN = [-89.62, 40.05] as const;
const CELL = [0.055, 0.042] as const;
const COLUMNS = 8;
const ROWS = 5;
/** Rows of the grid, north to south, by branch area code. */
const ROW_OF_AREA: Record<string, number> = { NTH: 0, WST: 1, CTR: 2, EST: 3, STH: 4 };

type Point = [number, number];

const round = (v: number) => Math.round(v * 1e5) / 1e5;

/** GeoJSON text of the tracts' shapes; `tracts` in the demo's order, each with its area code. */
export function demoBoundaries(
  tracts: readonly { geoid: string; name: string; area: string }[],
  random: () => number,
): string {
  const jitter = (size: number) => (random() - 0.5) * 0.5 * size;
  // Corners: inner ones moved, the county's outline kept straight.
  const corner: Point[][] = [];
  for (let r = 0; r <= ROWS; r++) {
    corner.push([]);
    for (let c = 0; c <= COLUMNS; c++) {
      const inner = r > 0 && r < ROWS && c > 0 && c < COLUMNS;
      corner[r]?.push([
        ORIGIN[0] + c * CELL[0] + (inner ? jitter(CELL[0]) : 0),
        ORIGIN[1] - r * CELL[1] + (inner ? jitter(CELL[1]) : 0),
      ]);
    }
  }
  const at = (r: number, c: number) => corner[r]?.[c] as Point;
  // Edge midpoints, shared by the two cells on either side of an inner edge.
  const midpoint = new Map<string, Point>();
  const mid = (a: Point, b: Point, key: string, inner: boolean): Point => {
    let point = midpoint.get(key);
    if (!point) {
      point = [
        (a[0] + b[0]) / 2 + (inner ? jitter(CELL[0] * 0.6) : 0),
        (a[1] + b[1]) / 2 + (inner ? jitter(CELL[1] * 0.6) : 0),
      ];
      midpoint.set(key, point);
    }
    return point;
  };
  const seen = new Map<string, number>();
  const features = tracts.map((tract) => {
    const r = ROW_OF_AREA[tract.area] ?? 0;
    const c = seen.get(tract.area) ?? 0;
    seen.set(tract.area, c + 1);
    const nw = at(r, c);
    const ne = at(r, c + 1);
    const se = at(r + 1, c + 1);
    const sw = at(r + 1, c);
    // Clockwise from the north-west corner.
    const ring: Point[] = [
      nw,
      mid(nw, ne, `h${r},${c}`, r > 0),
      ne,
      mid(ne, se, `v${r},${c + 1}`, c + 1 < COLUMNS),
      se,
      mid(sw, se, `h${r + 1},${c}`, r + 1 < ROWS),
      sw,
      mid(nw, sw, `v${r},${c}`, c > 0),
      nw,
    ];
    return {
      type: "Feature",
      properties: { GEOID: tract.geoid, NAMELSAD: tract.name.split(";")[0] },
      geometry: { type: "Polygon", coordinates: [ring.map(([x, y]) => [round(x), round(y)])] },
    };
  });
  return `${JSON.stringify({ type: "FeatureCollection", features })}\n`;
}
