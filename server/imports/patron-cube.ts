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
// The parts: what a row's fields mean (patron-fields.ts), which area it is in (patron-areas.ts),
// the value codes and their dictionaries (patron-codes.ts), the cells (cell-table.ts); here, the
// row's way through them, merging parts of a file read in parallel, and the result.
//
// Hot path (1,000,000 rows within the time of the sqlite3 tool's own import): dates of the usual
// shapes are read from character codes; every other field's raw text is resolved once into a
// small integer code (a Map from the text); the six codes of a row pack into two small integers
// (area × age, and language × type × branch × active) that key the cube, whose counts live in
// typed arrays. A row allocates nothing of its own beyond what csv-parse gives it.
import type { ActiveRule, RejectionReason } from "../queries/imports.ts";
import type { PatronCell } from "../queries/patrons.ts";
import { ACTIVITY } from "./active-rule.ts";
import { CellTable } from "./cell-table.ts";
import type { CalendarDate } from "./dates.ts";
import {
  CATEGORY_FIELDS,
  type CategoryColumnProfile,
  type CategoryField,
  type IdentifyingKind,
  identifyingKind,
  type KindCounts,
  profileColumn,
} from "./identifying-columns.ts";
import { describeExcludeRule, type Mapping } from "./mapping.ts";
import { PatronAreas, type UnknownArea } from "./patron-areas.ts";
import {
  type AgeValue,
  CACHE_LIMIT,
  type Dictionary,
  decode,
  innerKey,
  OTHER_VALUES,
  outerKey,
  TEXT_CODES,
  type TextValue,
  UNREADABLE_LANGUAGE,
} from "./patron-codes.ts";
import { PatronFields } from "./patron-fields.ts";
import { RejectionLog } from "./report.ts";

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

export interface CubeOptions {
  mapping: Mapping;
  header: readonly string[];
  asOf: CalendarDate;
  /** Geoids a patron's geography may match (null when the mapping names no geography). */
  knownGeoids: ReadonlySet<string> | null;
}

/** The mapping's exclusion rules (staff cards, ILL accounts…): which a row meets, and how often. */
class Exclusions {
  private readonly rules: { index: number; values: Set<string>; cache: Map<string, boolean> }[];
  readonly counts: number[];

  constructor(mapping: Mapping, header: readonly string[]) {
    this.rules = mapping.exclude.map((rule) => ({
      index: header.indexOf(rule.column),
      values: new Set((rule.in ?? [rule.equals ?? ""]).map((v) => v.trim().toLowerCase())),
      cache: new Map<string, boolean>(),
    }));
    this.counts = mapping.exclude.map(() => 0);
  }

  /** Whether a rule excludes the row (counted under the first rule that does). */
  excludes(record: readonly string[]): boolean {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i] as (typeof this.rules)[number];
      const raw = record[rule.index] as string;
      let excluded = rule.cache.get(raw);
      if (excluded === undefined) {
        excluded = rule.values.has(raw.trim().toLowerCase());
        if (rule.cache.size < CACHE_LIMIT) rule.cache.set(raw, excluded);
      }
      if (excluded) {
        this.counts[i] = (this.counts[i] ?? 0) + 1;
        return true;
      }
    }
    return false;
  }
}

export class PatronCube {
  private readonly columns: number;
  private readonly header: readonly string[];
  private readonly mapping: Mapping;
  private readonly geoIndex: number;
  private readonly rejections = new RejectionLog();
  private readonly exclusions: Exclusions;
  private readonly fields: PatronFields;
  private readonly areas: PatronAreas;
  // the cube: cells keyed by (area × age, language × type × branch × active), with patrons and
  // checkouts summed
  private readonly cells = new CellTable();
  private rowsRead = 0;
  private rowsExcluded = 0;
  private rowsNeverActive = 0;

  constructor(options: CubeOptions) {
    const { mapping, header, asOf } = options;
    this.mapping = mapping;
    this.columns = header.length;
    this.header = header;
    this.geoIndex =
      mapping.geography?.column === undefined ? -1 : header.indexOf(mapping.geography.column);
    this.fields = new PatronFields(mapping, header, asOf, this.rejections);
    this.areas = new PatronAreas(mapping, options.knownGeoids);
    this.exclusions = new Exclusions(mapping, header);
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
    if (this.exclusions.excludes(record)) {
      this.rowsExcluded++;
      return;
    }
    // Fields that can reject the row, in the order their rejections are reported.
    const activity = this.fields.activity(record, line);
    if (activity < 0) return;
    const age = this.fields.age(record, line);
    if (age < 0) return;
    const checkouts = this.fields.checkouts(record, line);
    if (checkouts < 0) return;

    // the row is accepted from here on
    if (activity === ACTIVITY.never) this.rowsNeverActive++;
    let geo = 0;
    if (this.geoIndex >= 0) geo = this.areas.code(record[this.geoIndex] as string);
    else this.areas.countNotMapped();
    const inner = innerKey(
      this.fields.language(record),
      this.fields.patronType(record),
      this.fields.branch(record),
      activity === ACTIVITY.active ? 1 : 0,
    );
    this.cells.add(outerKey(geo, age), inner, 1, checkouts);
  }

  // --- parts of a file read in parallel ---------------------------------------------------------

  /** This cube as a part to merge into another (see absorb). */
  partial(): PartialCube {
    return {
      rowsRead: this.rowsRead,
      rowsExcluded: this.rowsExcluded,
      rowsNeverActive: this.rowsNeverActive,
      excludedCounts: [...this.exclusions.counts],
      rejections: this.rejections.reasons,
      unknownArea: { ...this.areas.unknownArea },
      notImported: [...this.areas.notImported],
      ages: this.fields.ages.entries(),
      languages: this.fields.languages.entries(),
      types: this.fields.types.entries(),
      branches: this.fields.branches.entries(),
      unstored: structuredClone(this.fields.unstoredKinds),
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
    const ages = remap(this.fields.ages, part.ages);
    const languages = remap(this.fields.languages, part.languages);
    const types = remap(this.fields.types, part.types);
    const branches = remap(this.fields.branches, part.branches);
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
    const pooledLanguages = pooled(this.fields.languages, part.languages, languages);
    const pooledTypes = pooled(this.fields.types, part.types, types);
    const pooledBranches = pooled(this.fields.branches, part.branches, branches);
    const countPooled = (
      field: CategoryField,
      kind: IdentifyingKind | null | undefined,
      n: number,
    ) => {
      const kinds = this.fields.unstoredKinds[field];
      if (kind) kinds[kind] = (kinds[kind] ?? 0) + n;
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
        outerKey(geo, ages[age] as number),
        innerKey(
          languages[language] as number,
          types[type] as number,
          branches[branch] as number,
          active,
        ),
        part.counts[i] as number,
        part.checkouts[i] as number,
      );
    }
    this.rowsRead += part.rowsRead;
    this.rowsExcluded += part.rowsExcluded;
    this.rowsNeverActive += part.rowsNeverActive;
    part.excludedCounts.forEach((n, i) => {
      this.exclusions.counts[i] = (this.exclusions.counts[i] ?? 0) + n;
    });
    this.rejections.absorb(part.rejections, lineOffset);
    this.areas.absorb(part.unknownArea, part.notImported);
    for (const field of CATEGORY_FIELDS) {
      const kinds = this.fields.unstoredKinds[field];
      for (const [kind, n] of Object.entries(part.unstored[field]) as [IdentifyingKind, number][])
        kinds[kind] = (kinds[kind] ?? 0) + n;
    }
  }

  // --- result ---------------------------------------------------------------------------------

  result(): CubeResult {
    const hasCheckouts = this.fields.checkoutsIndex >= 0;
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
      const ageValue = this.fields.ages.values[age] as AgeValue;
      const languageValue = this.fields.languages.values[language] as TextValue;
      rowsAccepted += count;
      if (active === 1) rowsActive += count;
      if (ageValue.unknown) note("age", ageValue.unknown, count);
      if (languageValue.unknown) note("language", languageValue.unknown, count);
      cells.push({
        geoid: this.areas.geoid(geo),
        ageBand: ageValue.label,
        ageLo: ageValue.lo,
        ageHi: ageValue.hi,
        language: languageValue.value,
        patronType: (this.fields.types.values[type] as TextValue).value,
        branch: (this.fields.branches.values[branch] as TextValue).value,
        active: active === 1,
        count,
        checkouts: hasCheckouts ? (this.cells.sums[i] as number) : null,
      });
    }
    for (const [value, n] of this.areas.notImported)
      note("area not among the imported areas", value, n);
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
      excluded[description] = (excluded[description] ?? 0) + (this.exclusions.counts[i] ?? 0);
    });
    const warnings: string[] = [];
    for (const [field, dictionary] of [
      ["language", this.fields.languages],
      ["patron type", this.fields.types],
      ["branch", this.fields.branches],
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
      unknownArea: { ...this.areas.unknownArea },
      window: { from: this.fields.rule.from, to: this.fields.rule.asOf },
      rule: this.fields.rule,
      warnings,
      categoryColumns: this.categoryColumns(rowsOf),
    };
  }

  /** Each mapped category column: the values it would store, with their rows (code 0 is blank). */
  private categoryColumns(rowsOf: Record<CategoryField, Float64Array>): CategoryColumnProfile[] {
    const profiles: CategoryColumnProfile[] = [];
    for (const [field, index, dictionary] of [
      ["language", this.fields.languageIndex, this.fields.languages],
      ["patronType", this.fields.typeIndex, this.fields.types],
      ["branch", this.fields.branchIndex, this.fields.branches],
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
          unstored: this.fields.unstoredKinds[field],
        }),
      );
    }
    return profiles;
  }
}
