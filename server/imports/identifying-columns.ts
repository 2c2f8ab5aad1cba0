// The guard that keeps patron-identifying values out of the patron cube's category columns
// (DESIGN.md, "Privacy and safety rules"). The patron import stores the text of the language,
// patronType and branch columns verbatim as categories, so a mapping that points one of them at
// a name, e-mail, phone, card-number, address or birth-date column would store those values.
// The import profiles each category column while it reads the file (patron-cube.ts) and refuses
// the whole import here, before anything is stored, when a column:
//
//  1. holds a value that looks identifying and would be stored: an e-mail address, a phone
//     number, a library card or barcode number (8 digits or more), a street address or a date
//     (a category column holding dates holds birth dates or other personal dates). One such
//     value is enough: it would reach the database verbatim. Never overridable.
//     Values never stored verbatim (a language column keeps only values that look like a
//     language name; past the 509 values a column keeps, the rest are pooled as "other values")
//     are counted too, row by row, but alone refuse a column only when they are most (MOSTLY)
//     of its values: the mapping points at the wrong column.
//  2. has too many different values to be a category (names and ids are nearly unique):
//     more than MAX_DISTINCT; or more than MAX_SHARE of its rows once it has at least
//     SHARE_FROM_ROWS rows (fewer rows cannot be judged by a share: a 300-patron file with 20
//     branches is real); or, in a file too small for either rule, at least MIN_SINGLETONS values
//     that occur in one row only, making up more than half its values (what a column of names
//     looks like). Overridable per field with the mapping's "allowManyCategories" (CLI
//     --allow-many-categories, a checkbox on /staff/imports), which the import writes to the
//     audit log with who allowed which column.
//
// Memory stays bounded: a profile is built from the cube's own value dictionaries (at most 509
// values per column; the rest pooled), and values never stored are tallied by kind, not kept.
//
// Geographies (ZIP, tract) and ages are not category columns here: a geography is reduced to a
// known area code and an age (even from a birth date) to an age band before anything is kept.
// The messages count values and never quote one.
import { InputError } from "../errors.ts";
import { translator } from "../i18n/messages.ts";
import { parseDate } from "./dates.ts";

/** The mapping fields whose values are stored as category text. */
export const CATEGORY_FIELDS = ["language", "patronType", "branch"] as const;
export type CategoryField = (typeof CATEGORY_FIELDS)[number];

export const IDENTIFYING_KINDS = ["email", "phone", "card", "address", "date"] as const;
export type IdentifyingKind = (typeof IDENTIFYING_KINDS)[number];

/** Thresholds of rule 2 (documented in the README's Privacy section). */
export const MAX_DISTINCT = 200;
export const MAX_SHARE = 0.05;
export const SHARE_FROM_ROWS = 1_000;
export const MIN_SINGLETONS = 20;
/** Share of a language column's values that must look identifying to refuse it (rule 1). */
export const MOSTLY = 0.5;

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[A-Za-z]{2,}$/;
/** North American numbers, with or without +1 and an extension; "555-1234"; "+" international. */
const PHONE = [
  /^(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?:\s*(?:x|ext\.?)\s*\d{1,5})?$/i,
  /^\d{3}[\s.-]\d{4}$/,
  /^\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}$/,
];
/** Digits with optional spaces or hyphens: card numbers and barcodes (Sierra's are 14 digits). */
const CARD = /^\d[\d\s-]*\d$/;
const STREET =
  "(?:street|st|avenue|ave|av|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl|terrace|ter|circle|cir|highway|hwy|parkway|pkwy|square|sq|trail|trl|plaza|alley|route|rte)";
/** "742 Evergreen Terrace", "221B Baker Street", "4500 W. Oak Ave, Apt 3"; not "5th Street Branch". */
const ADDRESS = new RegExp(
  `^\\d+[a-z]?(?:-\\d+)?\\s+(?:[\\p{L}\\d'.-]+\\s+){0,5}${STREET}\\.?(?:\\s*,.*|\\s+(?:apt|apartment|unit|suite|ste|#|no\\.?)\\s*\\S.*)?$`,
  "iu",
);
const PO_BOX = /^(?:p\.?\s*o\.?\s*box|post office box)\s*\d+/i;
/** Dates with a two-digit year, which parseDate does not read: 03/12/85. */
const SHORT_YEAR_DATE = /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/;

const digitCount = (text: string) => text.replace(/\D/g, "").length;

/** What kind of identifying value `value` looks like, or null for an ordinary category value. */
export function identifyingKind(value: string): IdentifyingKind | null {
  const text = value.trim();
  if (text === "") return null;
  if (EMAIL.test(text)) return "email";
  if (parseDate(text, "mdy") || parseDate(text, "dmy") || SHORT_YEAR_DATE.test(text)) return "date";
  const digits = digitCount(text);
  if (digits >= 7 && digits <= 15 && PHONE.some((pattern) => pattern.test(text))) return "phone";
  // Separated groups need 10 digits, so "2024-2025" stays a category.
  if (CARD.test(text) && digits >= (/^\d+$/.test(text) ? 8 : 10)) return "card";
  if (ADDRESS.test(text) || PO_BOX.test(text)) return "address";
  return null;
}

/** Counts of rows by identifying kind. */
export type KindCounts = Partial<Record<IdentifyingKind, number>>;

/** Adds `rows` rows of `value` to `counts` when it looks identifying. */
export function countIdentifying(counts: KindCounts, value: string, rows = 1): void {
  const kind = identifyingKind(value);
  if (kind) counts[kind] = (counts[kind] ?? 0) + rows;
}

/** What the import saw in one category column: the values it would store, and how often. */
export interface CategoryColumnProfile {
  field: CategoryField;
  column: string;
  /** Rows with a value in the column (blank values are not counted). */
  rows: number;
  /** Different values the import would store. */
  distinct: number;
  /** True when the column had more values than the import keeps (the rest are pooled). */
  overflowed: boolean;
  /** Stored values that occur in one row only. */
  singletons: number;
  /** Rows whose stored value looks identifying, by kind. */
  stored: KindCounts;
  /** Rows whose value is never stored (a language column's non-language values), by kind. */
  unstored: KindCounts;
}

/** Builds a column's profile from its stored values with their row counts. */
export function profileColumn(
  field: CategoryField,
  column: string,
  values: Iterable<[value: string, rows: number]>,
  extra: { rows: number; overflowed: boolean; unstored?: KindCounts },
): CategoryColumnProfile {
  const profile: CategoryColumnProfile = {
    field,
    column,
    rows: extra.rows,
    distinct: 0,
    overflowed: extra.overflowed,
    singletons: 0,
    stored: {},
    unstored: { ...extra.unstored },
  };
  for (const [value, rows] of values) {
    if (rows <= 0) continue;
    profile.distinct++;
    if (rows === 1) profile.singletons++;
    countIdentifying(profile.stored, value, rows);
  }
  return profile;
}

/** Why a column is refused (or would be, without the override). */
export type Finding = {
  field: CategoryField;
  column: string;
  total: number;
} & (
  | { rule: "pattern"; kind: IdentifyingKind; count: number }
  | { rule: "many"; distinct: number; overflowed: boolean }
  | { rule: "share"; distinct: number }
  | { rule: "unique"; distinct: number; singletons: number }
);

function largest(counts: KindCounts): [IdentifyingKind, number] | null {
  let best: [IdentifyingKind, number] | null = null;
  for (const kind of IDENTIFYING_KINDS) {
    const n = counts[kind] ?? 0;
    if (n > 0 && (!best || n > best[1])) best = [kind, n];
  }
  return best;
}

/** The finding of one column, or null when it is an ordinary category column. */
export function judgeColumn(profile: CategoryColumnProfile): Finding | null {
  const { field, column, rows: total } = profile;
  // One stored value is enough; values never stored count only when they are most of the column.
  const both: KindCounts = {};
  for (const kind of IDENTIFYING_KINDS) {
    const n = (profile.stored[kind] ?? 0) + (profile.unstored[kind] ?? 0);
    if (n > 0) both[kind] = n;
  }
  const found = largest(both);
  if (found && (largest(profile.stored) || found[1] >= MOSTLY * total))
    return { field, column, total, rule: "pattern", kind: found[0], count: found[1] };
  const { distinct } = profile;
  if (distinct > MAX_DISTINCT || profile.overflowed)
    return { field, column, total, rule: "many", distinct, overflowed: profile.overflowed };
  if (total >= SHARE_FROM_ROWS && distinct > MAX_SHARE * total)
    return { field, column, total, rule: "share", distinct };
  if (profile.singletons >= MIN_SINGLETONS && profile.singletons > distinct / 2)
    return { field, column, total, rule: "unique", distinct, singletons: profile.singletons };
  return null;
}

type Translate = (key: string, params?: Record<string, string | number>) => string;

/** One finding as a sentence in the language of `t`, numbers formatted for `locale`. */
export function describeFinding(finding: Finding, t: Translate, locale = "en"): string {
  const number = (n: number) => n.toLocaleString(locale);
  const params = { column: finding.column, field: finding.field, total: number(finding.total) };
  let reason: string;
  let advice: string;
  switch (finding.rule) {
    case "pattern":
      reason = t(`imports.identifying.${finding.kind}`, {
        ...params,
        count: number(finding.count),
      });
      advice = t("imports.identifying.advice.pattern", params);
      break;
    case "many":
      reason = t(finding.overflowed ? "imports.identifying.tooMany" : "imports.identifying.many", {
        ...params,
        distinct: number(finding.distinct),
        max: number(MAX_DISTINCT),
      });
      advice = t("imports.identifying.advice.many", params);
      break;
    case "share":
      reason = t("imports.identifying.share", {
        ...params,
        distinct: number(finding.distinct),
        share: MAX_SHARE.toLocaleString(locale, { style: "percent" }),
      });
      advice = t("imports.identifying.advice.many", params);
      break;
    case "unique":
      reason = t("imports.identifying.unique", {
        ...params,
        distinct: number(finding.distinct),
        singletons: number(finding.singletons),
      });
      advice = t("imports.identifying.advice.many", params);
      break;
  }
  return t("imports.identifying.refused", { ...params, reason, advice });
}

/** The report's note on a column let through by the allowManyCategories override (English). */
export function describeAllowed(finding: Finding): string {
  const t = translator("en");
  return t("imports.identifying.allowed", {
    column: finding.column,
    field: finding.field,
    distinct: ("distinct" in finding ? finding.distinct : 0).toLocaleString("en"),
  });
}

/** The whole import is refused: one or more category columns look identifying. */
export class IdentifyingColumnError extends InputError {
  constructor(
    readonly findings: Finding[],
    file: string,
  ) {
    super(findings.map((f) => describeFinding(f, translator("en"))).join(" "), { file });
    this.name = "IdentifyingColumnError";
  }
}

/**
 * Refuses the import (throws IdentifyingColumnError, naming every refused column) unless every
 * category column passes; returns the columns let through by the allowManyCategories override,
 * for the audit log. Pattern findings are refused whatever the override says.
 */
export function checkCategoryColumns(
  profiles: readonly CategoryColumnProfile[],
  allowMany: readonly CategoryField[],
  file: string,
): Finding[] {
  const refused: Finding[] = [];
  const allowed: Finding[] = [];
  for (const profile of profiles) {
    const finding = judgeColumn(profile);
    if (!finding) continue;
    if (finding.rule !== "pattern" && allowMany.includes(finding.field)) allowed.push(finding);
    else refused.push(finding);
  }
  if (refused.length) throw new IdentifyingColumnError(refused, file);
  return allowed;
}
