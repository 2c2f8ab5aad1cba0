// What a patron export row's fields mean, other than its area (patron-areas.ts): whether the
// patron is active (activity and, when the mapping opts in, registration), the age band, the
// checkouts, and the language, patron type and branch, each as a value code of the cube
// (patron-codes.ts). Dates of the usual shapes are read from character codes; any other text is
// resolved once per distinct text. A field that cannot be read rejects the row: the reason goes
// to the rejection log with its line, and the method returns -1.
import { InputError } from "../errors.ts";
import type { ActiveRule } from "../queries/imports.ts";
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
import { type CategoryField, countIdentifying, type KindCounts } from "./identifying-columns.ts";
import { languageGroupOf } from "./languages.ts";
import { DEFAULT_ACTIVE_VALUES, type Mapping } from "./mapping.ts";
import {
  AGE_CODES,
  type AgeValue,
  Dictionary,
  OTHER_VALUES,
  type Rejection,
  Resolver,
  TEXT_CODES,
  TEXT_LIMIT,
  type TextValue,
  UNREADABLE_LANGUAGE,
} from "./patron-codes.ts";
import type { RejectionLog } from "./report.ts";

/** How ILSs write "no date": Sierra's "  -  -    ", "00/00/0000", "0000-00-00 00:00:00", "0". */
const BLANK_DATE = /^[\s\-/.:0]*$/;
const YEAR = /^\d{4}$/;

/** Values that look like a language name; anything else is not stored as one (privacy guard). */
const LANGUAGE_LIKE = /^[\p{L}\p{M}][\p{L}\p{M} ()'.,\-/]{0,39}$/u;

export class PatronFields {
  readonly rule: ActiveRule;
  private readonly period: ActivePeriod;
  private readonly mapping: Mapping;
  private readonly asOf: CalendarDate;
  private readonly asOfKey: number;
  private readonly dayFirst: "mdy" | "dmy";

  // column indexes (-1: not mapped)
  readonly languageIndex: number;
  readonly typeIndex: number;
  readonly branchIndex: number;
  readonly checkoutsIndex: number;
  private readonly ageIndex: number;
  private readonly activityIndex: number;
  private readonly monthIndex: number;
  private readonly registeredIndex: number;

  // output values
  readonly ages = new Dictionary<AgeValue>({ label: null, lo: null, hi: null }, AGE_CODES);
  readonly languages: Dictionary<TextValue>;
  readonly types: Dictionary<TextValue>;
  readonly branches: Dictionary<TextValue>;
  /** The language code of values that are not language names, once one is seen. */
  private unreadableLanguage = -1;
  /**
   * Values of a category column that are never stored verbatim (not a language name, or past the
   * values kept) still tell a column of e-mails or phone numbers: their rows by kind.
   */
  readonly unstoredKinds: Record<CategoryField, KindCounts> = {
    language: {},
    patronType: {},
    branch: {},
  };

  private readonly resolve: {
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

  constructor(
    mapping: Mapping,
    header: readonly string[],
    asOf: CalendarDate,
    private readonly rejections: RejectionLog,
  ) {
    this.mapping = mapping;
    this.asOf = asOf;
    this.asOfKey = dateKey(asOf);
    this.rule = activeRuleOf(mapping, asOf);
    this.period = new ActivePeriod(this.rule);
    this.dayFirst = mapping.dateOrder;
    const at = (name: string | undefined) => (name === undefined ? -1 : header.indexOf(name));
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
      age: new Resolver((raw) => this.ageCode(raw)),
      language: new Resolver((raw) => this.languageCode(raw)),
      patronType: new Resolver((raw) => this.textCode(this.types, raw)),
      branch: new Resolver((raw) => this.textCode(this.branches, raw)),
      activity: new Resolver((raw) => this.activityCode(raw)),
      registered: new Resolver((raw) => this.registeredCode(raw)),
    };
  }

  // --- a row's fields -------------------------------------------------------------------------

  /** The row's ACTIVITY code (a registration in the period makes it active, when it counts). */
  activity(record: readonly string[], line: number): number {
    let activity: number;
    if (this.mapping.activity.as === "date") {
      activity = this.fromDate(
        record[this.activityIndex] as string,
        this.resolve.activity,
        this.badActivityDate,
        this.activityAfter,
        line,
      );
      if (activity < 0) return -1;
    } else {
      const raw =
        this.monthIndex >= 0
          ? `${record[this.activityIndex] as string}\u0000${record[this.monthIndex] as string}`
          : (record[this.activityIndex] as string);
      activity = this.resolve.activity.resolve(raw);
      if (activity < 0) {
        this.reject(this.resolve.activity.rejection(activity), line);
        return -1;
      }
    }
    if (this.registeredIndex >= 0) {
      const raw = record[this.registeredIndex] as string;
      const registered =
        this.mapping.registered?.as === "year"
          ? this.resolve.registered.resolve(raw)
          : this.fromDate(
              raw,
              this.resolve.registered,
              this.badRegistration,
              this.registeredAfter,
              line,
            );
      if (registered < 0) {
        if (this.mapping.registered?.as === "year")
          this.reject(this.resolve.registered.rejection(registered), line);
        return -1;
      }
      if (registered === ACTIVITY.active) activity = ACTIVITY.active;
    }
    return activity;
  }

  /** The row's age code (0: unknown or not mapped). */
  age(record: readonly string[], line: number): number {
    if (this.ageIndex < 0) return 0;
    const raw = record[this.ageIndex] as string;
    const key = this.mapping.age?.as === "birthDate" ? fastDateKey(raw, this.dayFirst) : 0;
    if (key > 0) {
      const result = this.ageFromKey(key);
      if (typeof result !== "number") {
        this.reject(result, line);
        return -1;
      }
      return result;
    }
    if (key < 0) {
      this.reject(this.badBirthDate, line);
      return -1;
    }
    const age = this.resolve.age.resolve(raw);
    if (age < 0) {
      this.reject(this.resolve.age.rejection(age), line);
      return -1;
    }
    return age;
  }

  /** The row's checkouts: a whole number, thousands separators allowed (0 when not mapped). */
  checkouts(record: readonly string[], line: number): number {
    if (this.checkoutsIndex < 0) return 0;
    const raw = record[this.checkoutsIndex] as string;
    let checkouts = 0;
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
        return -1;
      }
    }
    return checkouts;
  }

  /** The language code of an accepted row. */
  language(record: readonly string[]): number {
    if (this.languageIndex < 0) return 0;
    const raw = record[this.languageIndex] as string;
    const language = this.resolve.language.resolve(raw);
    if (language === this.unreadableLanguage || language === this.languages.otherCode)
      countIdentifying(this.unstoredKinds.language, raw);
    return language;
  }

  /** The patron type code of an accepted row. */
  patronType(record: readonly string[]): number {
    if (this.typeIndex < 0) return 0;
    const raw = record[this.typeIndex] as string;
    const type = this.resolve.patronType.resolve(raw);
    if (type === this.types.otherCode) countIdentifying(this.unstoredKinds.patronType, raw);
    return type;
  }

  /** The branch code of an accepted row. */
  branch(record: readonly string[]): number {
    if (this.branchIndex < 0) return 0;
    const raw = record[this.branchIndex] as string;
    const branch = this.resolve.branch.resolve(raw);
    if (branch === this.branches.otherCode) countIdentifying(this.unstoredKinds.branch, raw);
    return branch;
  }

  private reject(rejection: Rejection, line: number): void {
    this.rejections.reject(rejection.reason, line, rejection.column, rejection.expected);
  }

  /** A date field: YYYYMMDD from the fast reader, else the resolver's code (≥ 0) or rejection. */
  private fromDate(
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

  // --- resolving a field's text (once per distinct text) --------------------------------------

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
}
