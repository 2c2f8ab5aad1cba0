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
// Active: decided by the activity columns alone, by the rule in active-rule.ts (a registration
// counts only when the mapping opts in; a year without a month counts only when it lies wholly
// in the period, unless the mapping opts in; "None", "Never", blank… mean never active).
//
// Hot path (1,000,000 rows within the time of the sqlite3 tool's own import): dates of the usual
// shapes are read from character codes; every other field's raw text is resolved once into a
// small integer code (a Map from the text); the six codes of a row pack into two small integers
// (area × age, and language × type × branch × active) that key the cube, whose counts live in
// typed arrays. A row allocates nothing of its own beyond what csv-parse gives it.
import { InputError } from "../errors.ts";
import type { ActiveRule, RejectionReason } from "../queries/imports.ts";
import type { PatronCell } from "../queries/patrons.ts";
import {
  ACTIVITY,
  ActivePeriod,
  AFTER_AS_OF,
  activeRuleOf,
  flagMeansNever,
  meansNever,
} from "./active-rule.ts";
import {
  AGE_BANDS,
  ageBandIndex,
  formatAgeBand,
  MAX_PLAUSIBLE_AGE,
  parseAgeLabel,
} from "./age-bands.ts";
import { CellTable } from "./cell-table.ts";
import {
  ageOn,
  type CalendarDate,
  DATE_EXPECTED,
  dateKey,
  fastDateKey,
  formatIsoDate,
  parseDate,
  parseMonth,
} from "./dates.ts";
import { normalisePatronGeography, type PatronGeographyKind } from "./geography.ts";
import {
  CATEGORY_FIELDS,
  type CategoryColumnProfile,
  type CategoryField,
  countIdentifying,
  type IdentifyingKind,
  identifyingKind,
  type KindCounts,
  profileColumn,
} from "./identifying-columns.ts";
import { languageGroupOf } from "./languages.ts";
import { DEFAULT_ACTIVE_VALUES, describeExcludeRule, type Mapping } from "./mapping.ts";
import { RejectionLog } from "./report.ts";

export interface UnknownArea {
  total: number;
  blank: number;
  malformed: number;
  notImported: number;
  notMapped: number;
}

export interface CubeResult {
  cells: PatronCell[];
  rowsRead: number;
  rowsAccepted: number;
  rowsActive: number;
  /** Accepted rows with no activity recorded at all (and no registration counted as activity). */
  rowsNeverActive: number;
  rowsExcluded: number;
  excluded: Record<string, number>;
  rejections: RejectionLog;
  unknownCategories: Record<string, Record<string, number>>;
  unknownArea: UnknownArea;
  window: { from: string; to: string };
  rule: ActiveRule;
  warnings: string[];
  /** What each mapped category column would store, for the identifying-columns guard. */
  categoryColumns: CategoryColumnProfile[];
}

/**
 * What a worker's cube of part of the file hands back to be merged (structured-clone friendly;
 * the typed arrays are transferred).
 */
export interface PartialCube {
  rowsRead: number;
  rowsExcluded: number;
  rowsNeverActive: number;
  excludedCounts: number[];
  rejections: Record<string, RejectionReason>;
  unknownArea: UnknownArea;
  notImported: [string, number][];
  ages: [string, AgeValue][];
  languages: [string, TextValue][];
  types: [string, TextValue][];
  branches: [string, TextValue][];
  /** Per category field: rows of values never stored verbatim that look identifying, by kind. */
  unstored: Record<CategoryField, KindCounts>;
  /** Per cell: area × age codes, the other codes, patrons, checkouts. */
  outer: Int32Array;
  inner: Int32Array;
  counts: Float64Array;
  checkouts: Float64Array;
}

interface Rejection {
  reason: string;
  column: string;
  expected?: string;
}

// A cell's codes pack into two integers: outer = geo × 128 + age (< 2^25) and inner =
// ((language × 512 + type) × 512 + branch) × 2 + active (< 2^28). Code 0 of each field means
// unknown / not recorded.
const AGE_CODES = 128;
const TEXT_CODES = 512;
const GEO_CODES = 2 ** 18;
const CACHE_LIMIT = 200_000;
const TEXT_LIMIT = 80;
const OTHER_VALUES = "(other values)";
/** The language key of values that do not look like a language name (never stored). */
const UNREADABLE_LANGUAGE = "\u0000unreadable";

/** How ILSs write "no date": Sierra's "  -  -    ", "00/00/0000", "0000-00-00 00:00:00", "0". */
const BLANK_DATE = /^[\s\-/.:0]*$/;
const YEAR = /^\d{4}$/;

/** Values that look like a language name; anything else is not stored as one (privacy guard). */
const LANGUAGE_LIKE = /^[\p{L}\p{M}][\p{L}\p{M} ()'.,\-/]{0,39}$/u;

/** A cell's codes from its two keys. */
function decode(outer: number, inner: number) {
  const active = inner % 2;
  let rest = (inner - active) / 2;
  const branch = rest % TEXT_CODES;
  rest = (rest - branch) / TEXT_CODES;
  const type = rest % TEXT_CODES;
  const language = (rest - type) / TEXT_CODES;
  const age = outer % AGE_CODES;
  const geo = (outer - age) / AGE_CODES;
  return { geo, age, language, type, branch, active };
}

/** "94110" or the ZIP of "94110-1234", without allocating for the former; null otherwise. */
function fiveDigitZip(raw: string): string | null {
  const length = raw.length;
  if (length !== 5 && !(length === 10 && raw.charCodeAt(5) === 45)) return null;
  for (let i = 0; i < 5; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return length === 5 ? raw : raw.slice(0, 5);
}

/** A field's output values; code = index, code 0 = unknown. */
class Dictionary<T> {
  readonly values: T[];
  readonly keys: string[] = [""];
  private readonly index = new Map<string, number>();
  overflowed = false;
  /** The code of "(other values)", where values past the limit are pooled (-1 until then). */
  otherCode = -1;
  constructor(
    unknown: T,
    private readonly limit: number,
    private readonly overflow?: () => T,
  ) {
    this.values = [unknown];
  }

  /** [key, value] of every code but 0, in code order. */
  entries(): [string, T][] {
    return this.keys.slice(1).map((key, i) => [key, this.values[i + 1] as T]);
  }

  code(key: string, make: () => T): number {
    if (key === OTHER_VALUES) this.overflowed = true;
    let code = this.index.get(key);
    if (code !== undefined) return code;
    if (this.values.length >= this.limit - 1) {
      if (!this.overflow) throw new RangeError(`more than ${this.limit - 2} distinct values`);
      this.overflowed = true;
      key = OTHER_VALUES;
      code = this.index.get(key);
      if (code !== undefined) return code;
      make = this.overflow;
    }
    code = this.values.length;
    this.values.push(make());
    this.keys.push(key);
    this.index.set(key, code);
    // Pooled here, or absorbed from a part that pooled: either way the one "other values" code.
    if (key === OTHER_VALUES) this.otherCode = code;
    return code;
  }
}

/**
 * A field's raw text → code (≥ 0), or a rejection (≤ -1: index -code-1 in `rejections`),
 * computed once per distinct text.
 */
class Resolver {
  private readonly cache = new Map<string, number>();
  readonly rejections: Rejection[] = [];
  constructor(private readonly compute: (raw: string) => number | Rejection) {}

  resolve(raw: string): number {
    let code = this.cache.get(raw);
    if (code === undefined) {
      const result = this.compute(raw);
      if (typeof result === "number") code = result;
      else {
        let index = this.rejections.findIndex(
          (r) => r.reason === result.reason && r.column === result.column,
        );
        if (index < 0) index = this.rejections.push(result) - 1;
        code = -index - 1;
      }
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(raw, code);
    }
    return code;
  }

  rejection(code: number): Rejection {
    return this.rejections[-code - 1] as Rejection;
  }
}

type GeoStatus = "known" | "blank" | "malformed" | "notImported";

export interface AgeValue {
  label: string | null;
  lo: number | null;
  hi: number | null;
  unknown?: string;
}
export interface TextValue {
  value: string | null;
  unknown?: string;
}

export interface CubeOptions {
  mapping: Mapping;
  header: readonly string[];
  asOf: CalendarDate;
  /** Geoids a patron's geography may match (null when the mapping names no geography). */
  knownGeoids: ReadonlySet<string> | null;
}

export class PatronCube {
  private readonly columns: number;
  private readonly header: readonly string[];
  private readonly mapping: Mapping;
  private readonly asOf: CalendarDate;
  private readonly asOfKey: number;
  private readonly rule: ActiveRule;
  private readonly period: ActivePeriod;
  private readonly dayFirst: "mdy" | "dmy";

  // column indexes (-1: not mapped)
  private readonly geoIndex: number;
  private readonly ageIndex: number;
  private readonly languageIndex: number;
  private readonly typeIndex: number;
  private readonly branchIndex: number;
  private readonly activityIndex: number;
  private readonly monthIndex: number;
  private readonly checkoutsIndex: number;
  private readonly registeredIndex: number;

  // output values
  private readonly geos: string[] = [""]; // code 0: unknown area
  private readonly geoCode = new Map<string, number>();
  private readonly ages = new Dictionary<AgeValue>({ label: null, lo: null, hi: null }, AGE_CODES);
  private readonly languages: Dictionary<TextValue>;
  private readonly types: Dictionary<TextValue>;
  private readonly branches: Dictionary<TextValue>;

  // the geography of a row: detail code → area code, and why it is unknown
  private readonly geoDetailArea: number[] = [];
  private readonly geoDetailStatus: GeoStatus[] = [];
  private readonly geoDetailValue: string[] = [];
  /** ZIP kinds: 5-digit ZIP → detail code, so ZIP+4 values need no cache entry of their own. */
  private readonly zipDetail = new Map<string, number>();
  private readonly zipKind: boolean;
  private readonly unknownArea: UnknownArea = {
    total: 0,
    blank: 0,
    malformed: 0,
    notImported: 0,
    notMapped: 0,
  };
  private readonly notImported = new Map<string, number>();
  /** The language code of values that are not language names, once one is seen. */
  private unreadableLanguage = -1;
  /**
   * Values of a category column that are never stored verbatim (not a language name, or past the
   * values kept) still tell a column of e-mails or phone numbers: their rows by kind.
   */
  private readonly unstoredKinds: Record<CategoryField, KindCounts> = {
    language: {},
    patronType: {},
    branch: {},
  };

  private readonly resolve: {
    geography: Resolver;
    age: Resolver;
    language: Resolver;
    patronType: Resolver;
    branch: Resolver;
    activity: Resolver;
    registered: Resolver;
  };
  private readonly implausibleAge: number;
  private readonly badBirthDate: Rejection;
  private readonly birthAfter: Rejection;
  private readonly badActivityDate: Rejection;
  private readonly activityAfter: Rejection;
  private readonly badRegistration: Rejection;
  private readonly registeredAfter: Rejection;
  private readonly badCheckouts: Rejection;

  private readonly excludeRules: {
    index: number;
    values: Set<string>;
    cache: Map<string, boolean>;
  }[];
  private readonly excludedCounts: number[];

  // the cube: cells keyed by (area × age, language × type × branch × active), with patrons and
  // checkouts summed
  private readonly cells = new CellTable();

  private readonly rejections = new RejectionLog();
  private rowsRead = 0;
  private rowsExcluded = 0;
  private rowsNeverActive = 0;

  constructor(options: CubeOptions) {
    const { mapping, header, asOf } = options;
    this.mapping = mapping;
    this.asOf = asOf;
    this.asOfKey = dateKey(asOf);
    this.rule = activeRuleOf(mapping, asOf);
    this.period = new ActivePeriod(this.rule);
    this.dayFirst = mapping.dateOrder;
    this.zipKind = mapping.geography?.kind === "zip" || mapping.geography?.kind === "zcta";
    const at = (name: string | undefined) => (name === undefined ? -1 : header.indexOf(name));
    this.columns = header.length;
    this.header = header;
    this.geoIndex = at(mapping.geography?.column);
    this.ageIndex = at(mapping.age?.column);
    this.languageIndex = at(mapping.language?.column);
    this.typeIndex = at(mapping.patronType?.column);
    this.branchIndex = at(mapping.branch?.column);
    this.activityIndex = at(mapping.activity.column);
    this.monthIndex = at(mapping.activity.monthColumn);
    this.checkoutsIndex = at(mapping.checkouts?.column);
    // The registration column is read only when registrations count as activity.
    this.registeredIndex = mapping.registrationCountsAsActivity
      ? at(mapping.registered?.column)
      : -1;

    if ((options.knownGeoids?.size ?? 0) >= GEO_CODES - 1) {
      throw new InputError(
        `${options.knownGeoids?.size} imported geographies of the mapped kind: the patron import matches at most ${GEO_CODES - 2}; import only the service area's`,
      );
    }
    for (const geoid of options.knownGeoids ?? []) {
      this.geoCode.set(geoid, this.geos.length);
      this.geos.push(geoid);
    }
    const overflow = (): TextValue => ({ value: OTHER_VALUES });
    this.languages = new Dictionary<TextValue>({ value: null }, TEXT_CODES, () => ({
      value: OTHER_VALUES,
      unknown: OTHER_VALUES,
    }));
    this.types = new Dictionary<TextValue>({ value: null }, TEXT_CODES, overflow);
    this.branches = new Dictionary<TextValue>({ value: null }, TEXT_CODES, overflow);
    for (const band of AGE_BANDS)
      this.ages.code(band.label, () => ({ label: band.label, lo: band.lo, hi: band.hi }));
    this.implausibleAge = this.ages.code("\u0000implausible", () => ({
      label: null,
      lo: null,
      hi: null,
      unknown: `implausible age (over ${MAX_PLAUSIBLE_AGE})`,
    }));

    const ageColumn = mapping.age?.column ?? "";
    const activityColumn = mapping.activity.column;
    const registeredColumn = mapping.registered?.column ?? "";
    const asOfText = formatIsoDate(asOf);
    this.badBirthDate = { reason: "bad birth date", column: ageColumn, expected: DATE_EXPECTED };
    this.birthAfter = {
      reason: "birth date after the as-of date",
      column: ageColumn,
      expected: `a date on or before ${asOfText}`,
    };
    this.badActivityDate = {
      reason: "bad activity date",
      column: activityColumn,
      expected: DATE_EXPECTED,
    };
    this.activityAfter = {
      reason: "activity after the as-of date",
      column: activityColumn,
      expected: `activity on or before the as-of date ${asOfText} (give a later --as-of)`,
    };
    this.badRegistration = {
      reason: "bad registration date",
      column: registeredColumn,
      expected: DATE_EXPECTED,
    };
    this.registeredAfter = {
      reason: "registered after the as-of date",
      column: registeredColumn,
      expected: `a registration on or before the as-of date ${asOfText}`,
    };
    this.badCheckouts = {
      reason: "bad checkouts",
      column: mapping.checkouts?.column ?? "",
      expected: "a whole number ≥ 0",
    };

    this.resolve = {
      geography: new Resolver((raw) => this.geographyDetail(raw)),
      age: new Resolver((raw) => this.ageCode(raw)),
      language: new Resolver((raw) => this.languageCode(raw)),
      patronType: new Resolver((raw) => this.textCode(this.types, raw)),
      branch: new Resolver((raw) => this.textCode(this.branches, raw)),
      activity: new Resolver((raw) => this.activityCode(raw)),
      registered: new Resolver((raw) => this.registeredCode(raw)),
    };
    this.excludeRules = mapping.exclude.map((rule) => ({
      index: header.indexOf(rule.column),
      values: new Set((rule.in ?? [rule.equals ?? ""]).map((v) => v.trim().toLowerCase())),
      cache: new Map<string, boolean>(),
    }));
    this.excludedCounts = mapping.exclude.map(() => 0);
  }

  // --- resolving a field's text (once per distinct text) --------------------------------------

  private geographyDetail(raw: string): number {
    const kind = this.mapping.geography?.kind as PatronGeographyKind;
    const normalised = normalisePatronGeography(raw, kind);
    if (normalised === "") return this.addGeoDetail(0, "blank", "");
    if (normalised === null) return this.addGeoDetail(0, "malformed", "");
    const area = this.geoCode.get(normalised);
    return area === undefined
      ? this.addGeoDetail(0, "notImported", normalised)
      : this.addGeoDetail(area, "known", normalised);
  }

  private addGeoDetail(area: number, status: GeoStatus, value: string): number {
    this.geoDetailArea.push(area);
    this.geoDetailStatus.push(status);
    this.geoDetailValue.push(value);
    return this.geoDetailArea.length - 1;
  }

  /** Age code from the age of a person in whole years. */
  private bandCode(age: number): number {
    const index = ageBandIndex(age);
    return index < 0 ? this.implausibleAge : index + 1;
  }

  private ageFromKey(key: number): number | Rejection {
    if (key > this.asOfKey) return this.birthAfter;
    const year = Math.floor(key / 10_000);
    const monthDay = key % 10_000;
    const asOfMonthDay = this.asOfKey % 10_000;
    return this.bandCode(this.asOf.year - year - (asOfMonthDay < monthDay ? 1 : 0));
  }

  private ageCode(raw: string): number | Rejection {
    const text = raw.trim();
    const spec = this.mapping.age;
    const column = spec?.column ?? "";
    if (text === "") return 0;
    switch (spec?.as) {
      case "birthDate": {
        if (BLANK_DATE.test(text)) return 0;
        const birth = parseDate(text, this.dayFirst);
        return birth ? this.ageFromKey(dateKey(birth)) : this.badBirthDate;
      }
      case "birthYear": {
        if (BLANK_DATE.test(text)) return 0;
        if (!YEAR.test(text))
          return { reason: "bad birth year", column, expected: "a four-digit year" };
        const year = Number(text);
        if (year > this.asOf.year) {
          return {
            reason: "birth year after the as-of date",
            column,
            expected: `a year up to ${this.asOf.year}`,
          };
        }
        // Only the year is known: age as if born on 1 July (the middle of the year).
        return this.bandCode(Math.max(0, ageOn({ year, month: 7, day: 1 }, this.asOf)));
      }
      case "years":
        if (!/^\d{1,3}(\.\d+)?$/.test(text))
          return { reason: "bad age", column, expected: "an age in whole years" };
        return this.bandCode(Math.floor(Number(text)));
      case "range": {
        const range = parseAgeLabel(text);
        if (!range) {
          return {
            reason: "unknown age range",
            column,
            expected: 'an age range such as "Under 5", "10 to 19 years", "18-24" or "65+"',
          };
        }
        const label = formatAgeBand(range.lo, range.hi);
        try {
          return this.ages.code(label, () => ({ label, lo: range.lo, hi: range.hi }));
        } catch {
          throw new InputError(
            `more than ${AGE_CODES - 2 - AGE_BANDS.length} distinct age ranges`,
            { column },
          );
        }
      }
      default:
        return 0;
    }
  }

  private languageCode(raw: string): number {
    const text = raw.trim();
    if (text === "") return 0;
    const own = this.mapping.language?.values;
    const mapped = own
      ? (own[text] ??
        Object.entries(own).find(([k]) => k.toLowerCase() === text.toLowerCase())?.[1])
      : undefined;
    const value = mapped ?? text;
    const group = languageGroupOf(value);
    if (group === null) return 0;
    if (group !== undefined) return this.languages.code(group, () => ({ value: group }));
    if (mapped !== undefined)
      return this.languages.code(mapped, () => ({ value: mapped.slice(0, TEXT_LIMIT) }));
    if (!LANGUAGE_LIKE.test(text)) {
      this.unreadableLanguage = this.languages.code(UNREADABLE_LANGUAGE, () => ({
        value: null,
        unknown: "(values that do not look like a language name)",
      }));
      return this.unreadableLanguage;
    }
    return this.languages.code(`\u0000${text}`, () => ({
      value: text.slice(0, TEXT_LIMIT),
      unknown: text,
    }));
  }

  private textCode(dictionary: Dictionary<TextValue>, raw: string): number {
    const text = raw.trim();
    if (text === "") return 0;
    return dictionary.code(text, () => ({ value: text.slice(0, TEXT_LIMIT) }));
  }

  /** An ACTIVITY code or a rejection. With a month column the resolver is given "year\u0000month". */
  private activityCode(raw: string): number | Rejection {
    const activity = this.mapping.activity;
    const column = activity.column;
    const [yearText = "", monthText = ""] = raw.split("\u0000");
    const text = yearText.trim();
    if (activity.as === "flag") {
      const values = activity.activeValues ?? DEFAULT_ACTIVE_VALUES;
      if (values.some((v) => v.trim().toLowerCase() === text.toLowerCase())) return ACTIVITY.active;
      return flagMeansNever(text) ? ACTIVITY.never : ACTIVITY.inactive;
    }
    if (meansNever(text)) return ACTIVITY.never;
    if (activity.as === "date") {
      const date = parseDate(text, this.dayFirst);
      if (!date) return this.badActivityDate;
      const code = this.period.day(dateKey(date));
      return code === AFTER_AS_OF ? this.activityAfter : code;
    }
    if (!YEAR.test(text))
      return { reason: "bad activity year", column, expected: "a four-digit year" };
    const year = Number(text);
    const month = monthText.trim();
    let code: number;
    if (activity.monthColumn !== undefined && !meansNever(month)) {
      const m = parseMonth(month);
      if (m === null) {
        return {
          reason: "bad activity month",
          column: activity.monthColumn,
          expected: "a month number 1–12 or an English month name",
        };
      }
      code = this.period.month(year, m);
    } else code = this.period.year(year);
    return code === AFTER_AS_OF ? { ...this.activityAfter, column } : code;
  }

  /** 1 registered within the period, 0 not (or never); read only when registrations count. */
  private registeredCode(raw: string): number | Rejection {
    const spec = this.mapping.registered;
    const text = raw.trim();
    if (!spec || meansNever(text)) return 0;
    if (spec.as === "year") {
      if (!YEAR.test(text))
        return {
          reason: "bad registration year",
          column: spec.column,
          expected: "a four-digit year",
        };
      const code = this.period.year(Number(text));
      return code === AFTER_AS_OF ? this.registeredAfter : code;
    }
    const date = parseDate(text, this.dayFirst);
    if (!date) return this.badRegistration;
    const code = this.period.day(dateKey(date));
    return code === AFTER_AS_OF ? this.registeredAfter : code;
  }

  // --- rows -----------------------------------------------------------------------------------

  private reject(rejection: Rejection, line: number): void {
    this.rejections.reject(rejection.reason, line, rejection.column, rejection.expected);
  }

  /** A date field: YYYYMMDD from the fast reader, else the resolver's code (≥ 0) or rejection. */
  private activeFromDate(
    text: string,
    resolver: Resolver,
    bad: Rejection,
    after: Rejection,
    line: number,
  ): number {
    const key = fastDateKey(text, this.dayFirst);
    if (key > 0) {
      const code = this.period.day(key);
      if (code === AFTER_AS_OF) {
        this.reject(after, line);
        return -1;
      }
      return code;
    }
    if (key < 0) {
      this.reject(bad, line);
      return -1;
    }
    const code = resolver.resolve(text);
    if (code < 0) {
      this.reject(resolver.rejection(code), line);
      return -1;
    }
    return code;
  }

  /** Adds one data row of the export (`line`: the line it ends on in the file). */
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
      const rule = this.excludeRules[i] as (typeof this.excludeRules)[number];
      const raw = record[rule.index] as string;
      let excluded = rule.cache.get(raw);
      if (excluded === undefined) {
        excluded = rule.values.has(raw.trim().toLowerCase());
        if (rule.cache.size < CACHE_LIMIT) rule.cache.set(raw, excluded);
      }
      if (excluded) {
        this.excludedCounts[i] = (this.excludedCounts[i] ?? 0) + 1;
        this.rowsExcluded++;
        return;
      }
    }

    // activity (required): an ACTIVITY code
    let activity: number;
    if (this.mapping.activity.as === "date") {
      activity = this.activeFromDate(
        record[this.activityIndex] as string,
        this.resolve.activity,
        this.badActivityDate,
        this.activityAfter,
        line,
      );
      if (activity < 0) return;
    } else {
      const raw =
        this.monthIndex >= 0
          ? `${record[this.activityIndex] as string}\u0000${record[this.monthIndex] as string}`
          : (record[this.activityIndex] as string);
      activity = this.resolve.activity.resolve(raw);
      if (activity < 0) {
        this.reject(this.resolve.activity.rejection(activity), line);
        return;
      }
    }
    if (this.registeredIndex >= 0) {
      const raw = record[this.registeredIndex] as string;
      const registered =
        this.mapping.registered?.as === "year"
          ? this.resolve.registered.resolve(raw)
          : this.activeFromDate(
              raw,
              this.resolve.registered,
              this.badRegistration,
              this.registeredAfter,
              line,
            );
      if (registered < 0) {
        if (this.mapping.registered?.as === "year")
          this.reject(this.resolve.registered.rejection(registered), line);
        return;
      }
      if (registered === ACTIVITY.active) activity = ACTIVITY.active;
    }
    const active = activity === ACTIVITY.active ? 1 : 0;

    // age
    let age = 0;
    if (this.ageIndex >= 0) {
      const raw = record[this.ageIndex] as string;
      const key = this.mapping.age?.as === "birthDate" ? fastDateKey(raw, this.dayFirst) : 0;
      if (key > 0) {
        const result = this.ageFromKey(key);
        if (typeof result !== "number") {
          this.reject(result, line);
          return;
        }
        age = result;
      } else if (key < 0) {
        this.reject(this.badBirthDate, line);
        return;
      } else {
        age = this.resolve.age.resolve(raw);
        if (age < 0) {
          this.reject(this.resolve.age.rejection(age), line);
          return;
        }
      }
    }

    // checkouts: a whole number, thousands separators allowed
    let checkouts = 0;
    if (this.checkoutsIndex >= 0) {
      const raw = record[this.checkoutsIndex] as string;
      let digits = 0;
      for (let i = 0; i < raw.length; i++) {
        const c = raw.charCodeAt(i);
        if (c >= 48 && c <= 57) {
          checkouts = checkouts * 10 + (c - 48);
          digits++;
        } else if (c === 44 /* , */ && digits > 0) {
          // thousands separator
        } else if (c !== 32 && c !== 9) {
          this.reject(this.badCheckouts, line);
          return;
        }
      }
    }

    // the row is accepted from here on
    if (activity === ACTIVITY.never) this.rowsNeverActive++;
    let geo = 0;
    if (this.geoIndex >= 0) {
      const raw = record[this.geoIndex] as string;
      const zip = this.zipKind ? fiveDigitZip(raw) : null;
      let detail: number;
      if (zip === null) detail = this.resolve.geography.resolve(raw);
      else {
        const known = this.zipDetail.get(zip);
        detail = known ?? this.resolve.geography.resolve(zip);
        if (known === undefined) this.zipDetail.set(zip, detail);
      }
      geo = this.geoDetailArea[detail] as number;
      if (geo === 0) this.countUnknownArea(detail);
    } else {
      this.unknownArea.total++;
      this.unknownArea.notMapped++;
    }
    let language = 0;
    if (this.languageIndex >= 0) {
      const raw = record[this.languageIndex] as string;
      language = this.resolve.language.resolve(raw);
      if (language === this.unreadableLanguage || language === this.languages.otherCode)
        countIdentifying(this.unstoredKinds.language, raw);
    }
    let type = 0;
    if (this.typeIndex >= 0) {
      const raw = record[this.typeIndex] as string;
      type = this.resolve.patronType.resolve(raw);
      if (type === this.types.otherCode) countIdentifying(this.unstoredKinds.patronType, raw);
    }
    let branch = 0;
    if (this.branchIndex >= 0) {
      const raw = record[this.branchIndex] as string;
      branch = this.resolve.branch.resolve(raw);
      if (branch === this.branches.otherCode) countIdentifying(this.unstoredKinds.branch, raw);
    }

    this.cells.add(
      geo * AGE_CODES + age,
      ((language * TEXT_CODES + type) * TEXT_CODES + branch) * 2 + active,
      1,
      checkouts,
    );
  }

  private countUnknownArea(detail: number): void {
    const status = this.geoDetailStatus[detail] as GeoStatus;
    this.unknownArea.total++;
    if (status === "notImported") {
      this.unknownArea.notImported++;
      const value = this.geoDetailValue[detail] as string;
      this.notImported.set(value, (this.notImported.get(value) ?? 0) + 1);
    } else if (status === "blank" || status === "malformed") {
      this.unknownArea[status]++;
    }
  }

  // --- parts of a file read in parallel ---------------------------------------------------------

  /** This cube as a part to merge into another (see absorb). */
  partial(): PartialCube {
    return {
      rowsRead: this.rowsRead,
      rowsExcluded: this.rowsExcluded,
      rowsNeverActive: this.rowsNeverActive,
      excludedCounts: [...this.excludedCounts],
      rejections: this.rejections.reasons,
      unknownArea: { ...this.unknownArea },
      notImported: [...this.notImported],
      ages: this.ages.entries(),
      languages: this.languages.entries(),
      types: this.types.entries(),
      branches: this.branches.entries(),
      unstored: structuredClone(this.unstoredKinds),
      outer: this.cells.outer.slice(0, this.cells.size),
      inner: this.cells.inner.slice(0, this.cells.size),
      counts: this.cells.counts.slice(0, this.cells.size),
      checkouts: this.cells.sums.slice(0, this.cells.size),
    };
  }

  /**
   * Adds the cube of a later part of the file, built with the same options; its line numbers are
   * `lineOffset` lines further on. Its value codes are translated into this cube's.
   */
  absorb(part: PartialCube, lineOffset: number): void {
    const remap = <T>(dictionary: Dictionary<T>, entries: [string, T][]) => [
      0,
      ...entries.map(([key, value]) => dictionary.code(key, () => value)),
    ];
    const ages = remap(this.ages, part.ages);
    const languages = remap(this.languages, part.languages);
    const types = remap(this.types, part.types);
    const branches = remap(this.branches, part.branches);
    // A part's value that this cube pools as "other values" is no longer stored verbatim: its
    // rows count, by kind, with the values never stored (see add).
    const pooled = <T>(dictionary: Dictionary<T>, entries: [string, T][], codes: number[]) => [
      null,
      ...entries.map(([key], i) =>
        codes[i + 1] === dictionary.otherCode && key !== OTHER_VALUES
          ? identifyingKind(key.startsWith("\u0000") ? key.slice(1) : key)
          : null,
      ),
    ];
    const pooledLanguages = pooled(this.languages, part.languages, languages);
    const pooledTypes = pooled(this.types, part.types, types);
    const pooledBranches = pooled(this.branches, part.branches, branches);
    const countPooled = (
      field: CategoryField,
      kind: IdentifyingKind | null | undefined,
      n: number,
    ) => {
      if (kind) this.unstoredKinds[field][kind] = (this.unstoredKinds[field][kind] ?? 0) + n;
    };
    for (let i = 0; i < part.outer.length; i++) {
      const { geo, age, language, type, branch, active } = decode(
        part.outer[i] as number,
        part.inner[i] as number,
      );
      countPooled("language", pooledLanguages[language], part.counts[i] as number);
      countPooled("patronType", pooledTypes[type], part.counts[i] as number);
      countPooled("branch", pooledBranches[branch], part.counts[i] as number);
      this.cells.add(
        geo * AGE_CODES + (ages[age] as number),
        (((languages[language] as number) * TEXT_CODES + (types[type] as number)) * TEXT_CODES +
          (branches[branch] as number)) *
          2 +
          active,
        part.counts[i] as number,
        part.checkouts[i] as number,
      );
    }
    this.rowsRead += part.rowsRead;
    this.rowsExcluded += part.rowsExcluded;
    this.rowsNeverActive += part.rowsNeverActive;
    part.excludedCounts.forEach((n, i) => {
      this.excludedCounts[i] = (this.excludedCounts[i] ?? 0) + n;
    });
    this.rejections.absorb(part.rejections, lineOffset);
    for (const field of ["total", "blank", "malformed", "notImported", "notMapped"] as const) {
      this.unknownArea[field] += part.unknownArea[field];
    }
    for (const [value, n] of part.notImported)
      this.notImported.set(value, (this.notImported.get(value) ?? 0) + n);
    for (const field of CATEGORY_FIELDS) {
      const kinds = this.unstoredKinds[field];
      for (const [kind, n] of Object.entries(part.unstored[field]) as [IdentifyingKind, number][])
        kinds[kind] = (kinds[kind] ?? 0) + n;
    }
  }

  // --- result ---------------------------------------------------------------------------------

  result(): CubeResult {
    const hasCheckouts = this.checkoutsIndex >= 0;
    const cells: PatronCell[] = [];
    const unknown: Record<string, Record<string, number>> = {};
    const note = (field: string, value: string, n: number) => {
      const values = unknown[field] ?? {};
      values[value] = (values[value] ?? 0) + n;
      unknown[field] = values;
    };
    let rowsAccepted = 0;
    let rowsActive = 0;
    // Rows per code of each category field, for the identifying-columns guard.
    const rowsOf = {
      language: new Float64Array(TEXT_CODES),
      patronType: new Float64Array(TEXT_CODES),
      branch: new Float64Array(TEXT_CODES),
    };
    for (let i = 0; i < this.cells.size; i++) {
      const count = this.cells.counts[i] as number;
      const { geo, age, language, type, branch, active } = decode(
        this.cells.outer[i] as number,
        this.cells.inner[i] as number,
      );
      rowsOf.language[language] = (rowsOf.language[language] as number) + count;
      rowsOf.patronType[type] = (rowsOf.patronType[type] as number) + count;
      rowsOf.branch[branch] = (rowsOf.branch[branch] as number) + count;
      const ageValue = this.ages.values[age] as AgeValue;
      const languageValue = this.languages.values[language] as TextValue;
      rowsAccepted += count;
      if (active === 1) rowsActive += count;
      if (ageValue.unknown) note("age", ageValue.unknown, count);
      if (languageValue.unknown) note("language", languageValue.unknown, count);
      cells.push({
        geoid: geo === 0 ? null : (this.geos[geo] as string),
        ageBand: ageValue.label,
        ageLo: ageValue.lo,
        ageHi: ageValue.hi,
        language: languageValue.value,
        patronType: (this.types.values[type] as TextValue).value,
        branch: (this.branches.values[branch] as TextValue).value,
        active: active === 1,
        count,
        checkouts: hasCheckouts ? (this.cells.sums[i] as number) : null,
      });
    }
    for (const [value, n] of this.notImported) note("area not among the imported areas", value, n);
    // Keep at most 50 values per unknown field, largest first.
    for (const [field, values] of Object.entries(unknown)) {
      const sorted = Object.entries(values).sort((x, y) => y[1] - x[1]);
      const kept = Object.fromEntries(sorted.slice(0, 50));
      const rest = sorted.slice(50).reduce((s, [, n]) => s + n, 0);
      if (rest) kept[OTHER_VALUES] = (kept[OTHER_VALUES] ?? 0) + rest;
      unknown[field] = kept;
    }
    const excluded: Record<string, number> = {};
    this.mapping.exclude.forEach((rule, i) => {
      const description = describeExcludeRule(rule);
      excluded[description] = (excluded[description] ?? 0) + (this.excludedCounts[i] ?? 0);
    });
    const warnings: string[] = [];
    for (const [field, dictionary] of [
      ["language", this.languages],
      ["patron type", this.types],
      ["branch", this.branches],
    ] as const) {
      if (dictionary.overflowed) {
        warnings.push(
          `more than ${TEXT_CODES - 3} distinct ${field} values: the rest are counted as "${OTHER_VALUES}"; check the mapping's ${field} column`,
        );
      }
    }
    return {
      cells,
      rowsRead: this.rowsRead,
      rowsAccepted,
      rowsActive,
      rowsNeverActive: this.rowsNeverActive,
      rowsExcluded: this.rowsExcluded,
      excluded,
      rejections: this.rejections,
      unknownCategories: unknown,
      unknownArea: { ...this.unknownArea },
      window: { from: this.rule.from, to: this.rule.asOf },
      rule: this.rule,
      warnings,
      categoryColumns: this.categoryColumns(rowsOf),
    };
  }

  /** Each mapped category column: the values it would store, with their rows (code 0 is blank). */
  private categoryColumns(rowsOf: Record<CategoryField, Float64Array>): CategoryColumnProfile[] {
    const profiles: CategoryColumnProfile[] = [];
    for (const [field, index, dictionary] of [
      ["language", this.languageIndex, this.languages],
      ["patronType", this.typeIndex, this.types],
      ["branch", this.branchIndex, this.branches],
    ] as const) {
      if (index < 0) continue;
      const rows = rowsOf[field];
      const stored: [string, number][] = [];
      let total = 0;
      dictionary.keys.forEach((key, code) => {
        const n = rows[code] as number;
        total += n;
        if (code === 0 || key === OTHER_VALUES || key === UNREADABLE_LANGUAGE) return;
        // Unknown languages are keyed "\u0000text"; their text is what would be stored.
        stored.push([key.startsWith("\u0000") ? key.slice(1) : key, n]);
      });
      profiles.push(
        profileColumn(field, this.header[index] as string, stored, {
          rows: total - (rows[0] as number),
          overflowed: dictionary.overflowed,
          unstored: this.unstoredKinds[field],
        }),
      );
    }
    return profiles;
  }
}
