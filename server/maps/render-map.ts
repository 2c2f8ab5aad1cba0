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
import { geoConicEqualArea, geoPath } from "d3-geo";
import type { Feature, FeatureCollection, Geometry } from "geojson";
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
const PADDING = 8;
const FONT = "DejaVu Sans, Verdana, Arial, sans-serif";

const xml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );

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
  const collection: FeatureCollection = {
    type: "FeatureCollection",
    features: spec.areas.map(
      (a): Feature => ({ type: "Feature", id: a.geoid, properties: {}, geometry: a.geometry }),
    ),
  };
  const projection = geoConicEqualArea();
  const path = geoPath(projection).digits(1);
  if (collection.features.length) {
    const [[west, south], [east, north]] = geoPath().bounds(collection);
    const span = north - south;
    projection
      .rotate([-(west + east) / 2, 0])
      .parallels([south + span / 6, north - span / 6])
      .fitWidth(mapWidth - 2 * PADDING, collection);
  }
  let mapHeight = 300;
  if (collection.features.length) {
    const [[, top], [, bottom]] = path.bounds(collection);
    mapHeight = Math.min(Math.max(Math.ceil(bottom - top), 240), 900) + 2 * PADDING;
    projection.fitExtent(
      [
        [PADDING, PADDING],
        [mapWidth - PADDING, mapHeight - PADDING],
      ],
      collection,
    );
  }

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

  const areaPaths = spec.areas.map((area) => {
    const label = xml(`${area.name}: ${area.display}${area.priority ? " (priority area)" : ""}`);
    const d = path(area.geometry) ?? "";
    return `<path d="${d}" fill="${fill(spec, area, breaks, styles)}" role="img" aria-label="${label}" data-geoid="${xml(area.geoid)}"><title>${label}</title></path>`;
  });
  const outlines = spec.areas
    .filter((a) => a.priority)
    .map((a) => `<path d="${path(a.geometry) ?? ""}"/>`);

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
