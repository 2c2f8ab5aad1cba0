// Frequency tables for every question type, overall and per group, built in one pass over the
// responses (they may stream from the database) with optional respondent weights. The tables'
// shapes are in table-types.ts (import them from there), each question kind's accumulator in
// question-tables.ts.
import type { Accumulator } from "./answer-counters.ts";
import { WeightedBase } from "./estimates.ts";
import { compareGroupKeys, type GroupDimension, groupKeyOf, groupLabel } from "./groups.ts";
import { createAccumulator } from "./question-tables.ts";
import type { ResultSet, SurveyResults, TagLookup } from "./table-types.ts";
import type { ResponseRecord, SurveyCodebook } from "./types.ts";

export interface TabulateOptions {
  /** Also build every table per group. */
  groupBy?: GroupDimension;
  /** Respondent weights by response id (from raking); every respondent must have one. */
  weights?: ReadonlyMap<string, number>;
  tags?: TagLookup;
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
