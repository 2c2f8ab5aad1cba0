// Differencing through filters (issue 13): a filtered view of a survey's results is a table of
// its own, and two views that differ by a few people give those people away by subtraction.
// Before any number of a filtered view is shown, the view is checked against the views a reader
// can also open: it must hold at least SUPPRESS_BELOW responses; dropping any one of its filters
// must add none or at least SUPPRESS_BELOW responses; and a date range must start and end on the
// edges of consecutive blocks of at least SUPPRESS_BELOW responses, so that any two date ranges
// with the same other filters differ by whole blocks. What this does not cover (views with
// different combinations of filters, or the same view before and after new responses) is
// written down in the README's Privacy section.
import { isSmallCount } from "../analysis/small-count.ts";
import type { Db } from "../db.ts";
import { countResponseFacets, type ResponseFacet } from "../queries/response-summary.ts";
import { type ResponseFilter, type UseStatus, useStatusOf } from "../results/groups.ts";
import type { UseStatusRule } from "../results/types.ts";
import {
  accumulate,
  dataStamp,
  type HeldView,
  heldResponses,
  keptResult,
} from "./response-store.ts";

export interface FacetCount {
  language: string;
  channel: string;
  location: string;
  day: string;
  useStatus: UseStatus;
  count: number;
}

type Dimension = "language" | "channel" | "location" | "useStatus" | "date";

/** Why a view shows no numbers: a message key of the catalogue and its parameters. */
export interface ViewRefusal {
  key: "privacy.view.tooFew" | "privacy.view.difference" | "privacy.view.dates";
  params: Record<string, string | number>;
}

export type ViewCheck = { shown: true; responses: number } | { shown: false; refusal: ViewRefusal };

const DAY = 86_400_000;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

function passes(row: FacetCount, filter: ResponseFilter, skip?: Dimension): boolean {
  if (skip !== "language" && filter.languages?.length && !filter.languages.includes(row.language))
    return false;
  if (skip !== "channel" && filter.channels?.length && !filter.channels.includes(row.channel))
    return false;
  if (skip !== "location" && filter.locations?.length && !filter.locations.includes(row.location))
    return false;
  if (skip !== "useStatus" && filter.useStatus?.length && !filter.useStatus.includes(row.useStatus))
    return false;
  if (skip !== "date") {
    if (filter.from && row.day < dayOf(filter.from)) return false;
    if (filter.to && row.day >= dayOf(filter.to)) return false;
  }
  return true;
}

const total = (rows: readonly FacetCount[]) => rows.reduce((sum, row) => sum + row.count, 0);

/**
 * The days a date range may start on (and end the day before), for the responses that pass
 * every other filter: the first days of consecutive blocks of at least `threshold` responses,
 * built from the first response on (a last block that is too small joins the one before).
 */
export function dateBlockStarts(rows: readonly FacetCount[], threshold: number): string[] {
  const perDay = new Map<string, number>();
  for (const row of rows) perDay.set(row.day, (perDay.get(row.day) ?? 0) + row.count);
  const days = [...perDay.keys()].sort();
  const starts: string[] = [];
  let inBlock = 0;
  for (const day of days) {
    if (starts.length === 0 || inBlock >= threshold) {
      starts.push(day);
      inBlock = 0;
    }
    inBlock += perDay.get(day) ?? 0;
  }
  if (starts.length > 1 && inBlock < threshold) starts.pop();
  return starts;
}

/**
 * Whether a filtered view may show numbers (see the module comment). Pure: the counts come from
 * countResponseFacets.
 *
 * @example
 * checkView(facets, { languages: ["vi"] }, 10);
 * // => { shown: false, refusal: { key: "privacy.view.tooFew", params: { n: 10 } } } with 4 Vietnamese responses
 */
export function checkView(
  facets: readonly FacetCount[],
  filter: ResponseFilter,
  threshold: number,
): ViewCheck {
  if (threshold <= 1)
    return { shown: true, responses: total(facets.filter((r) => passes(r, filter))) };
  const responses = total(facets.filter((row) => passes(row, filter)));
  // An empty view shows only zeros: nobody to protect (and a wider view is checked below).
  if (isSmallCount(responses, threshold)) {
    return { shown: false, refusal: { key: "privacy.view.tooFew", params: { n: threshold } } };
  }
  const selections: [Exclude<Dimension, "date">, readonly string[] | undefined][] = [
    ["language", filter.languages],
    ["channel", filter.channels],
    ["location", filter.locations],
    ["useStatus", filter.useStatus],
  ];
  for (const [dimension, values] of selections) {
    if (!values?.length) continue;
    const wider = facets.filter((row) => passes(row, filter, dimension));
    const difference = total(wider) - responses;
    // Each value chosen must itself be none or enough, so that dropping one value is safe too.
    const perValue = values.map((value) => total(wider.filter((row) => row[dimension] === value)));
    if (
      isSmallCount(difference, threshold) ||
      (values.length > 1 && perValue.some((n) => isSmallCount(n, threshold)))
    ) {
      return {
        shown: false,
        refusal: { key: "privacy.view.difference", params: { n: threshold } },
      };
    }
  }
  if (filter.from || filter.to) {
    const undated = facets.filter((row) => passes(row, filter, "date"));
    const starts = dateBlockStarts(undated, threshold);
    const first = starts[0];
    const lastDay =
      undated
        .map((row) => row.day)
        .sort()
        .pop() ?? "";
    const from = filter.from ? dayOf(filter.from) : undefined;
    const to = filter.to ? dayOf(filter.to) : undefined;
    const fromOk = !from || (first !== undefined && from <= first) || starts.includes(from);
    const toOk = !to || to > lastDay || starts.includes(to);
    if (!fromOk || !toOk) {
      const inclusiveEnds = starts
        .slice(1)
        .map((day) => dayOf(new Date(new Date(`${day}T00:00:00Z`).getTime() - DAY)));
      return {
        shown: false,
        refusal: {
          key: "privacy.view.dates",
          params: {
            n: threshold,
            starts: starts.slice(0, 24).join(", ") || "–",
            ends: inclusiveEnds.slice(0, 24).join(", ") || "–",
          },
        },
      };
    }
  }
  return { shown: true, responses };
}

const facetKey = (row: Omit<FacetCount, "count">) =>
  [row.language, row.channel, row.location, row.day, row.useStatus].join("\u0000");

/**
 * Facet counts in one form whatever they were counted from: one row per language, channel,
 * location, day and library-use status (answers that give the same status are one row), in
 * the order of those texts.
 */
function facetTable(byKey: ReadonlyMap<string, FacetCount>): FacetCount[] {
  return [...byKey.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => ({ ...(byKey.get(key) as FacetCount) }));
}

function addFacet(byKey: Map<string, FacetCount>, row: FacetCount): void {
  const key = facetKey(row);
  const kept = byKey.get(key);
  if (kept) kept.count += row.count;
  else byKey.set(key, { ...row });
}

/**
 * The same counts as countResponseFacets, from the responses the staff pages keep: kept and
 * only given the responses read since (counts do not depend on the order they are added in).
 */
function countKeptFacets(
  db: Db,
  slug: string,
  held: HeldView,
  rule: UseStatusRule | undefined,
): FacetCount[] {
  const tally = accumulate(
    db,
    held,
    JSON.stringify(["facet counts", slug, rule]),
    "",
    () => ({ byKey: new Map<string, FacetCount>(), days: new Map<number, string>() }),
    ({ byKey, days }, response) => {
      // The UTC day, as the SQL computes it, made once per day.
      const number = Math.floor(response.submittedAt.getTime() / DAY);
      let day = days.get(number);
      if (day === undefined) {
        day = dayOf(response.submittedAt);
        days.set(number, day);
      }
      addFacet(byKey, {
        language: response.language,
        channel: response.channel,
        location: response.location ?? "",
        day,
        useStatus: useStatusOf(response.data, rule),
        count: 1,
      });
    },
    { anyOrder: true },
  );
  return facetTable(tally.byKey);
}

/**
 * The facet counts of a survey, with library-use status worked out from its rule: from the
 * responses the staff pages keep when they keep them (no query after each new response), else
 * grouped in SQL. Both give the same table (test/staff/response-store*.test.ts).
 */
export async function surveyFacets(
  db: Db,
  slug: string,
  rule: UseStatusRule | undefined,
): Promise<FacetCount[]> {
  const key = JSON.stringify(["facets", slug, rule]);
  const held = await heldResponses(db, slug);
  if (held)
    return keptResult(db, key, held.stamp, async () => countKeptFacets(db, slug, held, rule));
  return keptResult(db, key, await dataStamp(db, slug), async () => {
    const rows: ResponseFacet[] = await countResponseFacets(db, slug, rule?.question);
    const byKey = new Map<string, FacetCount>();
    for (const row of rows) {
      addFacet(byKey, {
        language: row.language,
        channel: row.channel,
        location: row.location,
        day: row.day,
        useStatus: rule ? useStatusOf({ [rule.question]: row.useAnswer }, rule) : "unknown",
        count: row.count,
      });
    }
    return facetTable(byKey);
  });
}

/** Checks a filtered view of a survey against its responses (see checkView). */
export async function checkSurveyView(
  db: Db,
  slug: string,
  rule: UseStatusRule | undefined,
  filter: ResponseFilter,
  threshold: number,
): Promise<ViewCheck> {
  return checkView(await surveyFacets(db, slug, rule), filter, threshold);
}
