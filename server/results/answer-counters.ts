// Counters of answers: choices into a frequency table (weighted, with the survey's order, "other"
// and codes an older version had), staff tags, and one matrix-dropdown cell or multiple-text item.
import { codeOf, isAnswered, toNumber } from "./answer-values.ts";
import { NumericAccumulator, shareOf, WeightedBase } from "./estimates.ts";
import type {
  CellResult,
  ChoiceRow,
  FrequencyTable,
  QuestionResult,
  TagCount,
} from "./table-types.ts";
import type { CellSpec, Choice, OtherItem, ResponseRecord } from "./types.ts";

export class ChoiceCounter {
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

export class TagCounter {
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

export interface Accumulator {
  add(response: ResponseRecord, weight: number): void;
  result(respondents: number): QuestionResult;
}

/** Counts the answers of one matrix-dropdown cell or multiple-text item. */
export class CellAccumulator {
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
