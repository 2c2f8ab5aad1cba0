// The usage-gap maps: active users per 1,000 residents and estimated non-users by area, drawn
// from the latest (presented, already suppressed) usage-gap report and the imported
// boundaries, with the area table as CSV. Suppressed areas come from the presenter: an area
// whose counts are withheld has no value here, so it is hatched, never coloured.
import { stringify } from "csv-stringify/sync";
import type { PresentedArea } from "../analysis/present-usage-gaps.ts";
import { withheldAreasLabel } from "../analysis/suppressed-text.ts";
import { csvCell } from "../csv-safe.ts";
import type { Db } from "../db.ts";
import { areaShapes, MEMBER_WEIGHT_THRESHOLD } from "../maps/area-shapes.ts";
import { classOf } from "../maps/class-breaks.ts";
import { type MapArea, type RenderedMap, renderMapSvg } from "../maps/render-map.ts";
import { shownCount } from "./gaps-page.ts";
import type { UsageGapReport } from "./usage-gaps.ts";

export const GAP_MAP_MEASURES = ["penetration", "non-users"] as const;
export type GapMapMeasure = (typeof GAP_MAP_MEASURES)[number];

export const isGapMapMeasure = (value: string): value is GapMapMeasure =>
  (GAP_MAP_MEASURES as readonly string[]).includes(value);

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
/** A count for the CSV: the number itself, or the presenter's marker ("<10", "suppressed"). */
const csvCount = (value: number | string) =>
  typeof value === "number" ? Math.round(value) : value;

const MEASURES: Record<
  GapMapMeasure,
  {
    title: string;
    value: (a: PresentedArea) => number | null;
    display: (value: number) => string;
    format: (value: number) => string;
  }
> = {
  penetration: {
    title: "Active users per 1,000 residents",
    value: (a) => a.penetrationPer1000,
    display: (v) => `${oneDecimal.format(v)} active users per 1,000 residents`,
    format: (v) => oneDecimal.format(v),
  },
  "non-users": {
    title: "Estimated non-users (residents without an active card)",
    value: (a) => a.nonUsers,
    display: (v) => `${integer.format(v)} estimated non-users`,
    format: (v) => integer.format(v),
  },
};

export interface GapMap {
  measure: GapMapMeasure;
  title: string;
  rendered: RenderedMap;
  /** Areas of the analysis drawn / without any shape. */
  drawn: number;
  withoutShape: string[];
  /** Areas drawn as the union of their crosswalk members. */
  merged: number;
  /** Sentences under the map: classes, suppression, shapes. */
  notes: string[];
}

/** The map of one measure, or null when no area of the report has a shape. */
export async function gapMap(
  db: Db,
  report: UsageGapReport,
  measure: GapMapMeasure,
): Promise<GapMap | null> {
  const doc = report.document;
  const { shapes, merged } = await areaShapes(
    db,
    doc.areas.map((a) => a.geoid),
    report.options.crosswalkImportId,
  );
  if (shapes.size === 0) return null;
  const spec = MEASURES[measure];
  const below = doc.suppressBelow;
  const areas: MapArea[] = [];
  const withoutShape: string[] = [];
  for (const a of doc.areas) {
    const geometry = shapes.get(a.geoid);
    if (!geometry) {
      withoutShape.push(a.geoid);
      continue;
    }
    const value = a.suppressed ? null : spec.value(a);
    const name = a.name === a.geoid ? a.geoid : `${a.name} (${a.geoid})`;
    areas.push({
      geoid: a.geoid,
      name,
      value,
      display: a.suppressed
        ? `suppressed (residents ${shownCount(a.population)}, active users ${shownCount(a.users)})`
        : value === null
          ? "no value"
          : spec.display(value),
      suppressed: a.suppressed,
      priority: a.priority && !a.suppressed,
      geometry,
    });
  }
  const rendered = renderMapSvg({
    id: `map-${measure}`,
    title: `${spec.title}, by area, as of ${report.asOf}`,
    description: `Areas in up to five classes of about equal size (quintiles of the areas' values); darker is higher. Hatched areas are withheld: counts under ${below}, or hidden to protect one. Priority areas are outlined. The table of every area below gives the same numbers.`,
    areas,
    format: spec.format,
    suppressedLabel: withheldAreasLabel(below),
  });
  const notes = [
    `Class breaks are quintiles: each colour holds about a fifth of the areas with a value${rendered.breaks.length < 4 ? " (fewer classes when many areas share a value)" : ""}. Neighbouring classes differ by 3:1 contrast or by a dot pattern.`,
    `Areas with counts from 1 to ${below - 1} are hatched and show no value, as everywhere on these pages.`,
  ];
  if (merged.size) {
    notes.push(
      `${merged.size} areas are drawn from the census areas the crosswalk puts in them (those with more than ${MEMBER_WEIGHT_THRESHOLD * 100}% of their weight there).`,
    );
  }
  if (withoutShape.length) {
    notes.push(
      `${withoutShape.length} of ${doc.areas.length} areas have no boundary and are not drawn (${withoutShape.slice(0, 5).join(", ")}${withoutShape.length > 5 ? ", …" : ""}); import their boundaries on Imports.`,
    );
  }
  return {
    measure,
    title: spec.title,
    rendered,
    drawn: areas.length,
    withoutShape,
    merged: merged.size,
    notes,
  };
}

/** The area table behind the maps, with GEOIDs and the map classes, as CSV text. */
export function gapMapCsv(report: UsageGapReport, map: GapMap): string {
  const classLabel = (value: number | null) =>
    value === null ? "" : (map.rendered.classes[classOf(value, map.rendered.breaks)]?.label ?? "");
  const rows = report.document.areas.map((a) => {
    const value = a.suppressed ? null : MEASURES[map.measure].value(a);
    return [
      a.geoid,
      a.name,
      csvCount(a.population),
      csvCount(a.users),
      a.penetrationPer1000 === null ? "" : Math.round(a.penetrationPer1000 * 10) / 10,
      a.nonUsers ?? "",
      a.priority && !a.suppressed ? 1 : 0,
      a.suppressed ? 1 : 0,
      a.suppressed ? "suppressed" : classLabel(value),
      map.withoutShape.includes(a.geoid) ? 0 : 1,
    ].map(csvCell);
  });
  return stringify([
    [
      "geoid",
      "name",
      "residents",
      "active_users",
      "users_per_1000",
      "estimated_non_users",
      "priority",
      "suppressed",
      `map_class_${map.measure.replace("-", "_")}`,
      "drawn",
    ],
    ...rows,
  ]);
}
