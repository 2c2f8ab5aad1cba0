// Draws a choropleth as SVG on the server: no tiles, no script, no external request, nothing
// the Content-Security-Policy would block (presentation attributes only, no <style>).
//
// One <path> per area, with role="img", its name and value as aria-label and as <title> (the
// hover text); the page's data table beside the map is its accessible version. Classes are
// quantiles (class-breaks.ts), coloured and patterned as palette.ts says. An area whose value
// is withheld (small counts) is hatched and labelled "suppressed", never coloured. Priority
// areas are outlined. The projection is an Albers equal-area conic (areas drawn in proportion)
// with standard parallels at 1/6 and 5/6 of the map's latitude span (Snyder 1987, "Map
// projections: a working manual", USGS Prof. Paper 1395, p. 99), fitted to the extent.
import { geoConicEqualArea } from "d3-geo";
import type { Geometry, Position } from "geojson";
import { classOf, quantileBreaks } from "./class-breaks.ts";
import { type ClassStyle, classStyles, MAX_CLASSES, NO_DATA, SUPPRESSED_HATCH } from "./palette.ts";

export interface MapArea {
  geoid: string;
  name: string;
  /** The value classed and coloured; null when unknown or withheld. */
  value: number | null;
  /** The value as shown in the label ("98 per 1,000", "<10"). */
  display: string;
  /** True when the value is withheld to protect small counts: hatched, never coloured. */
  suppressed: boolean;
  priority: boolean;
  geometry: Geometry;
}

export interface MapSpec {
  /** Prefix of the SVG's ids (unique on a page). */
  id: string;
  title: string;
  /** One sentence under the title: what is shown and how it is classed. */
  description: string;
  areas: readonly MapArea[];
  /** Formats a class bound for the legend. */
  format: (value: number) => string;
  /** The legend's words for a suppressed area, e.g. "Suppressed (fewer than 10)". */
  suppressedLabel: string;
  width?: number;
}

export interface MapClass {
  from: number;
  to: number;
  label: string;
  style: ClassStyle;
  areas: number;
}

export interface RenderedMap {
  svg: string;
  classes: MapClass[];
  /** The class breaks (upper bounds of every class but the last). */
  breaks: number[];
}

const LEGEND_WIDTH = 250;
/** Tenths of a pixel: finer than any screen or print needs at this size. */
const PATH_SCALE = 10;
const PADDING = 8;
const FONT = "DejaVu Sans, Verdana, Arial, sans-serif";

const xml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );

/** A whole number of tenths as path data: 3 as ".3", -3 as "-.3", 20 as "2", 25 as "2.5". */
function tenths(n: number): string {
  const size = n < 0 ? -n : n;
  const whole = Math.floor(size / 10);
  const fraction = size % 10;
  const text =
    fraction === 0 ? String(whole) : whole === 0 ? `.${fraction}` : `${whole}.${fraction}`;
  return n < 0 ? `-${text}` : text;
}

/** The rings of a polygon or multipolygon (other geometries draw nothing). */
function rings(geometry: Geometry): Position[][] {
  if (geometry.type === "Polygon") return geometry.coordinates;
  if (geometry.type === "MultiPolygon") return geometry.coordinates.flat();
  return [];
}

/**
 * Writes SVG path data with relative coordinates in tenths of a pixel, skipping segments that
 * round to nothing: about half the size of absolute path strings, which matters with thousands
 * of areas on one page. Positions are kept in whole tenths, so rounding never drifts.
 */
class CompactPath {
  private parts: string[] = [];
  private x = 0;
  private y = 0;
  private startX = 0;
  private startY = 0;

  private step(command: string, x: number, y: number): boolean {
    const rx = Math.round(x * PATH_SCALE);
    const ry = Math.round(y * PATH_SCALE);
    const dx = rx - this.x;
    const dy = ry - this.y;
    if (command === "l" && dx === 0 && dy === 0) return false;
    this.x = rx;
    this.y = ry;
    const second = tenths(dy);
    this.parts.push(`${command}${tenths(dx)}${dy < 0 ? "" : ","}${second}`);
    return true;
  }

  moveTo(x: number, y: number): void {
    this.step("m", x, y);
    this.startX = this.x;
    this.startY = this.y;
  }

  lineTo(x: number, y: number): void {
    this.step("l", x, y);
  }

  /** "z" returns the current point to the ring's start, where the next "m" counts from. */
  closePath(): void {
    this.parts.push("z");
    this.x = this.startX;
    this.y = this.startY;
  }

  /** The path data so far, and a fresh start for the next area. */
  take(): string {
    const data = this.parts.join("");
    this.parts = [];
    this.x = 0;
    this.y = 0;
    return data;
  }
}

function fill(spec: MapSpec, area: MapArea, breaks: number[], styles: ClassStyle[]): string {
  if (area.suppressed) return `url(#${spec.id}-suppressed)`;
  if (area.value === null) return NO_DATA;
  const index = classOf(area.value, breaks);
  const style = styles[index] as ClassStyle;
  return style.dots ? `url(#${spec.id}-class-${index})` : style.colour;
}

function patterns(spec: MapSpec, styles: ClassStyle[]): string {
  const out = styles.map((style, index) =>
    style.dots
      ? `<pattern id="${spec.id}-class-${index}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="${style.colour}"/><circle cx="3" cy="3" r="1.2" fill="${style.dots}"/></pattern>`
      : "",
  );
  out.push(
    `<pattern id="${spec.id}-suppressed" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="${SUPPRESSED_HATCH.background}"/><line x1="0" y1="0" x2="0" y2="6" stroke="${SUPPRESSED_HATCH.lines}" stroke-width="2"/></pattern>`,
  );
  return out.join("");
}

/** Draws the map. Areas without a geometry are the caller's to report; all given are drawn. */
export function renderMapSvg(spec: MapSpec): RenderedMap {
  const width = spec.width ?? 900;
  const mapWidth = width - LEGEND_WIDTH;
  // Rings in longitude/latitude, then projected once at scale 1; scaling and centring in the
  // box is a linear step applied while writing the paths. No clipping or adaptive resampling:
  // at a county's or a state's size neither changes a pixel, and both cost most of the time.
  let [west, south, east, north] = [180, 90, -180, -90];
  for (const area of spec.areas) {
    for (const ring of rings(area.geometry)) {
      for (const [x = 0, y = 0] of ring) {
        if (x < west) west = x;
        if (x > east) east = x;
        if (y < south) south = y;
        if (y > north) north = y;
      }
    }
  }
  const span = north - south;
  const projection = geoConicEqualArea()
    .rotate([-(west + east) / 2, 0])
    .parallels([south + span / 6, north - span / 6])
    .scale(1)
    .translate([0, 0]);
  // Each area's rings projected into one flat array (x, y, x, y…) with the rings' lengths:
  // thousands of small arrays would keep the garbage collector busier than the drawing.
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const projected = spec.areas.map((area) => {
    const list = rings(area.geometry);
    const points = new Float64Array(2 * list.reduce((n, ring) => n + ring.length, 0));
    let at = 0;
    for (const ring of list) {
      for (const position of ring) {
        const [x, y] = projection(position as [number, number]) as [number, number];
        points[at++] = x;
        points[at++] = y;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
    return { points, lengths: list.map((ring) => ring.length) };
  });
  const innerWidth = mapWidth - 2 * PADDING;
  let mapHeight = 300;
  let scale = 1;
  let offset: [number, number] = [0, 0];
  if (Number.isFinite(x0)) {
    scale = innerWidth / Math.max(x1 - x0, 1e-12);
    const height = Math.min(Math.max((y1 - y0) * scale, 240), 900);
    scale = Math.min(scale, height / Math.max(y1 - y0, 1e-12));
    mapHeight = Math.ceil(height) + 2 * PADDING;
    offset = [
      PADDING + (innerWidth - scale * (x1 - x0)) / 2 - scale * x0,
      PADDING + (mapHeight - 2 * PADDING - scale * (y1 - y0)) / 2 - scale * y0,
    ];
  }
  const context = new CompactPath();
  const pathData = (index: number) => {
    const { points, lengths } = projected[index] as { points: Float64Array; lengths: number[] };
    let at = 0;
    for (const length of lengths) {
      // GeoJSON rings repeat their first point at the end; "z" closes the path instead.
      for (let i = 0; i < length; i++, at += 2) {
        const sx = offset[0] + scale * (points[at] as number);
        const sy = offset[1] + scale * (points[at + 1] as number);
        if (i === 0) context.moveTo(sx, sy);
        else if (i < length - 1) context.lineTo(sx, sy);
      }
      context.closePath();
    }
    return context.take();
  };

  const values = spec.areas
    .filter((a) => !a.suppressed && a.value !== null)
    .map((a) => a.value as number);
  const breaks = quantileBreaks(values, MAX_CLASSES);
  const styles = values.length ? classStyles(breaks.length + 1) : [];
  const sorted = [...values].sort((a, b) => a - b);
  const classes: MapClass[] = styles.map((style, index) => {
    const from = index === 0 ? (sorted[0] as number) : (breaks[index - 1] as number);
    const to =
      index === breaks.length ? (sorted[sorted.length - 1] as number) : (breaks[index] as number);
    const count = values.filter((v) => classOf(v, breaks) === index).length;
    const label =
      index === 0
        ? `${spec.format(from)} to ${spec.format(to)}`
        : `over ${spec.format(from)} to ${spec.format(to)}`;
    return { from, to, label, style, areas: count };
  });

  const areaPaths = spec.areas.map((area, index) => {
    const label = xml(`${area.name}: ${area.display}${area.priority ? " (priority area)" : ""}`);
    const d = pathData(index);
    return `<path d="${d}" fill="${fill(spec, area, breaks, styles)}" role="img" aria-label="${label}"><title>${label}</title></path>`;
  });
  const outlines = spec.areas.flatMap((a, index) =>
    a.priority ? [`<path d="${pathData(index)}"/>`] : [],
  );

  // Legend: one swatch per class, then suppressed, no data and priority when present.
  const legend: string[] = [];
  let y = PADDING + 14;
  const x = mapWidth + 12;
  const heading = `<text x="${x}" y="${y}" font-size="13" font-weight="bold" aria-hidden="true">Legend</text>`;
  y += 10;
  const swatch = (fillValue: string, text: string, stroke = "#4d4d4d", strokeWidth = 1) => {
    legend.push(
      `<g role="listitem"><rect x="${x}" y="${y}" width="24" height="16" fill="${fillValue}" stroke="${stroke}" stroke-width="${strokeWidth}"/><text x="${x + 32}" y="${y + 12.5}" font-size="12">${xml(text)}</text></g>`,
    );
    y += 24;
  };
  classes.forEach((c, index) => {
    swatch(
      c.style.dots ? `url(#${spec.id}-class-${index})` : c.style.colour,
      `${c.label} (${c.areas} ${c.areas === 1 ? "area" : "areas"})`,
    );
  });
  const suppressedCount = spec.areas.filter((a) => a.suppressed).length;
  if (suppressedCount)
    swatch(`url(#${spec.id}-suppressed)`, `${spec.suppressedLabel} (${suppressedCount})`);
  const noData = spec.areas.filter((a) => !a.suppressed && a.value === null).length;
  if (noData) swatch(NO_DATA, `No value (${noData})`);
  if (outlines.length) swatch("#ffffff", `Priority area (${outlines.length})`, "#000000", 2.5);
  const height = Math.max(mapHeight, y + PADDING);

  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-labelledby="${spec.id}-title ${spec.id}-desc" font-family="${FONT}" class="map">`,
    `<title id="${spec.id}-title">${xml(spec.title)}</title>`,
    `<desc id="${spec.id}-desc">${xml(spec.description)}</desc>`,
    `<defs>${patterns(spec, styles)}</defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<g stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">${areaPaths.join("")}</g>`,
    `<g fill="none" stroke="#000000" stroke-width="2.5" stroke-linejoin="round" aria-hidden="true">${outlines.join("")}</g>`,
    heading,
    `<g role="list" aria-label="Legend">${legend.join("")}</g>`,
    "</svg>",
  ].join("\n");
  return { svg, classes, breaks };
}
