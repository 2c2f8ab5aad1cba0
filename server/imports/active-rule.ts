// Who counts as an active user (DESIGN.md, "Patron export mapping"): the rule that a mapping and
// an as-of date define, the decisions the patron import makes with it (one implementation, used by
// the single pass and by every worker thread through PatronCube), and the one sentence, with the
// counts it produced, that every report of the analysis states it in.
//
// The rule:
//  - only the activity columns decide: a last-activity date, a year (with an optional month
//    column), or a flag;
//  - a registration counts as activity only when the mapping says "registrationCountsAsActivity":
//    true (a new card with no loan yet is then "active");
//  - the period is the activeWithinMonths months that end with the as-of date; with a month
//    column, the activeWithinMonths calendar months that end with the as-of month;
//  - a year given without a month counts only when all of it up to the as-of date lies in the
//    period (the activity certainly fell in it); "partialYearCountsAsActive": true counts a year
//    that overlaps the period at all;
//  - values meaning "never" (blank, "None", "Never", "N/A", "0000", "00/00/0000"…) mean a
//    registered patron who was never active, not a bad row.
import { translator } from "../i18n/messages.ts";
import type { ActiveCounts, ActiveRule } from "../queries/imports.ts";
import {
  type CalendarDate,
  dateKey,
  formatIsoDate,
  monthIndex,
  parseIsoDate,
  windowStart,
} from "./dates.ts";
import { DEFAULT_ACTIVE_VALUES, type Mapping } from "./mapping.ts";

/** A patron's activity, as the import classifies it. */
export const ACTIVITY = { inactive: 0, active: 1, never: 2 } as const;
/** Returned by the window tests for activity after the as-of date (the row is rejected). */
export const AFTER_AS_OF = -1;

/** How ILSs write "no date": Sierra's "  -  -    ", "00/00/0000", "0000-00-00 00:00:00", "0". */
const ZERO_DATE = /^[\s\-/.:0]*$/;
/** Words exports use for "never" (compared in lower case, trimmed). */
const NEVER_WORDS = new Set([
  "none",
  "never",
  "never active",
  "not active",
  "no activity",
  "n/a",
  "na",
  "null",
  "nil",
  "—",
]);

/**
 * Whether a date or year value means "no activity at all": blank, a zero date, or a word such as
 * "None", "Never" or "N/A" (case ignored).
 */
export function meansNever(text: string): boolean {
  const value = text.trim();
  return ZERO_DATE.test(value) || NEVER_WORDS.has(value.toLowerCase());
}

/** Whether a flag value means "no activity at all": blank or a "never" word (not "0": a flag's no). */
export function flagMeansNever(text: string): boolean {
  const value = text.trim();
  return value === "" || NEVER_WORDS.has(value.toLowerCase());
}

/** The first day of the period: the window's, or the first day of its first month. */
function periodStart(asOf: CalendarDate, months: number, byMonth: boolean): CalendarDate {
  if (!byMonth) return windowStart(asOf, months);
  const index = monthIndex(asOf.year, asOf.month) - months + 1;
  return { year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 };
}

/** The rule a mapping and an as-of date define. */
export function activeRuleOf(mapping: Mapping, asOf: CalendarDate): ActiveRule {
  const { activity } = mapping;
  const byMonth = activity.as === "year" && activity.monthColumn !== undefined;
  return {
    asOf: formatIsoDate(asOf),
    from: formatIsoDate(periodStart(asOf, mapping.activeWithinMonths, byMonth)),
    months: mapping.activeWithinMonths,
    activity: activity.as,
    activityColumn: activity.column,
    monthColumn: activity.monthColumn ?? null,
    activeValues: activity.as === "flag" ? (activity.activeValues ?? DEFAULT_ACTIVE_VALUES) : null,
    partialYearCountsAsActive: mapping.partialYearCountsAsActive,
    registrationCountsAsActivity: mapping.registrationCountsAsActivity,
    registrationColumn: mapping.registered?.column ?? null,
  };
}

/** The period as comparable keys, for the import's per-value decisions. */
export class ActivePeriod {
  private readonly fromKey: number;
  private readonly asOfKey: number;
  private readonly asOfYear: number;
  private readonly firstMonth: number;
  private readonly lastMonth: number;
  private readonly partialYear: boolean;

  constructor(rule: ActiveRule) {
    const from = parseIsoDate(rule.from) as CalendarDate;
    const asOf = parseIsoDate(rule.asOf) as CalendarDate;
    this.fromKey = dateKey(from);
    this.asOfKey = dateKey(asOf);
    this.asOfYear = asOf.year;
    this.lastMonth = monthIndex(asOf.year, asOf.month);
    this.firstMonth = this.lastMonth - rule.months + 1;
    this.partialYear = rule.partialYearCountsAsActive;
  }

  /** A day as YYYYMMDD (dateKey): active, inactive, or AFTER_AS_OF. */
  day(key: number): number {
    if (key > this.asOfKey) return AFTER_AS_OF;
    return key >= this.fromKey ? ACTIVITY.active : ACTIVITY.inactive;
  }

  /** A calendar month (1–12) of a year: active when it is one of the period's months. */
  month(year: number, month: number): number {
    const index = monthIndex(year, month);
    if (index > this.lastMonth) return AFTER_AS_OF;
    return index >= this.firstMonth ? ACTIVITY.active : ACTIVITY.inactive;
  }

  /**
   * A year with no month: active when all of it up to the as-of date lies in the period (1 January
   * on or after its first day), or, with partialYearCountsAsActive, when any of it does.
   */
  year(year: number): number {
    if (year > this.asOfYear) return AFTER_AS_OF;
    const counts = this.partialYear
      ? year >= Math.floor(this.fromKey / 10_000)
      : year * 10_000 + 101 >= this.fromKey;
    return counts ? ACTIVITY.active : ACTIVITY.inactive;
  }
}

/** The counts of an import, from what the patron cube tallied. */
export function activeCounts(cube: {
  rowsRead: number;
  rowsAccepted: number;
  rowsActive: number;
  rowsNeverActive: number;
  excluded: Record<string, number>;
  rejected: Record<string, { count: number }>;
}): ActiveCounts {
  return {
    rowsRead: cube.rowsRead,
    excluded: { ...cube.excluded },
    rejected: Object.fromEntries(Object.entries(cube.rejected).map(([k, v]) => [k, v.count])),
    registered: cube.rowsAccepted,
    active: cube.rowsActive,
    inactive: cube.rowsAccepted - cube.rowsActive - cube.rowsNeverActive,
    neverActive: cube.rowsNeverActive,
  };
}

/** English dates read "1 Aug 2015" (day first, as the issue and the reports write them). */
const DATE_LOCALE: Record<string, string> = { en: "en-GB" };

function formatDay(iso: string, language: string): string {
  const date = parseIsoDate(iso) as CalendarDate;
  return new Intl.DateTimeFormat(DATE_LOCALE[language] ?? language, {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(date.year, date.month - 1, date.day)));
}

/**
 * The rule in one sentence, in a language of the message catalogues: the only place it is
 * worded. "Active = activity recorded in “Circulation Active Year” and “Circulation Active
 * Month” between 1 Aug 2015 and 31 Jul 2016; a year given without a month counts only if all of
 * it up to 31 Jul 2016 lies in that period; registrations alone do not count."
 */
export function activeRuleSentence(rule: ActiveRule, language = "en"): string {
  const t = translator(language);
  const from = formatDay(rule.from, language);
  const to = formatDay(rule.asOf, language);
  const quoted = (name: string) => t("activeRule.column", { name });
  const columns =
    rule.monthColumn === null
      ? quoted(rule.activityColumn)
      : t("activeRule.columnAnd", {
          first: quoted(rule.activityColumn),
          second: quoted(rule.monthColumn),
        });
  const clauses = [
    rule.activity === "flag"
      ? t("activeRule.flag", {
          columns,
          values: (rule.activeValues ?? []).map(quoted).join(", "),
        })
      : t("activeRule.period", { columns, from, to }),
  ];
  if (rule.activity === "year") {
    clauses.push(
      rule.partialYearCountsAsActive
        ? t("activeRule.yearOverlap")
        : t("activeRule.yearWhole", { to }),
    );
  }
  clauses.push(
    rule.registrationCountsAsActivity
      ? t("activeRule.registrationsIncluded", { from, to })
      : t("activeRule.registrationsExcluded"),
  );
  const text = clauses.reduce((first, second) => t("activeRule.join", { first, second }));
  return t("activeRule.end", { text });
}

/** The counts with the totals of exclusions and rejections, as numbers or as shown ("<10"). */
export interface CountsWithTotals<T> {
  rowsRead: T;
  excludedTotal: T;
  excluded: Record<string, T>;
  rejectedTotal: T;
  rejected: Record<string, T>;
  registered: T;
  active: T;
  inactive: T;
  neverActive: T;
}

export interface CountRow<T> {
  key: "rowsRead" | "excluded" | "rejected" | "registered" | "active" | "inactive" | "neverActive";
  label: string;
  value: T;
  /** By reason (exclusions, rejections). */
  parts: [string, T][];
}

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

/** The counts with their totals of exclusions and rejections. */
export function withTotals(counts: ActiveCounts): CountsWithTotals<number> {
  return { ...counts, excludedTotal: sum(counts.excluded), rejectedTotal: sum(counts.rejected) };
}

/** The counts, labelled in a language, in the order the reports list them. */
export function activeCountRows<T>(counts: CountsWithTotals<T>, language = "en"): CountRow<T>[] {
  const t = translator(language);
  const row = (key: CountRow<T>["key"], value: T, parts: [string, T][] = []): CountRow<T> => ({
    key,
    label: t(`activeRule.counts.${key}`),
    value,
    parts,
  });
  return [
    row("rowsRead", counts.rowsRead),
    row("excluded", counts.excludedTotal, Object.entries(counts.excluded)),
    row("rejected", counts.rejectedTotal, Object.entries(counts.rejected)),
    row("registered", counts.registered),
    row("active", counts.active),
    row("inactive", counts.inactive),
    row("neverActive", counts.neverActive),
  ];
}

/** A count as text: a number with separators, or what is shown in its place ("<10"). */
export function countText(value: number | string, language = "en"): string {
  return typeof value === "number" ? new Intl.NumberFormat(language).format(value) : value;
}

/** The counts as plain-text lines (CLI reports): "Rows read 1,000", "Excluded 20", "  rule: 20"… */
export function activeCountsLines(
  counts: ActiveCounts | CountsWithTotals<number | string>,
  language = "en",
): string[] {
  const full = "excludedTotal" in counts ? counts : withTotals(counts);
  return activeCountRows<number | string>(full, language).flatMap(({ label, value, parts }) => [
    `${label} ${countText(value, language)}`,
    ...parts.map(([part, n]) => `  ${part}: ${countText(n, language)}`),
  ]);
}
