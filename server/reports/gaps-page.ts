// The usage-gaps page's view model, from the presented (already suppressed) usage-gap report:
// paired bars of community share and user share per dimension, the representation index with
// its interval, the areas ranked with priority areas marked, and the change since the last run.
import { type DataSufficiency, dataSufficiency } from "../analysis/data-sufficiency.ts";
import { formatPValue } from "../analysis/finding-format.ts";
import type { PresentedDimension, ShownCount } from "../analysis/present-usage-gaps.ts";
import { DEFAULT_LANGUAGE } from "../i18n/languages.ts";
import { type Translate, translator } from "../i18n/messages.ts";
import { activeCountRows, activeRuleSentence, countText } from "../imports/active-rule.ts";
import type { ChartTable, TextCell } from "./chart-table.ts";
import { gapMethodsNote } from "./gap-methods-note.ts";
import type { UsageGapReport } from "./usage-gaps.ts";

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);
const ratio = (v: number | null) => (v === null ? "–" : v.toFixed(2));
const per1000 = (v: number | null) => (v === null ? "–" : v.toFixed(0));

/** A count as shown: a number with separators, or the presenter's marker ("<10", "suppressed"). */
export function shownCount(value: ShownCount | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return typeof value === "number" ? integer.format(Math.round(value)) : value;
}

function cell(display: string, value: number | null = null, range?: [number, number]): TextCell {
  return { value, display, suppressed: /^<\d|^suppressed$/.test(display), range };
}

const FLAG_TEXT = { under: "Under-represented", over: "Over-represented" } as const;

export interface DimensionView {
  name: string;
  shares: ChartTable;
  index: ChartTable;
  test: string;
  notes: string[];
  unknown: string;
}

/** A census estimate's reliability in words; empty when its count is withheld. */
function reliabilityText(reliable: boolean | null, populationHidden: boolean, t: Translate) {
  if (populationHidden) return "";
  if (reliable === null) return t("gaps.reliability.unknown");
  return t(reliable ? "gaps.reliability.reliable" : "gaps.reliability.unreliable");
}

function dimensionView(d: PresentedDimension, t: Translate): DimensionView {
  const label = d.dimension.charAt(0).toUpperCase() + d.dimension.slice(1);
  return {
    name: d.dimension,
    shares: {
      id: `gap-shares-${d.dimension}`,
      title: `${label}: share of the community and share of active users`,
      caption:
        "Bars side by side: where the user bar is shorter than the community bar, the library reaches that group less than its size.",
      kind: "bar",
      percent: true,
      horizontal: d.groups.length > 8,
      categoryLabel: label,
      series: ["Community share", "User share", "Residents", "Active users"],
      plot: [0, 1],
      rows: d.groups.map((g) => ({
        label: g.category,
        cells: [
          cell(pct(g.communityShare), g.communityShare),
          cell(
            g.userShareInterval
              ? `${pct(g.userShare)} (${pct(g.userShareInterval[0])}–${pct(g.userShareInterval[1])})`
              : pct(g.userShare),
            g.userShare,
          ),
          cell(shownCount(g.population)),
          cell(shownCount(g.users)),
        ],
      })),
    },
    index: {
      id: `gap-index-${d.dimension}`,
      title: `${label}: representation index with its 95% interval`,
      caption:
        "1.0 means the group uses the library in proportion to its size; below 0.8 with an interval under 1, it is under-represented.",
      kind: "range",
      horizontal: true,
      categoryLabel: label,
      series: [
        "95% interval",
        "Representation index",
        "Users per 1,000 residents",
        "Estimated non-users",
        "Flag",
        "Census estimate",
      ],
      plot: [0],
      rows: d.groups.map((g) => {
        const interval = g.representationIndexInterval;
        return {
          label: g.category,
          cells: [
            cell(
              interval ? `${ratio(interval[0])}–${ratio(interval[1])}` : "–",
              null,
              interval ?? undefined,
            ),
            cell(ratio(g.representationIndex), g.representationIndex),
            cell(per1000(g.penetrationPer1000)),
            cell(g.nonUsers === null ? "–" : integer.format(g.nonUsers)),
            cell(g.flag ? FLAG_TEXT[g.flag] : ""),
            cell(reliabilityText(g.reliable, g.suppression.population !== null, t)),
          ],
        };
      }),
    },
    test: d.chiSquare
      ? `Users differ from the community ${d.chiSquare.pValue < 0.05 ? "more than chance would explain" : "no more than chance would explain"}: chi-square = ${d.chiSquare.statistic.toFixed(1)}, df = ${d.chiSquare.df}, ${formatPValue(d.chiSquare.pValue)}; Cohen's w = ${d.cohensW === null ? "–" : d.cohensW.toFixed(2)}.`
      : `No test${d.chiSquareNote ? `: ${d.chiSquareNote}` : "."}`,
    notes: [...(d.chiSquare && d.chiSquareNote ? [d.chiSquareNote] : []), ...d.notes],
    unknown: `Active users with an unknown ${d.dimension}: ${shownCount(d.unknownUsers)} (not in the comparison).`,
  };
}

/** Who counts as an active user: the rule's sentence and its counts, in the page's language. */
export interface ActiveRuleView {
  heading: string;
  /** Null when the export was imported before the rule was recorded (`note` says so). */
  sentence: string | null;
  note: string | null;
  caption: string;
  countHeader: string;
  rows: { label: string; value: string; parts: { label: string; value: string }[] }[];
}

function activeRuleView(
  presented: UsageGapReport["document"]["activeRule"],
  language: string,
): ActiveRuleView {
  const t = translator(language);
  return {
    heading: t("activeRule.heading"),
    sentence: presented ? activeRuleSentence(presented.rule, language) : null,
    note: presented ? null : t("activeRule.notRecorded"),
    caption: t("activeRule.counts.caption"),
    countHeader: t("activeRule.counts.count"),
    rows: presented
      ? activeCountRows(presented.counts, language).map((row) => ({
          label: row.label,
          value: countText(row.value, language),
          parts: row.parts.map(([label, value]) => ({ label, value: countText(value, language) })),
        }))
      : [],
  };
}

/** One dimension's findings, as the page opens with them: gaps first, then no clear difference. */
export interface DimensionFindings {
  heading: string;
  /** One sentence per flagged group, with its shares and the index's interval. */
  gaps: string[];
  /** Groups whose index interval includes 1: no clear difference from their share. */
  noClearDifference: string[];
  /** Groups clearly but only slightly off their share (index within 0.8–1.25, not flagged). */
  small: string[];
  /** The overall test in one sentence. */
  test: string;
}

export interface GapsPageModel {
  asOf: string;
  /** Whether there are enough users to conclude anything, and why not. */
  sufficiency: DataSufficiency;
  findingsByDimension: DimensionFindings[];
  /** Priority areas, one sentence each, by name. */
  areaFindings: string[];
  /** The strongest clear correlations in words (at most three); the rest go in correlationTable. */
  strongCorrelations: string[];
  correlationTable: Array<{ characteristic: string; r: string; p: string; clear: string }>;
  activeRule: ActiveRuleView;
  ranOn: string;
  geography: string;
  serviceArea: {
    population: string;
    users: string;
    penetration: string;
    areas: number;
    name: string | null;
  };
  findings: string[];
  dimensions: DimensionView[];
  skipped: string[];
  areasChart: ChartTable;
  areas: Array<{
    rank: string;
    name: string;
    geoid: string;
    population: string;
    users: string;
    penetration: string;
    interval: string;
    nonUsers: string;
    priority: boolean;
    unreliable: boolean;
    reliabilityUnknown: boolean;
  }>;
  /** What the intervals include, the flag rule, reliability, multiple comparisons: said once. */
  methods: { heading: string; sentences: string[]; areaUnknown: string };
  priorityRule: string;
  changes: {
    previousAsOf: string;
    groups: Array<{ group: string; before: string; now: string; change: string; flag: string }>;
    areas: Array<{ area: string; before: string; now: string; change: string; priority: string }>;
    notes: string[];
  } | null;
}

const signed = (v: number | null, digits: number) =>
  v === null ? "–" : `${v > 0 ? "+" : ""}${v.toFixed(digits)}`;

const STRONG_CORRELATIONS = 3;

/**
 * A readable name for an area: its census name, else "Tract 9804.01", "Block group 2, tract
 * 9804.01", "ZIP 94110" or "Area 11" built from the code, never a bare number.
 */
export function areaLabel(name: string, geoid: string): string {
  // ACS names carry the county and state ("Census Tract 32; Riverbend County; Demo State").
  if (name && name !== geoid) return (name.split(/[;,]/)[0] ?? name).trim().replace(/^Census /, "");
  const tract = /^\d{5}(\d{4})(\d{2})(\d)?$/.exec(geoid);
  if (tract) {
    const number = `${Number(tract[1])}${tract[2] === "00" ? "" : `.${tract[2]}`}`;
    return tract[3] ? `Block group ${tract[3]}, tract ${number}` : `Tract ${number}`;
  }
  if (/^\d{5}$/.test(geoid)) return `ZIP ${geoid}`;
  return /^\d+$/.test(geoid) ? `Area ${geoid}` : geoid;
}

function dimensionFindings(d: PresentedDimension): DimensionFindings {
  const label = d.dimension === "language" ? "home language" : d.dimension;
  const gaps: string[] = [];
  const none: string[] = [];
  const small: string[] = [];
  for (const g of d.groups) {
    if (g.suppressed || g.representationIndex === null) continue;
    const interval = g.representationIndexInterval;
    const ri = `representation index ${ratio(g.representationIndex)}${interval ? ` (95% interval ${ratio(interval[0])}–${ratio(interval[1])})` : ""}`;
    if (g.flag) {
      gaps.push(
        `${g.category}: ${pct(g.userShare)} of active users against ${pct(g.communityShare)} of residents, ${g.flag === "under" ? "fewer" : "more"} than their share; ${ri}.`,
      );
    } else {
      const short = `${g.category} ${ratio(g.representationIndex)}${interval ? ` (${ratio(interval[0])}–${ratio(interval[1])})` : ""}`;
      if (!interval || (interval[0] <= 1 && interval[1] >= 1)) none.push(short);
      else small.push(short);
    }
  }
  return {
    heading: `By ${label}`,
    gaps,
    noClearDifference: none,
    small,
    test: d.chiSquare
      ? `Overall, active users' ${label} mix ${d.chiSquare.pValue < 0.05 ? "differs from" : "is consistent with"} the community's (chi-square ${d.chiSquare.statistic.toFixed(1)}, df ${d.chiSquare.df}, ${formatPValue(d.chiSquare.pValue)}).`
      : `No overall test${d.chiSquareNote ? `: ${d.chiSquareNote}` : "."}`,
  };
}

/**
 * @param report the presented report
 * @param language for the active-user rule, the methods note and reliability words (staff pages
 *   are English; the text report and tests use others)
 */
export function gapsPage(report: UsageGapReport, language = DEFAULT_LANGUAGE): GapsPageModel {
  const t = translator(language);
  const doc = report.document;
  const lowest = doc.areas.filter((a) => a.penetrationPer1000 !== null).slice(0, 25);
  const clear = doc.correlations
    .filter((c) => c.adjustedPValue !== null && c.adjustedPValue < 0.05)
    .sort((a, b) => Math.abs(b.pearson?.r ?? 0) - Math.abs(a.pearson?.r ?? 0));
  const strong = clear.slice(0, STRONG_CORRELATIONS);
  return {
    asOf: report.asOf,
    sufficiency: dataSufficiency(doc),
    findingsByDimension: doc.dimensions.map(dimensionFindings),
    areaFindings: doc.areas
      .filter((a) => a.priority && !a.suppressed && a.penetrationPer1000 !== null)
      .sort((a, b) => (b.nonUsers ?? 0) - (a.nonUsers ?? 0))
      .map(
        (a) =>
          `${areaLabel(a.name, a.geoid)}: ${per1000(a.penetrationPer1000)} active users per 1,000 residents${a.penetrationInterval ? ` (95% interval ${per1000(a.penetrationInterval[0])}–${per1000(a.penetrationInterval[1])})` : ""}, against ${per1000(doc.serviceArea.areaRatePer1000)} per 1,000 across the service area; about ${a.nonUsers === null ? "–" : integer.format(a.nonUsers)} residents are not active users.`,
      ),
    strongCorrelations: strong.map((c) => c.summary),
    correlationTable: doc.correlations
      .filter((c) => !strong.includes(c))
      .map((c) => ({
        characteristic: `${c.dimension}: ${c.category}`,
        r: c.pearson ? c.pearson.r.toFixed(2) : "–",
        p: c.adjustedPValue === null ? (c.insufficientData ?? "–") : formatPValue(c.adjustedPValue),
        clear:
          c.adjustedPValue !== null && c.adjustedPValue < 0.05 ? "Clear" : "No clear relationship",
      })),
    activeRule: activeRuleView(doc.activeRule, language),
    ranOn: report.createdAt.slice(0, 10),
    geography: report.options.geography,
    serviceArea: {
      name: doc.serviceArea.name,
      population: shownCount(doc.serviceArea.population),
      users: shownCount(doc.serviceArea.users),
      penetration: per1000(doc.serviceArea.penetrationPer1000),
      areas: doc.serviceArea.areas,
    },
    findings: doc.findings,
    dimensions: doc.dimensions.map((d) => dimensionView(d, t)),
    skipped: doc.skippedDimensions.map((s) => `${s.dimension}: ${s.reason}`),
    areasChart: {
      id: "gap-areas",
      title: "Active users per 1,000 residents, lowest first",
      caption: `The ${lowest.length} areas with the lowest use; the service area's rate is ${per1000(doc.serviceArea.areaRatePer1000)} per 1,000.`,
      kind: "bar",
      horizontal: true,
      categoryLabel: "Area",
      series: ["Users per 1,000 residents", "Estimated non-users"],
      plot: [0],
      rows: lowest.map((a) => ({
        label: `${areaLabel(a.name, a.geoid)}${a.priority ? " (priority)" : ""}`,
        cells: [
          cell(per1000(a.penetrationPer1000), a.penetrationPer1000),
          cell(a.nonUsers === null ? "–" : integer.format(a.nonUsers)),
        ],
      })),
    },
    areas: doc.areas.map((a) => ({
      rank: a.rank === null ? "–" : String(a.rank),
      name: areaLabel(a.name, a.geoid),
      geoid: a.geoid,
      population: shownCount(a.population),
      users: shownCount(a.users),
      penetration: per1000(a.penetrationPer1000),
      interval: a.penetrationInterval
        ? `${per1000(a.penetrationInterval[0])}–${per1000(a.penetrationInterval[1])}`
        : "–",
      nonUsers: a.nonUsers === null ? "–" : integer.format(a.nonUsers),
      priority: a.priority && !a.suppressed,
      unreliable: a.reliable === false,
      reliabilityUnknown: a.reliable === null && a.suppression.population === null,
    })),
    methods: {
      heading: t("gaps.methods.heading"),
      sentences: gapMethodsNote(doc, t),
      areaUnknown: t("gaps.methods.areaUnknown"),
    },
    priorityRule: doc.priorityRule,
    changes: doc.changes
      ? {
          previousAsOf: doc.changes.previous.asOf,
          groups: doc.changes.groups
            .filter(
              (g) => g.representationIndex.previous !== null || g.flag.previous !== g.flag.current,
            )
            .map((g) => ({
              group: `${g.dimension}: ${g.category}`,
              before: ratio(g.representationIndex.previous),
              now: ratio(g.representationIndex.current),
              change: signed(g.representationIndex.change, 2),
              flag:
                g.flag.previous === g.flag.current
                  ? g.flag.current
                    ? `Still ${FLAG_TEXT[g.flag.current].toLowerCase()}`
                    : ""
                  : `${g.flag.previous ? FLAG_TEXT[g.flag.previous] : "Not flagged"} → ${g.flag.current ? FLAG_TEXT[g.flag.current] : "not flagged"}`,
            })),
          areas: doc.changes.areas
            .filter(
              (a) =>
                a.penetrationPer1000.change !== null || a.priority.previous !== a.priority.current,
            )
            .map((a) => ({
              area: areaLabel(a.name, a.geoid),
              before: per1000(a.penetrationPer1000.previous),
              now: per1000(a.penetrationPer1000.current),
              change: signed(a.penetrationPer1000.change, 0),
              priority:
                a.priority.previous === a.priority.current
                  ? a.priority.current
                    ? "Still a priority area"
                    : ""
                  : a.priority.current
                    ? "Became a priority area"
                    : a.priority.previous
                      ? "No longer a priority area"
                      : "",
            })),
          notes: doc.changes.notes,
        }
      : null,
  };
}
