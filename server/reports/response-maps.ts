// The survey map: responses per 1,000 residents by area, for the results page. A response's area
// is its answer to the survey's area question (the ZIP code question weighting uses, "zip"),
// matched to the census ZCTAs as weighting matches it; residents are the area totals of the
// community margins (server/reports/survey-results.ts communityMargins). An area with 1 to
// SUPPRESS_BELOW − 1 responses is hatched and shows no rate, as small counts are everywhere.
// The map counts every response to the survey, whatever the page's filters: per-area counts
// under two filters could be subtracted from each other to reveal a small group in one area.

import { stringify } from "csv-stringify/sync";
import { isSmallCount } from "../analysis/small-count.ts";
import { suppressedText, withheldAreasLabel } from "../analysis/suppressed-text.ts";
import { csvCell } from "../csv-safe.ts";
import type { Db } from "../db.ts";
import { normalisePatronGeography } from "../imports/geography.ts";
import { areaShapes } from "../maps/area-shapes.ts";
import { classOf } from "../maps/class-breaks.ts";
import { type MapArea, type RenderedMap, renderMapSvg } from "../maps/render-map.ts";
import { findGeographies } from "../queries/community.ts";
import { profileQuestions } from "../results/profile-mappings.ts";
import { keptResult } from "./response-store.ts";
import { loadResultsSurvey, scopedResponses, surveyStamp } from "./survey-scope.ts";
import { communityMargins } from "./survey-weights.ts";

const oneDecimal = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const integer = new Intl.NumberFormat("en-US");

export interface ResponseMapArea {
  geoid: string;
  name: string;
  residents: number;
  /** Responses from the area; null when withheld. */
  responses: number | null;
  /** Why it is withheld: a small count, or to protect one (complementary); null when shown. */
  withheld: "small" | "complementary" | null;
  per1000: number | null;
  drawn: boolean;
}

export interface ResponsesMap {
  question: string;
  rendered: RenderedMap;
  areas: ResponseMapArea[];
  /**
   * Responses whose area is blank, malformed or outside the areas with census data; null when
   * an area is withheld (the results page shows the total, so this would give it away).
   */
  elsewhere: number | null;
  suppressBelow: number;
  notes: string[];
}

/**
 * The responses map of a survey's filtered responses, or null when the survey has no area
 * question, no ZIP-level census data is imported, or none of those areas has a shape.
 */
export async function responsesMap(
  db: Db,
  slug: string,
  suppressBelow: number,
): Promise<ResponsesMap | null> {
  const key = JSON.stringify(["responses-map", slug, suppressBelow]);
  return keptResult(db, key, await surveyStamp(db, slug), () =>
    computeResponsesMap(db, slug, suppressBelow),
  );
}

async function computeResponsesMap(
  db: Db,
  slug: string,
  suppressBelow: number,
): Promise<ResponsesMap | null> {
  const { codebook } = await loadResultsSurvey(db, slug);
  // The survey's own area question (openDoor.profile), the one weighting and the fieldwork guide use.
  const question = profileQuestions(codebook).area;
  if (!codebook.questions.some((q) => q.name === question)) return null;
  const margins = await communityMargins(db);
  if (!margins.area?.length) return null;
  const residents = new Map(margins.area.map((m) => [m.category, m.count]));
  const { shapes } = await areaShapes(db, [...residents.keys()]);
  if (shapes.size === 0) return null;

  const counts = new Map<string, number>();
  let elsewhere = 0;
  for await (const response of scopedResponses(db, slug, codebook)) {
    const value = response.data[question];
    const geoid =
      typeof value === "string" || typeof value === "number"
        ? normalisePatronGeography(String(value), "zip")
        : null;
    if (geoid && residents.has(geoid)) counts.set(geoid, (counts.get(geoid) ?? 0) + 1);
    else elsewhere++;
  }
  const names = await findGeographies(db, [...residents.keys()]);
  // Small counts are withheld; when only one is, the next smallest count is withheld too, so the
  // total on the results page minus the shown areas cannot give it away (DESIGN.md, privacy).
  const small = new Set(
    [...counts].filter(([, n]) => isSmallCount(n, suppressBelow)).map(([geoid]) => geoid),
  );
  const complementary = new Set<string>();
  if (small.size === 1) {
    const next = [...counts]
      .filter(([geoid, n]) => n > 0 && !small.has(geoid))
      .sort((a, b) => a[1] - b[1])[0];
    if (next) complementary.add(next[0]);
  }
  const areas: ResponseMapArea[] = [...residents].map(([geoid, population]) => {
    const count = counts.get(geoid) ?? 0;
    const withheld = small.has(geoid) ? "small" : complementary.has(geoid) ? "complementary" : null;
    return {
      geoid,
      name: names.get(geoid)?.name ?? geoid,
      residents: population,
      responses: withheld ? null : count,
      withheld,
      per1000: withheld || population <= 0 ? null : (1000 * count) / population,
      drawn: shapes.has(geoid),
    };
  });
  const mapAreas: MapArea[] = areas
    .filter((a) => a.drawn)
    .map((a) => ({
      geoid: a.geoid,
      name: a.name === a.geoid ? a.geoid : `${a.name} (${a.geoid})`,
      value: a.per1000,
      display:
        a.withheld === "small"
          ? `fewer than ${suppressBelow} responses (withheld)`
          : a.withheld === "complementary"
            ? "responses withheld to protect a smaller count"
            : a.per1000 === null
              ? `${integer.format(a.responses ?? 0)} responses, no residents counted`
              : `${oneDecimal.format(a.per1000)} responses per 1,000 residents (${integer.format(a.responses ?? 0)})`,
      suppressed: a.withheld !== null,
      priority: false,
      geometry: shapes.get(a.geoid) as MapArea["geometry"],
    }));
  const rendered = renderMapSvg({
    id: "map-responses",
    title: "Survey responses per 1,000 residents, by ZIP code area",
    description: `Areas in up to five classes of about equal size (quintiles); darker is higher. Hatched areas are withheld: fewer than ${suppressBelow} responses, or hidden to protect one.`,
    areas: mapAreas,
    format: (v) => oneDecimal.format(v),
    suppressedLabel: withheldAreasLabel(suppressBelow),
  });
  const undrawn = areas.filter((a) => !a.drawn).length;
  const anyWithheld = small.size > 0;
  const notes = [
    `Every response to the survey, whatever the filters above. A response's area is its answer to "${question}", matched to the census ZIP code areas${anyWithheld ? "" : `; ${integer.format(elsewhere)} responses have no answer or one outside these areas`}.`,
    `Class breaks are quintiles of the areas' rates. Areas with 1 to ${suppressBelow - 1} responses are hatched and show no rate${complementary.size ? ", and so is one more area, so that the total cannot give a small count away" : ""}.`,
  ];
  if (undrawn) notes.push(`${undrawn} areas have no boundary and are not drawn.`);
  return {
    question,
    rendered,
    areas,
    elsewhere: anyWithheld ? null : elsewhere,
    suppressBelow,
    notes,
  };
}

/** The responses map's area table, with GEOIDs, as CSV text. */
export function responsesMapCsv(map: ResponsesMap): string {
  const label = (value: number | null) =>
    value === null ? "" : (map.rendered.classes[classOf(value, map.rendered.breaks)]?.label ?? "");
  return stringify([
    ["geoid", "name", "residents", "responses", "responses_per_1000", "map_class", "drawn"],
    ...map.areas.map((a) =>
      [
        a.geoid,
        a.name,
        Math.round(a.residents),
        a.withheld ? suppressedText(a.withheld, map.suppressBelow) : (a.responses ?? ""),
        a.per1000 === null ? "" : Math.round(a.per1000 * 10) / 10,
        a.withheld ? "suppressed" : label(a.per1000),
        a.drawn ? 1 : 0,
      ].map(csvCell),
    ),
  ]);
}
