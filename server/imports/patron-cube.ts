// Turns patron export rows into the aggregated cube stored in patron_counts:
// area × age band × language × patron type × branch × active → patrons, checkouts.
//
// Nothing identifying leaves a row: a birth date becomes an age band at once, a ZIP+4 a 5-digit
// ZIP, and columns the mapping does not name are never read. Only the cube is kept.
//
// Rules (see DESIGN.md "Patron export mapping"):
//  - exclusion rules are checked first; an excluded row is counted by rule, nothing else;
//  - a value that cannot be read (a bad date, a bad number, an age range that is not one) or
//    that contradicts the as-of date (a birth or activity after it) rejects the row, counted by
//    reason with its line numbers;
//  - a blank value, or a readable value outside the known categories (a language Open Door does
//    not recognise, an age over 110), keeps the row with that field unknown, and is reported;
//  - a blank, malformed or not-imported geography keeps the row in the "unknown area".
// Active: the activity falls within the activeWithinMonths months that end with the as-of
// date; with month granularity, the activity month is one of the activeWithinMonths calendar
// months ending with the as-of month; with a year only, the year overlaps that window. A
// registration date in the window also counts as activity (a new patron with no loan yet).
//
// Hot path: every field's raw text is resolved once into a small integer code (Map cache), and
// the cube is a Map from the codes to a cell, so a row costs a few Map lookups.
import {
  AGE_BANDS,
  ageBandIndex,
  formatAgeBand,
  MAX_PLAUSIBLE_AGE,
  parseAgeLabel,
} from "./age-bands.ts";
import {
  ageOn,
  type CalendarDate,
  DATE_EXPECTED,
  dateKey,
  formatIsoDate,
  monthIndex,
  parseDate,
  parseMonth,
  windowStart,
} from "./dates.ts";
import { normalisePatronGeography, type PatronGeographyKind } from "./geography.ts";
import { languageGroupOf } from "./languages.ts";
import { DEFAULT_ACTIVE_VALUES, describeExcludeRule, type Mapping } from "./mapping.ts";
import { RejectionLog } from "./report.ts";

/** One row of patron_counts. */
export interface PatronCell {
  geoid: string | null;
  ageBand: string | null;
  ageLo: number | null;
  ageHi: number | null;
  language: string | null;
  patronType: string | null;
  branch: string | null;
  active: boolean;
  count: number;
  checkouts: number | null;
}

export interface CubeResult {
  cells: PatronCell[];
  rowsRead: number;
  rowsAccepted: number;
  rowsActive: number;
  rowsExcluded: number;
  excluded: Record<string, number>;
  rejections: RejectionLog;
  unknownCategories: Record<string, Record<string, number>>;
  unknownArea: {
    total: number;
    blank: number;
    malformed: number;
    notImported: number;
    notMapped: number;
  };
  window: { from: string; to: string };
}

interface Rejection {
  reason: string;
  column: string;
  expected?: string;
}

const NULL_CODE = -1;
const CACHE_LIMIT = 200_000;
const TEXT_LIMIT = 80;

/** A dictionary of a dimension's output values; code = index. */
class Dimension<T> {
  readonly values: T[] = [];
  private readonly index = new Map<string, number>();
  code(key: string, make: () => T): number {
    let code = this.index.get(key);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(make());
      this.index.set(key, code);
    }
    return code;
  }
}

/**
 * Resolves a field's raw text into a code: ≥ 0 a dimension value, NULL_CODE unknown/blank, and
 * ≤ -2 a rejection (index -code-2 in `rejections`). Results are cached per raw text.
 */
class Resolver {
  private readonly cache = new Map<string, number>();
  readonly rejections: Rejection[] = [];
  private readonly rejectionCodes = new Map<string, number>();
  constructor(private readonly compute: (raw: string, resolver: Resolver) => number) {}

  resolve(raw: string): number {
    let code = this.cache.get(raw);
    if (code === undefined) {
      code = this.compute(raw, this);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(raw, code);
    }
    return code;
  }

  reject(reason: string, column: string, expected?: string): number {
    const key = `${reason}\u0000${column}`;
    let code = this.rejectionCodes.get(key);
    if (code === undefined) {
      this.rejections.push({ reason, column, expected });
      code = -this.rejections.length - 1;
      this.rejectionCodes.set(key, code);
    }
    return code;
  }

  rejection(code: number): Rejection {
    return this.rejections[-code - 2] as Rejection;
  }
}

interface GeoValue {
  geoid: string | null;
  status: "known" | "blank" | "malformed" | "notImported" | "notMapped";
  value: string;
}
interface AgeValue {
  label: string | null;
  lo: number | null;
  hi: number | null;
  unknown?: string;
}
interface TextValue {
  value: string | null;
  unknown?: string;
}

const YEAR = /^\d{4}$/;
/** How ILSs write "no date": Sierra's "  -  -    ", "00/00/0000", "0000-00-00 00:00:00", "0". */
const BLANK_DATE = /^[\s\-/.:0]*$/;
const WHOLE = /^\d+$/;

/** Values that look like a language name; anything else is not stored as one (privacy guard). */
const LANGUAGE_LIKE = /^[\p{L}\p{M}][\p{L}\p{M} ()'.,\-/]{0,39}$/u;

export interface CubeOptions {
  mapping: Mapping;
  header: readonly string[];
  asOf: CalendarDate;
  /** Geoids a patron's geography may match (null when the mapping names no geography). */
  knownGeoids: ReadonlySet<string> | null;
}

export class PatronCube {
  private readonly columns: number;
  private readonly geo = new Dimension<GeoValue>();
  private readonly age = new Dimension<AgeValue>();
  private readonly language = new Dimension<TextValue>();
  private readonly patronType = new Dimension<TextValue>();
  private readonly branch = new Dimension<TextValue>();
  private readonly cells = new Map<string, { codes: number[]; count: number; checkouts: number }>();
  private readonly rejections = new RejectionLog();
  private readonly excludedCounts: number[];
  private rowsRead = 0;
  private rowsExcluded = 0;

  private readonly indexes: {
    geography: number;
    age: number;
    language: number;
    patronType: number;
    branch: number;
    activity: number;
    month: number;
    checkouts: number;
    registered: number;
  };
  private readonly excludeRules: { index: number; values: Set<string> }[];
  private readonly resolvers: {
    geography: Resolver;
    age: Resolver;
    language: Resolver;
    patronType: Resolver;
    branch: Resolver;
    activity: Resolver;
    registered: Resolver;
  };
  private readonly windowFrom: CalendarDate;

  constructor(private readonly options: CubeOptions) {
    const { mapping, header, asOf } = options;
    const at = (name: string | undefined) => (name === undefined ? -1 : header.indexOf(name));
    this.columns = header.length;
    this.indexes = {
      geography: at(mapping.geography?.column),
      age: at(mapping.age?.column),
      language: at(mapping.language?.column),
      patronType: at(mapping.patronType?.column),
      branch: at(mapping.branch?.column),
      activity: at(mapping.activity.column),
      month: at(mapping.activity.monthColumn),
      checkouts: at(mapping.checkouts?.column),
      registered: at(mapping.registered?.column),
    };
    this.excludeRules = mapping.exclude.map((rule) => ({
      index: header.indexOf(rule.column),
      values: new Set((rule.in ?? [rule.equals ?? ""]).map((v) => v.trim().toLowerCase())),
    }));
    this.excludedCounts = mapping.exclude.map(() => 0);
    this.windowFrom = windowStart(asOf, mapping.activeWithinMonths);
    this.resolvers = {
      geography: new Resolver((raw) => this.geographyCode(raw)),
      age: new Resolver((raw, r) => this.ageCode(raw, r)),
      language: new Resolver((raw) => this.languageCode(raw)),
      patronType: new Resolver((raw) => this.textCode(this.patronType, raw)),
      branch: new Resolver((raw) => this.textCode(this.branch, raw)),
      activity: new Resolver((raw, r) => this.activityCode(raw, r)),
      registered: new Resolver((raw, r) => this.registeredCode(raw, r)),
    };
  }

  // --- resolvers ------------------------------------------------------------------------------

  private geographyCode(raw: string): number {
    const kind = this.options.mapping.geography?.kind as PatronGeographyKind;
    const normalised = normalisePatronGeography(raw, kind);
    if (normalised === "")
      return this.geo.code("\u0000blank", () => ({ geoid: null, status: "blank", value: "" }));
    if (normalised === null) {
      return this.geo.code("\u0000malformed", () => ({
        geoid: null,
        status: "malformed",
        value: "",
      }));
    }
    if (this.options.knownGeoids?.has(normalised)) {
      return this.geo.code(normalised, () => ({
        geoid: normalised,
        status: "known",
        value: normalised,
      }));
    }
    return this.geo.code(`\u0000out:${normalised}`, () => ({
      geoid: null,
      status: "notImported",
      value: normalised,
    }));
  }

  private bandCode(age: number): number {
    const index = ageBandIndex(age);
    const band = AGE_BANDS[index];
    if (!band) return this.implausibleAge();
    return this.age.code(band.label, () => ({ label: band.label, lo: band.lo, hi: band.hi }));
  }

  private implausibleAge(): number {
    return this.age.code("\u0000implausible", () => ({
      label: null,
      lo: null,
      hi: null,
      unknown: `implausible age (over ${MAX_PLAUSIBLE_AGE})`,
    }));
  }

  private ageCode(raw: string, r: Resolver): number {
    const text = raw.trim();
    const { mapping, asOf } = this.options;
    const spec = mapping.age;
    if (text === "" || (spec?.as !== "years" && spec?.as !== "range" && BLANK_DATE.test(text))) {
      return NULL_CODE;
    }
    const column = spec?.column ?? "";
    switch (spec?.as) {
      case "birthDate": {
        const birth = parseDate(text, mapping.dateOrder);
        if (!birth) return r.reject("bad birth date", column, DATE_EXPECTED);
        if (dateKey(birth) > dateKey(asOf)) {
          return r.reject(
            "birth date after the as-of date",
            column,
            `a date on or before ${formatIsoDate(asOf)}`,
          );
        }
        return this.bandCode(ageOn(birth, asOf));
      }
      case "birthYear": {
        if (!YEAR.test(text)) return r.reject("bad birth year", column, "a four-digit year");
        const year = Number(text);
        if (year > asOf.year) {
          return r.reject("birth year after the as-of date", column, `a year up to ${asOf.year}`);
        }
        // Only the year is known: age as if born on 1 July (the middle of the year).
        return this.bandCode(Math.max(0, ageOn({ year, month: 7, day: 1 }, asOf)));
      }
      case "years": {
        if (!/^\d{1,3}(\.\d+)?$/.test(text))
          return r.reject("bad age", column, "an age in whole years");
        return this.bandCode(Math.floor(Number(text)));
      }
      case "range": {
        const range = parseAgeLabel(text);
        if (!range) {
          return r.reject(
            "unknown age range",
            column,
            'an age range such as "Under 5", "10 to 19 years", "18-24" or "65+"',
          );
        }
        const label = formatAgeBand(range.lo, range.hi);
        return this.age.code(label, () => ({ label, lo: range.lo, hi: range.hi }));
      }
      default:
        return NULL_CODE;
    }
  }

  private languageCode(raw: string): number {
    const text = raw.trim();
    if (text === "") return NULL_CODE;
    const own = this.options.mapping.language?.values;
    const mapped = own
      ? (own[text] ??
        Object.entries(own).find(([k]) => k.toLowerCase() === text.toLowerCase())?.[1])
      : undefined;
    const value = mapped ?? text;
    const group = languageGroupOf(value);
    if (group === null) return NULL_CODE;
    if (group !== undefined) return this.language.code(group, () => ({ value: group }));
    if (mapped !== undefined)
      return this.language.code(mapped, () => ({ value: mapped.slice(0, TEXT_LIMIT) }));
    if (!LANGUAGE_LIKE.test(text)) {
      return this.language.code("\u0000unreadable", () => ({
        value: null,
        unknown: "(values that do not look like a language name)",
      }));
    }
    return this.language.code(`\u0000${text}`, () => ({
      value: text.slice(0, TEXT_LIMIT),
      unknown: text,
    }));
  }

  private textCode(dimension: Dimension<TextValue>, raw: string): number {
    const text = raw.trim();
    if (text === "") return NULL_CODE;
    return dimension.code(text, () => ({ value: text.slice(0, TEXT_LIMIT) }));
  }

  /** 1 active, 0 not; rejections ≤ -2. */
  private activityCode(raw: string, r: Resolver): number {
    const { mapping, asOf } = this.options;
    const activity = mapping.activity;
    const column = activity.column;
    // With a month column the resolver is given "year\u0000month".
    const [yearText = "", monthText = ""] = raw.split("\u0000");
    const text = yearText.trim();
    if (activity.as === "flag") {
      const values = activity.activeValues ?? DEFAULT_ACTIVE_VALUES;
      return values.some((v) => v.trim().toLowerCase() === text.toLowerCase()) ? 1 : 0;
    }
    if (BLANK_DATE.test(text)) return 0;
    const after = () =>
      r.reject(
        "activity after the as-of date",
        column,
        `activity on or before the as-of date ${formatIsoDate(asOf)} (give a later --as-of)`,
      );
    if (activity.as === "date") {
      const date = parseDate(text, mapping.dateOrder);
      if (!date) return r.reject("bad activity date", column, DATE_EXPECTED);
      const key = dateKey(date);
      if (key > dateKey(asOf)) return after();
      return key >= dateKey(this.windowFrom) ? 1 : 0;
    }
    if (!YEAR.test(text)) return r.reject("bad activity year", column, "a four-digit year");
    const year = Number(text);
    const month = monthText.trim();
    if (activity.monthColumn !== undefined && month !== "") {
      const m = parseMonth(month);
      if (m === null) {
        return r.reject(
          "bad activity month",
          activity.monthColumn,
          "a month number 1–12 or an English month name",
        );
      }
      const index = monthIndex(year, m);
      const asOfIndex = monthIndex(asOf.year, asOf.month);
      if (index > asOfIndex) return after();
      return index > asOfIndex - mapping.activeWithinMonths ? 1 : 0;
    }
    if (year > asOf.year) return after();
    return year >= this.windowFrom.year ? 1 : 0;
  }

  /** 1 registered within the window, 0 not (or blank); rejections ≤ -2. */
  private registeredCode(raw: string, r: Resolver): number {
    const { mapping, asOf } = this.options;
    const spec = mapping.registered;
    const text = raw.trim();
    if (!spec || BLANK_DATE.test(text)) return 0;
    const after = `a registration on or before the as-of date ${formatIsoDate(asOf)}`;
    if (spec.as === "year") {
      if (!YEAR.test(text))
        return r.reject("bad registration year", spec.column, "a four-digit year");
      const year = Number(text);
      if (year > asOf.year) return r.reject("registered after the as-of date", spec.column, after);
      return year >= this.windowFrom.year ? 1 : 0;
    }
    const date = parseDate(text, mapping.dateOrder);
    if (!date) return r.reject("bad registration date", spec.column, DATE_EXPECTED);
    const key = dateKey(date);
    if (key > dateKey(asOf)) return r.reject("registered after the as-of date", spec.column, after);
    return key >= dateKey(this.windowFrom) ? 1 : 0;
  }

  // --- rows -----------------------------------------------------------------------------------

  /** Adds one data row of the export (`line`: its line number in the file). */
  add(record: readonly string[], line: number): void {
    this.rowsRead++;
    if (record.length !== this.columns) {
      this.rejections.reject(
        "wrong number of fields",
        line,
        undefined,
        `${this.columns} fields, as in the header (a quote may be missing)`,
      );
      return;
    }
    for (let i = 0; i < this.excludeRules.length; i++) {
      const rule = this.excludeRules[i] as { index: number; values: Set<string> };
      if (rule.values.has((record[rule.index] as string).trim().toLowerCase())) {
        this.excludedCounts[i] = (this.excludedCounts[i] ?? 0) + 1;
        this.rowsExcluded++;
        return;
      }
    }
    const { indexes: ix, resolvers: rv } = this;
    const activityRaw =
      ix.month >= 0
        ? `${record[ix.activity] as string}\u0000${record[ix.month] as string}`
        : (record[ix.activity] as string);
    let active = rv.activity.resolve(activityRaw);
    if (active <= -2) {
      this.reject(rv.activity, active, line);
      return;
    }
    if (ix.registered >= 0) {
      const registered = rv.registered.resolve(record[ix.registered] as string);
      if (registered <= -2) {
        this.reject(rv.registered, registered, line);
        return;
      }
      if (registered === 1) active = 1;
    }
    const age = ix.age >= 0 ? rv.age.resolve(record[ix.age] as string) : NULL_CODE;
    if (age <= -2) {
      this.reject(rv.age, age, line);
      return;
    }
    let checkouts = 0;
    if (ix.checkouts >= 0) {
      const raw = (record[ix.checkouts] as string).trim();
      if (raw !== "") {
        const digits = raw.includes(",") ? raw.replace(/,/g, "") : raw;
        if (!WHOLE.test(digits)) {
          this.rejections.reject(
            "bad checkouts",
            line,
            this.options.mapping.checkouts?.column,
            "a whole number ≥ 0",
          );
          return;
        }
        checkouts = Number(digits);
      }
    }
    const geo =
      ix.geography >= 0
        ? rv.geography.resolve(record[ix.geography] as string)
        : this.geo.code("\u0000notMapped", () => ({ geoid: null, status: "notMapped", value: "" }));
    const language =
      ix.language >= 0 ? rv.language.resolve(record[ix.language] as string) : NULL_CODE;
    const patronType =
      ix.patronType >= 0 ? rv.patronType.resolve(record[ix.patronType] as string) : NULL_CODE;
    const branch = ix.branch >= 0 ? rv.branch.resolve(record[ix.branch] as string) : NULL_CODE;

    const key = `${geo},${age},${language},${patronType},${branch},${active}`;
    const cell = this.cells.get(key);
    if (cell) {
      cell.count++;
      cell.checkouts += checkouts;
    } else {
      this.cells.set(key, {
        codes: [geo, age, language, patronType, branch, active],
        count: 1,
        checkouts,
      });
    }
  }

  private reject(resolver: Resolver, code: number, line: number): void {
    const { reason, column, expected } = resolver.rejection(code);
    this.rejections.reject(reason, line, column, expected);
  }

  // --- result ---------------------------------------------------------------------------------

  result(): CubeResult {
    const hasCheckouts = this.indexes.checkouts >= 0;
    const merged = new Map<string, PatronCell>();
    const unknownArea = { total: 0, blank: 0, malformed: 0, notImported: 0, notMapped: 0 };
    const unknown: Record<string, Record<string, number>> = {};
    const note = (field: string, value: string, n: number) => {
      const values = unknown[field] ?? {};
      values[value] = (values[value] ?? 0) + n;
      unknown[field] = values;
    };
    let rowsAccepted = 0;
    let rowsActive = 0;
    for (const { codes, count, checkouts } of this.cells.values()) {
      const [g, a, l, t, b, act] = codes as [number, number, number, number, number, number];
      const geo = this.geo.values[g] as GeoValue;
      const age = a >= 0 ? (this.age.values[a] as AgeValue) : null;
      const language = l >= 0 ? (this.language.values[l] as TextValue) : null;
      const patronType = t >= 0 ? (this.patronType.values[t] as TextValue).value : null;
      const branch = b >= 0 ? (this.branch.values[b] as TextValue).value : null;
      rowsAccepted += count;
      if (act === 1) rowsActive += count;
      if (geo.status !== "known") {
        unknownArea.total += count;
        unknownArea[geo.status] += count;
        if (geo.status === "notImported")
          note("area not among the imported areas", geo.value, count);
      }
      if (age?.unknown) note("age", age.unknown, count);
      if (language?.unknown) note("language", language.unknown, count);
      const cell: PatronCell = {
        geoid: geo.geoid,
        ageBand: age?.label ?? null,
        ageLo: age?.lo ?? null,
        ageHi: age?.hi ?? null,
        language: language?.value ?? null,
        patronType,
        branch,
        active: act === 1,
        count,
        checkouts: hasCheckouts ? checkouts : null,
      };
      const key = JSON.stringify([
        cell.geoid,
        cell.ageBand,
        cell.language,
        patronType,
        branch,
        cell.active,
      ]);
      const existing = merged.get(key);
      if (existing) {
        existing.count += count;
        if (existing.checkouts !== null) existing.checkouts += checkouts;
      } else {
        merged.set(key, cell);
      }
    }
    const excluded: Record<string, number> = {};
    this.options.mapping.exclude.forEach((rule, i) => {
      const description = describeExcludeRule(rule);
      excluded[description] = (excluded[description] ?? 0) + (this.excludedCounts[i] ?? 0);
    });
    // Keep at most 50 values per unknown field, largest first.
    for (const [field, values] of Object.entries(unknown)) {
      const sorted = Object.entries(values).sort((x, y) => y[1] - x[1]);
      const kept = Object.fromEntries(sorted.slice(0, 50));
      const rest = sorted.slice(50).reduce((s, [, n]) => s + n, 0);
      if (rest) kept["(other values)"] = rest;
      unknown[field] = kept;
    }
    return {
      cells: [...merged.values()],
      rowsRead: this.rowsRead,
      rowsAccepted,
      rowsActive,
      rowsExcluded: this.rowsExcluded,
      excluded,
      rejections: this.rejections,
      unknownCategories: unknown,
      unknownArea,
      window: { from: formatIsoDate(this.windowFrom), to: formatIsoDate(this.options.asOf) },
    };
  }
}
