// Frequency tables for every question type, overall and per group, built in one pass over the
// responses (they may stream from the database) with optional respondent weights.
import {
  NumericAccumulator,
  type NumericSummary,
  type ShareEstimate,
  shareOf,
  WeightedBase,
} from "./estimates.ts";
import { compareGroupKeys, type GroupDimension, groupKeyOf, groupLabel } from "./groups.ts";
import type {
  CellSpec,
  Choice,
  MatrixDropdownQuestion,
  OtherItem,
  QuestionSpec,
  ResponseRecord,
  SurveyCodebook,
} from "./types.ts";

/** One line of a frequency table. */
export interface ChoiceRow extends ShareEstimate {
  code: string;
  label: string;
  /** Respondents who gave this answer. */
  count: number;
  /** Their total weight (equals `count` when unweighted). */
  weighted: number;
  /** Σw² of their weights, for design-based tests (equals `count` when unweighted). */
  weightSquares: number;
  /** The "other (please specify)" item. */
  isOther?: true;
  /** A stored code the current survey version does not list (an older version's choice). */
  unknownCode?: true;
}

/** Counts and shares of the respondents who answered; for multi-select, shares of respondents. */
export interface FrequencyTable {
  /** Respondents who answered (the denominator of the shares). */
  base: number;
  weightedBase: number;
  /** Kish's effective sample size of the base. */
  effectiveBase: number;
  rows: ChoiceRow[];
}

export interface TagCount {
  tag: string;
  count: number;
}

interface ResultBase {
  name: string;
  title: string;
  surveyType: string;
  /** Respondents in the table's group (the survey's respondents for the overall table). */
  respondents: number;
  /** Respondents who answered this question. */
  answered: number;
}

export interface SingleResult extends ResultBase {
  kind: "single";
  table: FrequencyTable;
  /** Respondents who typed an "other" text, and the staff tags on those texts. */
  otherTexts: number;
  otherTags: TagCount[];
}

export interface MultipleResult extends ResultBase {
  kind: "multiple";
  /** Shares are of respondents who chose at least one option; they can add up to more than 1. */
  table: FrequencyTable;
  /** Choices made in all (a respondent choosing three counts three times). */
  mentions: number;
  otherTexts: number;
  otherTags: TagCount[];
}

export interface RatingResult extends ResultBase {
  kind: "rating";
  table: FrequencyTable;
  summary: NumericSummary;
}

export interface RankingItem {
  code: string;
  label: string;
  /** Respondents who placed this item. */
  ranked: number;
  /** Weighted mean position, 1 = most important; null when nobody ranked it. */
  meanRank: number | null;
  /** Share of the question's respondents who put it first. */
  first: ShareEstimate & { count: number };
  /** Weighted number of respondents per position: positions[0] is first place. */
  positions: number[];
  unknownCode?: true;
}

export interface RankingResult extends ResultBase {
  kind: "ranking";
  /** Items from most to least important (lowest mean rank first). */
  items: RankingItem[];
}

export interface MatrixRowResult {
  code: string;
  label: string;
  table: FrequencyTable;
  /** Mean and median of the column values when they are numbers (an agreement scale). */
  summary: NumericSummary | null;
}

export interface MatrixResult extends ResultBase {
  kind: "matrix";
  rows: MatrixRowResult[];
}

export type CellResult =
  | { kind: "single" | "multiple"; table: FrequencyTable }
  | { kind: "rating"; table: FrequencyTable; summary: NumericSummary }
  | { kind: "number"; summary: NumericSummary }
  | { kind: "text"; answered: number };

export interface MatrixDropdownResult extends ResultBase {
  kind: "matrixdropdown";
  cells: {
    row: string;
    rowLabel: string;
    column: string;
    columnLabel: string;
    result: CellResult;
  }[];
}

export interface MultipleTextResult extends ResultBase {
  kind: "multipletext";
  items: { name: string; label: string; answered: number; summary: NumericSummary | null }[];
}

export interface TextResult extends ResultBase {
  kind: "text" | "comment";
  /** For number inputs: mean, median… of the answers. */
  summary: NumericSummary | null;
  /** Staff tags on the answers (see open answers), most used first. */
  tags: TagCount[];
}

export interface NestedResult extends ResultBase {
  kind: "nested";
}

export type QuestionResult =
  | SingleResult
  | MultipleResult
  | RatingResult
  | RankingResult
  | MatrixResult
  | MatrixDropdownResult
  | MultipleTextResult
  | TextResult
  | NestedResult;

/** Tags staff gave an open answer: (response id, answer key) → tags. */
export type TagLookup = (responseId: string, answerKey: string) => readonly string[];

export interface TabulateOptions {
  /** Also build every table per group. */
  groupBy?: GroupDimension;
  /** Respondent weights by response id (from raking); every respondent must have one. */
  weights?: ReadonlyMap<string, number>;
  tags?: TagLookup;
}

export interface ResultSet {
  respondents: number;
  weightedRespondents: number;
  effectiveSampleSize: number;
  questions: QuestionResult[];
}

export interface GroupResults extends ResultSet {
  key: string;
  label: string;
}

export interface SurveyResults extends ResultSet {
  weighted: boolean;
  groupBy?: GroupDimension;
  groups?: GroupResults[];
}

/** Whether a stored value counts as an answer (not missing, not an empty string, list or object). */
export function isAnswered(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.values(value).some(isAnswered);
  return true;
}

const codeOf = (value: unknown): string => String(value);

function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const number = Number(value);
    return Number.isFinite(number) ? number : null;
  }
  return null;
}

class ChoiceCounter {
  readonly base = new WeightedBase();
  private readonly counts = new Map<
    string,
    { count: number; weighted: number; weightSquares: number }
  >();

  /** Adds one respondent's answer: one code, or several for a multi-select question. */
  add(codes: readonly string[], weight: number): void {
    if (codes.length === 0) return;
    this.base.add(weight);
    for (const code of new Set(codes)) {
      const entry = this.counts.get(code) ?? { count: 0, weighted: 0, weightSquares: 0 };
      entry.count++;
      entry.weighted += weight;
      entry.weightSquares += weight * weight;
      this.counts.set(code, entry);
    }
  }

  get mentions(): number {
    let total = 0;
    for (const { count } of this.counts.values()) total += count;
    return total;
  }

  /** Rows in the survey's order, then "other", then codes the survey no longer lists. */
  table(choices: readonly Choice[], other?: OtherItem): FrequencyTable {
    const row = (code: string, label: string): ChoiceRow => {
      const entry = this.counts.get(code) ?? { count: 0, weighted: 0, weightSquares: 0 };
      return { code, label, ...entry, ...shareOf(entry.weighted, this.base) };
    };
    const rows = choices.map((choice) => row(choice.code, choice.label));
    const listed = new Set(choices.map((c) => c.code));
    if (other) {
      rows.push({ ...row(other.code, other.label), isOther: true });
      listed.add(other.code);
    }
    const unknown = [...this.counts.keys()].filter((code) => !listed.has(code)).sort();
    for (const code of unknown) rows.push({ ...row(code, code), unknownCode: true });
    return {
      base: this.base.count,
      weightedBase: this.base.weight,
      effectiveBase: this.base.effective,
      rows,
    };
  }
}

class TagCounter {
  private readonly counts = new Map<string, number>();

  add(tags: readonly string[]): void {
    for (const tag of new Set(tags)) this.counts.set(tag, (this.counts.get(tag) ?? 0) + 1);
  }

  list(): TagCount[] {
    return [...this.counts.entries()]
      .map(([tag, count]) => ({ tag, count }))
      .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  }
}

interface Accumulator {
  add(response: ResponseRecord, weight: number): void;
  result(respondents: number): QuestionResult;
}

/** Counts the answers of one matrix-dropdown cell or multiple-text item. */
class CellAccumulator {
  private readonly counter = new ChoiceCounter();
  private readonly numbers = new NumericAccumulator();
  private answeredCount = 0;

  constructor(private readonly cell: CellSpec) {}

  add(value: unknown, weight: number): void {
    if (!isAnswered(value)) return;
    this.answeredCount++;
    const kind = this.cell.kind;
    if (kind === "single" || kind === "rating") this.counter.add([codeOf(value)], weight);
    if (kind === "multiple")
      this.counter.add(Array.isArray(value) ? value.map(codeOf) : [codeOf(value)], weight);
    if (kind === "rating" || kind === "number") {
      const number = toNumber(value);
      if (number !== null) this.numbers.add(number, weight);
    }
  }

  get answered(): number {
    return this.answeredCount;
  }

  result(): CellResult {
    const cell = this.cell;
    switch (cell.kind) {
      case "single":
      case "multiple":
        return { kind: cell.kind, table: this.counter.table(cell.choices) };
      case "rating":
        return {
          kind: "rating",
          table: this.counter.table(cell.choices),
          summary: this.numbers.summary(),
        };
      case "number":
        return { kind: "number", summary: this.numbers.summary() };
      case "text":
        return { kind: "text", answered: this.answeredCount };
    }
  }
}

function questionBase(question: QuestionSpec, respondents: number, answered: number): ResultBase {
  return {
    name: question.name,
    title: question.title,
    surveyType: question.surveyType,
    respondents,
    answered,
  };
}

function createAccumulator(question: QuestionSpec, tags: TagLookup | undefined): Accumulator {
  switch (question.kind) {
    case "single":
    case "multiple": {
      const counter = new ChoiceCounter();
      const otherTags = new TagCounter();
      let otherTexts = 0;
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!isAnswered(value)) return;
          const codes = Array.isArray(value) ? value.map(codeOf) : [codeOf(value)];
          counter.add(codes, weight);
          const other = question.other;
          if (other && isAnswered(response.data[other.textKey])) {
            otherTexts++;
            if (tags) otherTags.add(tags(response.id, other.textKey));
          }
        },
        result(respondents) {
          const table = counter.table(question.choices, question.other);
          const common = {
            ...questionBase(question, respondents, table.base),
            table,
            otherTexts,
            otherTags: otherTags.list(),
          };
          return question.kind === "single"
            ? { kind: "single", ...common }
            : { kind: "multiple", ...common, mentions: counter.mentions };
        },
      };
    }
    case "rating": {
      const counter = new ChoiceCounter();
      const numbers = new NumericAccumulator();
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!isAnswered(value)) return;
          counter.add([codeOf(value)], weight);
          const number = toNumber(value);
          if (number !== null) numbers.add(number, weight);
        },
        result(respondents) {
          const table = counter.table(question.choices);
          return {
            kind: "rating",
            ...questionBase(question, respondents, table.base),
            table,
            summary: numbers.summary(),
          };
        },
      };
    }
    case "ranking": {
      const base = new WeightedBase();
      const items = new Map<
        string,
        {
          ranked: number;
          weight: number;
          rankSum: number;
          first: number;
          firstWeight: number;
          positions: number[];
        }
      >();
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!Array.isArray(value) || value.length === 0) return;
          base.add(weight);
          value.forEach((item, index) => {
            const code = codeOf(item);
            const entry = items.get(code) ?? {
              ranked: 0,
              weight: 0,
              rankSum: 0,
              first: 0,
              firstWeight: 0,
              positions: [],
            };
            entry.ranked++;
            entry.weight += weight;
            entry.rankSum += weight * (index + 1);
            entry.positions[index] = (entry.positions[index] ?? 0) + weight;
            if (index === 0) {
              entry.first++;
              entry.firstWeight += weight;
            }
            items.set(code, entry);
          });
        },
        result(respondents) {
          const positionsCount = Math.max(
            question.choices.length,
            ...[...items.values()].map((e) => e.positions.length),
          );
          const item = (code: string, label: string): RankingItem => {
            const entry = items.get(code);
            return {
              code,
              label,
              ranked: entry?.ranked ?? 0,
              meanRank: entry && entry.weight > 0 ? entry.rankSum / entry.weight : null,
              first: { count: entry?.first ?? 0, ...shareOf(entry?.firstWeight ?? 0, base) },
              positions: Array.from({ length: positionsCount }, (_, i) => entry?.positions[i] ?? 0),
            };
          };
          const listed = new Set(question.choices.map((c) => c.code));
          const all = [
            ...question.choices.map((c) => item(c.code, c.label)),
            ...[...items.keys()]
              .filter((code) => !listed.has(code))
              .sort()
              .map((code) => ({ ...item(code, code), unknownCode: true as const })),
          ];
          all.sort(
            (a, b) =>
              (a.meanRank ?? Number.POSITIVE_INFINITY) - (b.meanRank ?? Number.POSITIVE_INFINITY),
          );
          return {
            kind: "ranking",
            ...questionBase(question, respondents, base.count),
            items: all,
          };
        },
      };
    }
    case "matrix": {
      const numeric = question.columns.every((c) => typeof c.value === "number");
      const rows = question.rows.map((row) => ({
        row,
        counter: new ChoiceCounter(),
        numbers: new NumericAccumulator(),
      }));
      let answered = 0;
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!isAnswered(value) || typeof value !== "object" || Array.isArray(value)) return;
          answered++;
          const cells = value as Record<string, unknown>;
          for (const { row, counter, numbers } of rows) {
            const cell = cells[row.code];
            if (!isAnswered(cell)) continue;
            counter.add([codeOf(cell)], weight);
            const number = numeric ? toNumber(cell) : null;
            if (number !== null) numbers.add(number, weight);
          }
        },
        result(respondents) {
          return {
            kind: "matrix",
            ...questionBase(question, respondents, answered),
            rows: rows.map(({ row, counter, numbers }) => ({
              code: row.code,
              label: row.label,
              table: counter.table(question.columns),
              summary: numeric ? numbers.summary() : null,
            })),
          };
        },
      };
    }
    case "matrixdropdown":
      return matrixDropdownAccumulator(question);
    case "multipletext": {
      const items = question.items.map((item) => ({
        item,
        cell: new CellAccumulator(item.numeric ? { kind: "number" } : { kind: "text" }),
      }));
      let answered = 0;
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!isAnswered(value) || typeof value !== "object") return;
          answered++;
          for (const { item, cell } of items)
            cell.add((value as Record<string, unknown>)[item.name], weight);
        },
        result(respondents) {
          return {
            kind: "multipletext",
            ...questionBase(question, respondents, answered),
            items: items.map(({ item, cell }) => {
              const result = cell.result();
              return {
                name: item.name,
                label: item.label,
                answered: cell.answered,
                summary: result.kind === "number" ? result.summary : null,
              };
            }),
          };
        },
      };
    }
    case "text":
    case "comment": {
      const numbers = new NumericAccumulator();
      const tagCounter = new TagCounter();
      let answered = 0;
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!isAnswered(value)) return;
          answered++;
          if (question.numeric) {
            const number = toNumber(value);
            if (number !== null) numbers.add(number, weight);
          }
          if (tags) tagCounter.add(tags(response.id, question.name));
        },
        result(respondents) {
          return {
            kind: question.kind,
            ...questionBase(question, respondents, answered),
            summary: question.numeric ? numbers.summary() : null,
            tags: tagCounter.list(),
          };
        },
      };
    }
    case "nested": {
      let answered = 0;
      return {
        add(response) {
          if (isAnswered(response.data[question.name])) answered++;
        },
        result(respondents) {
          return { kind: "nested", ...questionBase(question, respondents, answered) };
        },
      };
    }
  }
}

function matrixDropdownAccumulator(question: MatrixDropdownQuestion): Accumulator {
  const cells = question.rows.flatMap((row) =>
    question.columns.map((column) => ({ row, column, cell: new CellAccumulator(column.cell) })),
  );
  let answered = 0;
  return {
    add(response, weight) {
      const value = response.data[question.name];
      if (!isAnswered(value) || typeof value !== "object" || Array.isArray(value)) return;
      answered++;
      const rows = value as Record<string, Record<string, unknown> | undefined>;
      for (const { row, column, cell } of cells) cell.add(rows[row.code]?.[column.name], weight);
    },
    result(respondents) {
      return {
        kind: "matrixdropdown",
        ...questionBase(question, respondents, answered),
        cells: cells.map(({ row, column, cell }) => ({
          row: row.code,
          rowLabel: row.label,
          column: column.name,
          columnLabel: column.label,
          result: cell.result(),
        })),
      };
    },
  };
}

/** The tables of one set of respondents (everyone, or one group). */
class ResultSetAccumulator {
  private readonly base = new WeightedBase();
  private readonly accumulators: Accumulator[];

  constructor(codebook: SurveyCodebook, tags: TagLookup | undefined) {
    this.accumulators = codebook.questions.map((q) => createAccumulator(q, tags));
  }

  add(response: ResponseRecord, weight: number): void {
    this.base.add(weight);
    for (const accumulator of this.accumulators) accumulator.add(response, weight);
  }

  result(): ResultSet {
    return {
      respondents: this.base.count,
      weightedRespondents: this.base.weight,
      effectiveSampleSize: this.base.effective,
      questions: this.accumulators.map((a) => a.result(this.base.count)),
    };
  }
}

/**
 * Builds the survey's tables one response at a time. Feed it with `add` (in any order, e.g.
 * from a database stream) and read `result()` at the end.
 *
 * @example
 * const tabulator = new SurveyTabulator(describeSurvey(definition, "es"), { groupBy: "useStatus" });
 * for await (const response of responses) tabulator.add(response);
 * tabulator.result().groups; // [{ key: "user", questions: [...] }, { key: "non-user", … }]
 */
export class SurveyTabulator {
  private readonly overall: ResultSetAccumulator;
  private readonly groups = new Map<string, ResultSetAccumulator>();

  constructor(
    private readonly codebook: SurveyCodebook,
    private readonly options: TabulateOptions = {},
  ) {
    this.overall = new ResultSetAccumulator(codebook, options.tags);
  }

  add(response: ResponseRecord): void {
    const weight = this.weightOf(response);
    this.overall.add(response, weight);
    const dimension = this.options.groupBy;
    if (!dimension) return;
    const key = groupKeyOf(response, dimension, this.codebook.useStatus);
    let group = this.groups.get(key);
    if (!group) {
      group = new ResultSetAccumulator(this.codebook, this.options.tags);
      this.groups.set(key, group);
    }
    group.add(response, weight);
  }

  private weightOf(response: ResponseRecord): number {
    const weights = this.options.weights;
    if (!weights) return 1;
    const weight = weights.get(response.id);
    if (weight === undefined) {
      throw new RangeError(`SurveyTabulator: response ${response.id} has no weight`);
    }
    return weight;
  }

  result(): SurveyResults {
    const dimension = this.options.groupBy;
    const results: SurveyResults = {
      ...this.overall.result(),
      weighted: Boolean(this.options.weights),
    };
    if (dimension) {
      results.groupBy = dimension;
      results.groups = [...this.groups.entries()]
        .sort(([a], [b]) => compareGroupKeys(dimension, a, b))
        .map(([key, group]) => ({ key, label: groupLabel(dimension, key), ...group.result() }));
    }
    return results;
  }
}

/** Tables for a list of responses (convenience over SurveyTabulator). */
export function tabulateResponses(
  codebook: SurveyCodebook,
  responses: Iterable<ResponseRecord>,
  options: TabulateOptions = {},
): SurveyResults {
  const tabulator = new SurveyTabulator(codebook, options);
  for (const response of responses) tabulator.add(response);
  return tabulator.result();
}
