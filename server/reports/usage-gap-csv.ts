// Row → CSV row for the usage-gap report: groups.csv and areas.csv of `npm run analyze -- --out`,
// and the one gaps.csv of `npm run export -- gaps` and /staff/exports/gaps.csv. Rows are read off
// the presented document only, so a withheld count appears as its marker ("<10", "suppressed")
// and numbers derived from it are empty. Column names are the JSON document's keys, so a number
// can be found in either. Cells go through the shared CSV-safe helper (server/csv-safe.ts) when the
// caller streams them with csvStream.
import type { UsageGapReportDocument } from "./usage-gap-document.ts";

/** Rounds away floating-point noise (6 decimals); null stays null (an empty cell). */
function number(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Math.round(value * 1e6) / 1e6;
}

/** A count as shown: the number (rounded) or the suppression marker. */
function count(value: number | string): number | string | null {
  return typeof value === "number" ? number(value) : value;
}

const yesNo = (value: boolean | null) => (value === null ? null : value ? "yes" : "no");

/**
 * Reliability of a census estimate: "yes", "no", "unknown" (no margin of error), or empty when
 * the population count is withheld (the presenter nulls it then).
 */
const reliability = (value: boolean | null, populationHidden: boolean) =>
  populationHidden ? null : value === null ? "unknown" : yesNo(value);

export const GROUP_COLUMNS = [
  "dimension",
  "category",
  "population",
  "users",
  "communityShare",
  "userShare",
  "userShareLow",
  "userShareHigh",
  "representationIndex",
  "representationIndexLow",
  "representationIndexHigh",
  "censusErrorIncluded",
  "penetrationPer1000",
  "expectedUsers",
  "shortfall",
  "nonUsers",
  "flag",
  "reliable",
  "cv",
  "representationIndexChange",
  "userShareChange",
] as const;

export const AREA_COLUMNS = [
  "rank",
  "geoid",
  "name",
  "population",
  "users",
  "penetrationPer1000",
  "penetrationLow",
  "penetrationHigh",
  "nonUsers",
  "priority",
  "reliable",
  "penetrationPer1000Change",
] as const;

/** groups.csv: a header, then one row per group of every dimension. */
export function groupCsvRows(document: UsageGapReportDocument): unknown[][] {
  const changes = new Map(
    (document.changes?.groups ?? []).map((change) => [
      `${change.dimension}\u0000${change.category}`,
      change,
    ]),
  );
  const rows: unknown[][] = [[...GROUP_COLUMNS]];
  for (const dimension of document.dimensions) {
    for (const group of dimension.groups) {
      const change = changes.get(`${dimension.dimension}\u0000${group.category}`);
      rows.push([
        dimension.dimension,
        group.category,
        count(group.population),
        count(group.users),
        number(group.communityShare),
        number(group.userShare),
        number(group.userShareInterval?.[0]),
        number(group.userShareInterval?.[1]),
        number(group.representationIndex),
        number(group.representationIndexInterval?.[0]),
        number(group.representationIndexInterval?.[1]),
        group.representationIndexInterval ? yesNo(group.censusErrorIncluded === true) : null,
        number(group.penetrationPer1000),
        number(group.expectedUsers),
        number(group.shortfall),
        number(group.nonUsers),
        group.flag,
        reliability(group.reliable, group.suppression.population !== null),
        number(group.cv),
        number(change?.representationIndex.change),
        number(change?.userShare.change),
      ]);
    }
  }
  return rows;
}

/** areas.csv: a header, then one row per area, lowest use first. */
export function areaCsvRows(document: UsageGapReportDocument): unknown[][] {
  const changes = new Map((document.changes?.areas ?? []).map((change) => [change.geoid, change]));
  const rows: unknown[][] = [[...AREA_COLUMNS]];
  for (const area of document.areas) {
    rows.push([
      area.rank,
      area.geoid,
      area.name,
      count(area.population),
      count(area.users),
      number(area.penetrationPer1000),
      number(area.penetrationInterval?.[0]),
      number(area.penetrationInterval?.[1]),
      number(area.nonUsers),
      area.suppressed ? null : yesNo(area.priority),
      reliability(area.reliable, area.suppression.population !== null),
      number(changes.get(area.geoid)?.penetrationPer1000.change),
    ]);
  }
  return rows;
}

/**
 * gaps.csv: groups and areas in one table, told apart by the first column ("group" or "area");
 * the area rows put geoid and name in the dimension and category columns' places.
 */
export function gapsCsvRows(document: UsageGapReportDocument): unknown[][] {
  const header = [
    "table",
    "dimension_or_geoid",
    "category_or_name",
    "population",
    "users",
    "communityShare",
    "userShare",
    "userShareLow",
    "userShareHigh",
    "representationIndex",
    "representationIndexLow",
    "representationIndexHigh",
    "censusErrorIncluded",
    "penetrationPer1000",
    "penetrationLow",
    "penetrationHigh",
    "expectedUsers",
    "shortfall",
    "nonUsers",
    "flag",
    "priority",
    "rank",
    "reliable",
  ];
  const rows: unknown[][] = [header];
  for (const dimension of document.dimensions) {
    for (const group of dimension.groups) {
      rows.push([
        "group",
        dimension.dimension,
        group.category,
        count(group.population),
        count(group.users),
        number(group.communityShare),
        number(group.userShare),
        number(group.userShareInterval?.[0]),
        number(group.userShareInterval?.[1]),
        number(group.representationIndex),
        number(group.representationIndexInterval?.[0]),
        number(group.representationIndexInterval?.[1]),
        group.representationIndexInterval ? yesNo(group.censusErrorIncluded === true) : null,
        number(group.penetrationPer1000),
        null,
        null,
        number(group.expectedUsers),
        number(group.shortfall),
        number(group.nonUsers),
        group.flag,
        null,
        null,
        reliability(group.reliable, group.suppression.population !== null),
      ]);
    }
  }
  for (const area of document.areas) {
    rows.push([
      "area",
      area.geoid,
      area.name,
      count(area.population),
      count(area.users),
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      number(area.penetrationPer1000),
      number(area.penetrationInterval?.[0]),
      number(area.penetrationInterval?.[1]),
      null,
      null,
      number(area.nonUsers),
      null,
      area.suppressed ? null : yesNo(area.priority),
      area.rank,
      reliability(area.reliable, area.suppression.population !== null),
    ]);
  }
  return rows;
}
