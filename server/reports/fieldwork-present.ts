// The fieldwork guide presented (server/reports/fieldwork.ts reads it, fieldwork-tables.ts draws
// it): every count of the guide (server/results/fieldwork.ts) through the suppression planner,
// so the page, the JSON and the CSV show the same numbers and no hidden count follows from the
// others, and the actions in words.
//
// Privacy: one suppression problem holds every count published here, linked by the sums a reader
// could use: each dimension's categories plus its "not known" add up to all respondents, so do the
// days and the channels; each channel's and kiosk place's counts per category add up to the
// channel's (place's) count and, over channels, to the category's count. Withheld counts take with them every number derived from them (share, index, interval,
// partial R-indicator, progress, projected date), and a dimension's partial R-indicator is shown
// only when none of its categories is withheld (it is a sum of squares of the category parts).

import { languageGroup } from "../analysis/language-group.ts";
import { determinedCells, planTableSuppression } from "../analysis/plan-suppression.ts";
import { suppressedText } from "../analysis/suppressed-text.ts";
import { LANGUAGES } from "../i18n/languages.ts";
import {
  compareWithCommunity,
  type FieldworkDimension,
  type FieldworkGuide,
  type GuideBreakdown,
  NON_USERS,
} from "../results/fieldwork.ts";
import { type CountCell, plannedCount, withheldCell } from "./suppression.ts";

export const DIMENSION_LABELS: Record<FieldworkDimension, string> = {
  age: "Age",
  language: "Language spoken at home",
  area: "Area (ZIP code)",
  libraryUse: "Library use",
};

export interface PresentedCategory {
  category: string;
  communityShare: number;
  respondents: CountCell;
  respondentShare: number | null;
  representationIndex: number | null;
  interval: [number, number] | null;
  relativePartial: number | null;
  target: number | null;
  /** count / target, capped at 1; null when there is no target or the count is withheld. */
  progress: number | null;
  projectedDate: string | null;
  status: "met" | "on-track" | "late" | "stalled" | "withheld" | null;
}

export interface PresentedDimension {
  dimension: FieldworkDimension;
  label: string;
  question: string;
  known: CountCell;
  unknown: CountCell;
  relativePartial: number | null;
  proportionalTotal: number | null;
  categories: PresentedCategory[];
  notes: string[];
}

export interface PresentedBreakdown {
  /** "channel" or "location". */
  by: "channel" | "location";
  key: string;
  label: string;
  respondents: CountCell;
  /** Per dimension, the counts per category (same order as the dimension's categories). */
  byDimension: Partial<Record<FieldworkDimension, CountCell[]>>;
}

export interface PresentedAction {
  rank: number;
  dimension: FieldworkDimension;
  category: string;
  /**
   * (P_u(X,k)/ρ̄)² as shown: how much reaching the group's share would lower its dimension's
   * (P_u(X)/ρ̄)²; null when the group's count is withheld (the rank still uses it).
   */
  gain: number | null;
  sentence: string;
  links: { href: string; label: string }[];
}

export interface FieldworkReport {
  slug: string;
  title: string;
  asOf: string;
  suppressBelow: number;
  respondents: CountCell;
  firstDay: string | null;
  endDate: string | null;
  dimensions: PresentedDimension[];
  skipped: { dimension: FieldworkDimension; reason: string }[];
  overall: FieldworkGuide["overall"];
  overallNote: string | null;
  trend: { day: string; respondents: CountCell; r: number | null; maximalBias: number | null }[];
  channels: PresentedBreakdown[];
  locations: PresentedBreakdown[];
  actions: PresentedAction[];
}

/** Counts linked by sums, for one planTableSuppression run. */
class Problem {
  values: number[] = [];
  equations: { parts: number[]; total: number }[] = [];
  add(value: number): number {
    this.values.push(value);
    return this.values.length - 1;
  }
  sum(parts: number[], total: number): void {
    this.equations.push({ parts, total });
  }
}

const CHANNEL_LABELS: Record<string, string> = {
  web: "Link (web)",
  kiosk: "Kiosk",
  paper: "Paper",
  event: "Event",
  interview: "Interview",
};

function groupName(dimension: FieldworkDimension, category: string): string {
  switch (dimension) {
    case "age":
      return `people aged ${category.replace(/ years$/, "").replace(" years and over", "+")}`;
    case "language":
      if (category === "English only") return "people who speak only English at home";
      return category.startsWith("Other")
        ? `people who speak a language of the census group "${category}" at home`
        : `people who speak ${category} at home`;
    case "area":
      return `residents of ZIP ${category}`;
    default:
      return category === NON_USERS ? "non-users" : "library users";
  }
}

const pct = (value: number) => `${Math.round(value * 100)}%`;

/**
 * The guide with every count planned for suppression and the actions in words.
 */
export function presentFieldwork(
  guide: FieldworkGuide,
  context: {
    slug: string;
    title: string;
    asOf: string;
    endDate: string | null;
    suppressBelow: number;
    placeName: (id: string) => string;
    surveyLanguages: readonly string[];
  },
): FieldworkReport {
  const k = context.suppressBelow;
  // Stage 1: the counts every table is broken down from.
  const problem = new Problem();
  const total = problem.add(guide.respondents);
  const dimensionCells = guide.dimensions.map((d) => {
    const cells = d.categories.map((c) => problem.add(c.respondents));
    const unknown = problem.add(d.unknown);
    problem.sum([...cells, unknown], total);
    return { cells, unknown };
  });
  // Channels add up to all respondents; kiosk places (and the kiosk responses without one,
  // never shown but counted as if they were) add up to the kiosk channel.
  const channelTotals = guide.channels.map((g) => problem.add(g.respondents));
  if (channelTotals.length) problem.sum(channelTotals, total);
  const kioskIndex = guide.channels.findIndex((g) => g.key === "kiosk");
  const kioskTotal = kioskIndex === -1 ? null : (channelTotals[kioskIndex] as number);
  const locationTotals = guide.locations.map((g) => problem.add(g.respondents));
  const placed = guide.locations.reduce((sum, g) => sum + g.respondents, 0);
  const unplaced = problem.add((guide.channels[kioskIndex]?.respondents ?? placed) - placed);
  if (kioskTotal !== null) problem.sum([...locationTotals, unplaced], kioskTotal);
  const plan = planTableSuppression({ values: problem.values, equations: problem.equations }, k);
  const cell = (index: number): CountCell =>
    plannedCount(problem.values[index] ?? 0, plan[index] ?? "shown", k);

  // Stage 2: per dimension, the channel × category and kiosk place × category tables, planned
  // together with their margins as stage 1 published them (shown: locked; withheld: forced).
  // Tables whose withheld cells would still follow from the published ones are withheld whole.
  const breakdownTables = (
    di: number,
  ): { channels: CountCell[][]; places: CountCell[][] } | null => {
    const d = guide.dimensions[di];
    const ids = dimensionCells[di];
    if (!d || !ids) return null;
    const table = new Problem();
    const margins: { index: number; hidden: boolean }[] = [];
    const margin = (stage1: number) => {
      const index = table.add(problem.values[stage1] ?? 0);
      margins.push({ index, hidden: plan[stage1] !== null && plan[stage1] !== undefined });
      return index;
    };
    const categories = [...d.categories.map((c) => c.category), ""];
    const columnTotals = [...ids.cells, ids.unknown].map(margin);
    const rowsOf = (groups: GuideBreakdown[], totals: number[]) =>
      groups.map((g, gi) => {
        const row = categories.map((c) => table.add(g.byDimension[d.dimension]?.get(c) ?? 0));
        table.sum(row, margin(totals[gi] as number));
        return row;
      });
    const channelRows = rowsOf(guide.channels, channelTotals);
    const placeRows = rowsOf(guide.locations, locationTotals);
    columnTotals.forEach((column, ci) => {
      table.sum(
        channelRows.map((row) => row[ci] as number),
        column,
      );
      const kioskRow = channelRows[kioskIndex];
      if (kioskRow) {
        const inPlaces = placeRows.reduce(
          (sum, row) => sum + (table.values[row[ci] as number] ?? 0),
          0,
        );
        const rest = table.add((table.values[kioskRow[ci] as number] ?? 0) - inPlaces);
        table.sum([...placeRows.map((row) => row[ci] as number), rest], kioskRow[ci] as number);
      }
    });
    const tablePlan = planTableSuppression(
      {
        values: table.values,
        equations: table.equations,
        locked: margins.filter((m) => !m.hidden).map((m) => m.index),
        forced: margins.filter((m) => m.hidden).map((m) => m.index),
      },
      k,
    );
    const hidden = table.values.map((_, i) => (tablePlan[i] ?? null) !== null);
    if (determinedCells(table, hidden).length > 0) return null;
    const present = (rows: number[][]) =>
      rows.map((row) =>
        row.map((i) => plannedCount(table.values[i] ?? 0, tablePlan[i] ?? "shown", k)),
      );
    return { channels: present(channelRows), places: present(placeRows) };
  };
  const tables = guide.dimensions.map((_, di) => breakdownTables(di));

  const dimensions: PresentedDimension[] = guide.dimensions.map((d, di) => {
    const ids = dimensionCells[di] as (typeof dimensionCells)[number];
    const unknown = cell(ids.unknown);
    const respondentsCell = cell(total);
    const known =
      unknown.value !== null && respondentsCell.value !== null
        ? plannedCount(respondentsCell.value - unknown.value, "shown", k)
        : withheldCell(k);
    // With the "not known" count withheld, the known count is too: shares are then of all
    // respondents (a published count), which counts the few who did not say in no group.
    const base = known.value !== null ? "known" : respondentsCell.value !== null ? "all" : null;
    const categories = d.categories.map((c, ci): PresentedCategory => {
      const respondents = cell(ids.cells[ci] as number);
      const visible = respondents.value !== null && base !== null;
      const compared =
        base === "all"
          ? compareWithCommunity(c.respondents, guide.respondents, c.communityShare)
          : c;
      const projection = c.projection;
      return {
        category: c.category,
        communityShare: c.communityShare,
        respondents,
        respondentShare: visible ? compared.respondentShare : null,
        representationIndex: visible ? compared.representationIndex : null,
        interval: visible ? compared.interval : null,
        relativePartial: visible ? compared.relativePartial : null,
        target: c.target,
        progress:
          c.target !== null && c.target > 0 && respondents.value !== null
            ? Math.min(1, respondents.value / c.target)
            : null,
        projectedDate: respondents.value !== null ? (projection?.projectedDate ?? null) : null,
        status:
          projection === null ? null : respondents.value !== null ? projection.status : "withheld",
      };
    });
    const anyWithheld =
      categories.some((c) => c.respondents.value === null) || known.value === null;
    return {
      dimension: d.dimension,
      label: DIMENSION_LABELS[d.dimension],
      question: d.question,
      known,
      unknown,
      relativePartial: anyWithheld ? null : d.relativePartial,
      proportionalTotal: d.proportionalTotal,
      categories,
      notes:
        base === "all"
          ? [
              ...d.notes,
              `Shares are of all respondents: the number who did not answer is too small to show, so the respondents who did cannot be counted apart from them.`,
            ]
          : d.notes,
    };
  });

  const presentRows = (
    by: "channel" | "location",
    groups: GuideBreakdown[],
    totals: number[],
  ): PresentedBreakdown[] =>
    groups.map((g, gi) => ({
      by,
      key: g.key,
      label: by === "channel" ? (CHANNEL_LABELS[g.key] ?? g.key) : context.placeName(g.key),
      respondents: cell(totals[gi] as number),
      byDimension: Object.fromEntries(
        guide.dimensions.map((d, di) => {
          const table = tables[di];
          const row = (by === "channel" ? table?.channels : table?.places)?.[gi];
          // The last column is "not known"; a table withheld whole reads "suppressed" throughout.
          return [d.dimension, row?.slice(0, -1) ?? d.categories.map(() => withheldCell(k))];
        }),
      ),
    }));

  const languageCode = (group: string) =>
    LANGUAGES.find(
      (l) =>
        context.surveyLanguages.includes(l.code) &&
        (languageGroup(l.englishName) ?? languageGroup(l.englishName.replace(/ \(.*\)$/, ""))) ===
          group,
    )?.code ?? null;
  const base = `/staff/surveys/${encodeURIComponent(context.slug)}`;
  const actions: PresentedAction[] = guide.actions.map((a, index) => {
    const dimension = dimensions.find((d) => d.dimension === a.dimension);
    const category = dimension?.categories.find((c) => c.category === a.category);
    const group = groupName(a.dimension, a.category);
    const where =
      category?.respondents.value === 0
        ? `No responses from ${group} yet, who are ${pct(category.communityShare)} of residents`
        : category?.representationIndex !== null && category?.representationIndex !== undefined
          ? `Responses from ${group} are at ${pct(category.representationIndex)} of their share: ${pct(category.respondentShare ?? 0)} of responses but ${pct(category.communityShare)} of residents`
          : category?.respondents.display === suppressedText("small", k)
            ? `Responses from ${group} are fewer than ${k}, against ${pct(category.communityShare)} of residents`
            : `Responses from ${group} are withheld (to protect a smaller count beside them), against ${pct(category?.communityShare ?? 0)} of residents`;
    const place = a.bestLocation ? context.placeName(a.bestLocation) : null;
    const links: { href: string; label: string }[] = [];
    let what: string;
    if (a.dimension === "language" && a.category !== "English only") {
      const code = languageCode(a.category);
      if (code) {
        const name = LANGUAGES.find((l) => l.code === code)?.englishName ?? code;
        what = `print the ${name} flyer and share the ${name} link where they meet`;
        links.push({ href: `${base}/flyer?lang=${code}`, label: `${name} flyer` });
        links.push({ href: `${base}/share`, label: "Share links and QR codes" });
      } else {
        what =
          "the survey is not offered in that language: take answers with an interpreter and enter them on the data-entry form";
        links.push({ href: `${base}/entry`, label: "Enter paper or interview responses" });
      }
    } else if (a.dimension === "libraryUse" && a.category === NON_USERS) {
      what = `add the survey to an outreach event away from the library${place ? ` (the ${place} kiosk reaches non-users best so far)` : ""}, and enter the paper responses`;
      links.push({ href: `${base}/paper`, label: "Printable paper survey" });
      links.push({ href: `${base}/entry`, label: "Enter paper responses" });
    } else if (place) {
      what = `the ${place} kiosk has collected the most from that group: schedule it more hours`;
      links.push({ href: "/staff/kiosks", label: "Kiosk places" });
      links.push({ href: `${base}/share`, label: "Share links and QR codes" });
    } else if (a.dimension === "area") {
      what = "put flyers up in that ZIP code and hold a paper session at a place there";
      links.push({ href: `${base}/flyer`, label: "Flyer" });
      links.push({ href: `${base}/entry`, label: "Enter paper responses" });
    } else {
      what =
        "share the survey where that group meets (schools, clubs, community centres) and take paper copies";
      links.push({ href: `${base}/share`, label: "Share links and QR codes" });
      links.push({ href: `${base}/paper`, label: "Printable paper survey" });
    }
    return {
      rank: index + 1,
      dimension: a.dimension,
      category: a.category,
      gain:
        category?.relativePartial === null || category?.relativePartial === undefined
          ? null
          : category.relativePartial ** 2,
      sentence: `${where}: ${what}.`,
      links,
    };
  });

  return {
    slug: context.slug,
    title: context.title,
    asOf: context.asOf,
    suppressBelow: k,
    respondents: cell(total),
    firstDay: guide.firstDay,
    endDate: context.endDate,
    dimensions,
    skipped: guide.skipped,
    overall: guide.overall,
    overallNote: guide.overallNote,
    // Trend points are at least SUPPRESS_BELOW responses apart and the last is all of them
    // (fieldworkGuide), so no count between two points is small.
    trend: guide.trend.map((point) => ({
      day: point.day,
      respondents: plannedCount(point.respondents, "shown", k),
      r: point.r,
      maximalBias: point.maximalBias,
    })),
    channels: presentRows("channel", guide.channels, channelTotals),
    locations: presentRows("location", guide.locations, locationTotals),
    actions,
  };
}
