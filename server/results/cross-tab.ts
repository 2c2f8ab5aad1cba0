// Cross-tabulations of two variables (a question, one choice of a multi-select question, a
// matrix row, or a group such as library-use status) with a test of independence and the
// bias-corrected Cramér's V: unweighted, Pearson's chi-square (Fisher's exact test for 2 × 2
// tables with small expected counts); weighted, the design-based Rao–Scott test.
import { biasCorrectedCramersV } from "../analysis/bias-corrected-cramers-v.ts";
import { chiSquareIndependence } from "../analysis/chi-square-independence.ts";
import { type AssociationStrength, cramersVStrength } from "../analysis/cramers-v-strength.ts";
import { fisherExact2x2 } from "../analysis/fisher-exact-2x2.ts";
import { InsufficientDataError } from "../analysis/insufficient-data-error.ts";
import { raoScottChiSquare } from "../analysis/rao-scott-chi-square.ts";
import { isAnswered } from "./answer-values.ts";
import { questionNamed } from "./describe-survey.ts";
import { WeightedBase } from "./estimates.ts";
import { compareGroupKeys, type GroupDimension, groupKeyOf, groupLabel } from "./groups.ts";
import type { Choice, ResponseRecord, SurveyCodebook } from "./types.ts";

/**
 * A variable to cross-tabulate: a group dimension, or a question. A multi-select question needs
 * one `choice` (respondents who chose it vs the others who answered); a matrix needs a `row`.
 */
export type Variable =
  | { group: GroupDimension }
  | { question: string; choice?: string; row?: string };

interface ResolvedVariable {
  name: string;
  title: string;
  /** Known categories in order; more may be found in the data (languages, old codes). */
  categories: Choice[];
  /** Whether categories found in the data are sorted as group keys. */
  dimension?: GroupDimension;
  valueOf(response: ResponseRecord): string | null;
}

const CHOSEN = "1";
const NOT_CHOSEN = "0";

function resolveVariable(codebook: SurveyCodebook, variable: Variable): ResolvedVariable {
  if ("group" in variable) {
    const dimension = variable.group;
    return {
      name: dimension,
      title: {
        language: "Language",
        channel: "Channel",
        location: "Location",
        useStatus: "Library use",
        month: "Month",
      }[dimension],
      categories: [],
      dimension,
      valueOf: (response) => groupKeyOf(response, dimension, codebook.useStatus),
    };
  }
  const question = questionNamed(codebook, variable.question);
  const valueOfAnswer = (response: ResponseRecord) => {
    const value = response.data[question.name];
    return isAnswered(value) ? value : null;
  };
  switch (question.kind) {
    case "single":
    case "rating":
      return {
        name: question.name,
        title: question.title,
        categories: [
          ...question.choices,
          ...(question.kind === "single" && question.other
            ? [
                {
                  value: question.other.code,
                  code: question.other.code,
                  label: question.other.label,
                },
              ]
            : []),
        ],
        valueOf: (response) => {
          const value = valueOfAnswer(response);
          return value === null ? null : String(value);
        },
      };
    case "multiple": {
      const choiceCode = variable.choice;
      const choice = [
        ...question.choices,
        ...(question.other
          ? [{ value: question.other.code, code: question.other.code, label: question.other.label }]
          : []),
      ].find((c) => c.code === choiceCode);
      if (!choice) {
        throw new RangeError(
          `"${question.name}" is a multi-select question: cross-tabulate one of its choices (choice: ${question.choices.map((c) => `"${c.code}"`).join(", ")})`,
        );
      }
      return {
        name: `${question.name}_${choice.code}`,
        title: `${question.title}: ${choice.label}`,
        categories: [
          { value: CHOSEN, code: CHOSEN, label: `${choice.label}: chosen` },
          { value: NOT_CHOSEN, code: NOT_CHOSEN, label: `${choice.label}: not chosen` },
        ],
        valueOf: (response) => {
          const value = valueOfAnswer(response);
          if (!Array.isArray(value)) return null;
          return value.map(String).includes(choice.code) ? CHOSEN : NOT_CHOSEN;
        },
      };
    }
    case "matrix": {
      const row = question.rows.find((r) => r.code === variable.row);
      if (!row) {
        throw new RangeError(
          `"${question.name}" is a matrix: name one of its rows (row: ${question.rows.map((r) => `"${r.code}"`).join(", ")})`,
        );
      }
      return {
        name: `${question.name}_${row.code}`,
        title: `${question.title}: ${row.label}`,
        categories: question.columns,
        valueOf: (response) => {
          const value = valueOfAnswer(response) as Record<string, unknown> | null;
          const cell = value && typeof value === "object" ? value[row.code] : undefined;
          return isAnswered(cell) ? String(cell) : null;
        },
      };
    }
    default:
      throw new RangeError(
        `"${question.name}" is a ${question.surveyType} question; cross-tabs take single-choice, rating, boolean or matrix-row answers, a multi-select choice, or a group`,
      );
  }
}

/** The test of independence on a cross-tab, in numbers and in words. */
export type IndependenceTest =
  | {
      /**
       * Which test `pValue` is: Pearson's chi-square, Fisher's exact test (unweighted small
       * 2 × 2 tables), or the Rao–Scott F test (weighted tables: design-based, never an
       * unweighted p beside weighted shares).
       */
      method: "chi-square" | "fisher-exact" | "rao-scott";
      /** X² (chi-square, fisher-exact) or the Rao–Scott F. */
      statistic: number;
      /** Degrees of freedom of X², or the Rao–Scott numerator df (fractional). */
      df: number;
      /** The Rao–Scott denominator df; null for the unweighted tests. */
      denominatorDf: number | null;
      pValue: number;
      /** P-value of the chi-square family test (Pearson's, or Rao–Scott's when weighted). */
      chiSquarePValue: number;
      /** Fisher's exact p of an unweighted 2 × 2 table; null otherwise. */
      fisherPValue: number | null;
      /** Bias-corrected Cramér's V (Bergsma 2013). */
      cramersV: number;
      /** min(r − 1, c − 1), the df Cohen's thresholds for V depend on. */
      smallerDf: number;
      /** Cohen's size of V for this table's df*. */
      strength: AssociationStrength;
      minExpected: number;
      /** False when an expected count is under 5: the chi-square approximation is unreliable. */
      reliable: boolean;
      /** Respondents the test is worth: n unweighted, n / δ̄ (Rao–Scott) weighted. */
      effectiveSampleSize: number;
      note: string;
    }
  | { insufficient: string };

/** One cell of a table to test: respondents, their total weight Σw and Σw². */
export interface TestCell {
  count: number;
  weighted: number;
  weightSquares: number;
}

export interface CrossTabCell {
  count: number;
  weighted: number;
  /** Share of the column's (weighted) total; null for an empty column. */
  columnShare: number | null;
  /** Share of the row's (weighted) total; null for an empty row. */
  rowShare: number | null;
}

export interface CrossTabResult {
  rowVariable: { name: string; title: string };
  columnVariable: { name: string; title: string };
  rows: { code: string; label: string }[];
  columns: { code: string; label: string }[];
  cells: CrossTabCell[][];
  rowTotals: { count: number; weighted: number }[];
  columnTotals: { count: number; weighted: number }[];
  /** Respondents with an answer on both variables. */
  n: number;
  weightedN: number;
  /** Respondents left out because one of the two answers is missing. */
  excluded: number;
  weighted: boolean;
  test: IndependenceTest;
}

function categoriesWithData(
  variable: ResolvedVariable,
  seen: Set<string>,
): { code: string; label: string }[] {
  const listed = variable.categories.map((c) => ({ code: c.code, label: c.label }));
  const known = new Set(listed.map((c) => c.code));
  const extra = [...seen].filter((code) => !known.has(code));
  if (variable.dimension) {
    const dimension = variable.dimension;
    extra.sort((a, b) => compareGroupKeys(dimension, a, b));
    return [...listed, ...extra.map((code) => ({ code, label: groupLabel(dimension, code) }))];
  }
  return [...listed, ...extra.sort().map((code) => ({ code, label: code }))];
}

/**
 * The test of independence on a table, with empty rows and columns left out. Unweighted:
 * Pearson's chi-square, and Fisher's exact test for a 2 × 2 table with an expected count under
 * 5. Weighted: the Rao–Scott second-order corrected F test (server/analysis/
 * rao-scott-chi-square.ts, as R's svychisq with the weights as sampling weights), so a weighted
 * table never shows an unweighted p. Cramér's V is bias-corrected (Bergsma 2013); weighted, it
 * is computed on the weighted shares with N = n / δ̄, the size the Rao–Scott test is worth.
 */
export function testIndependence(
  cells: readonly (readonly TestCell[])[],
  weighted: boolean,
): IndependenceTest {
  const keepRows = cells.map((row) => row.some((v) => v.count > 0));
  const columnCount = cells[0]?.length ?? 0;
  const keepColumns = Array.from({ length: columnCount }, (_, j) =>
    cells.some((row) => (row[j]?.count ?? 0) > 0),
  );
  const table = cells
    .filter((_, i) => keepRows[i])
    .map((row) => row.filter((_, j) => keepColumns[j]));
  if (table.length < 2 || (table[0]?.length ?? 0) < 2) {
    return {
      insufficient: `the table needs at least two rows and two columns with a non-zero total (has ${table.length} × ${table[0]?.length ?? 0})`,
    };
  }
  const counts = table.map((row) => row.map((cell) => cell.count));
  const smallerDf = Math.min(table.length, table[0]?.length ?? 0) - 1;
  try {
    const chi = chiSquareIndependence(counts);
    const fewNote = `An expected count is under 5 (smallest ${chi.minExpected.toFixed(1)}): the test is approximate; combine categories or read the counts only.`;
    if (weighted) {
      const design = raoScottChiSquare(
        table.map((row) =>
          row.map((cell) => ({
            count: cell.count,
            weight: cell.weighted,
            weightSquares: cell.weightSquares,
          })),
        ),
      );
      const effectiveSampleSize = design.n / design.meanDesignEffect;
      const v = biasCorrectedCramersV(
        table.map((row) => row.map((cell) => cell.weighted)),
        Math.max(2, effectiveSampleSize),
      );
      return {
        method: "rao-scott",
        statistic: design.statistic,
        df: design.numeratorDf,
        denominatorDf: design.denominatorDf,
        pValue: design.pValue,
        chiSquarePValue: design.pValue,
        fisherPValue: null,
        cramersV: v,
        smallerDf,
        strength: cramersVStrength(v, smallerDf),
        minExpected: chi.minExpected,
        reliable: chi.reliable,
        effectiveSampleSize,
        note: chi.reliable
          ? "Weighted: the Rao–Scott test allows for the weights (design effect of the table " +
            `${design.meanDesignEffect.toFixed(2)}).`
          : fewNote,
      };
    }
    const isTwoByTwo = table.length === 2 && table[0]?.length === 2;
    const [[a = 0, b = 0] = [], [c = 0, d = 0] = []] = counts;
    const fisherPValue = isTwoByTwo ? fisherExact2x2(a, b, c, d) : null;
    const useFisher = isTwoByTwo && !chi.reliable;
    const v = biasCorrectedCramersV(counts);
    return {
      method: useFisher ? "fisher-exact" : "chi-square",
      statistic: chi.statistic,
      df: chi.df,
      denominatorDf: null,
      pValue: useFisher && fisherPValue !== null ? fisherPValue : chi.pValue,
      chiSquarePValue: chi.pValue,
      fisherPValue,
      cramersV: v,
      smallerDf,
      strength: cramersVStrength(v, smallerDf),
      minExpected: chi.minExpected,
      reliable: chi.reliable,
      effectiveSampleSize: chi.n,
      note: chi.reliable
        ? "All expected counts are at least 5: the chi-square test applies."
        : useFisher
          ? `An expected count is under 5 (smallest ${chi.minExpected.toFixed(1)}): the chi-square test is unreliable, so Fisher's exact test is used.`
          : fewNote,
    };
  } catch (error) {
    if (error instanceof InsufficientDataError) return { insufficient: error.reason };
    throw error;
  }
}

/** Builds a cross-tab one response at a time (see crossTab for a list of responses). */
export class CrossTabAccumulator {
  private readonly rowVariable: ResolvedVariable;
  private readonly columnVariable: ResolvedVariable;
  private readonly cells = new Map<string, TestCell>();
  private readonly rowSeen = new Set<string>();
  private readonly columnSeen = new Set<string>();
  private readonly base = new WeightedBase();
  private excluded = 0;

  constructor(
    codebook: SurveyCodebook,
    rows: Variable,
    columns: Variable,
    private readonly weights?: ReadonlyMap<string, number>,
  ) {
    this.rowVariable = resolveVariable(codebook, rows);
    this.columnVariable = resolveVariable(codebook, columns);
  }

  add(response: ResponseRecord): void {
    const row = this.rowVariable.valueOf(response);
    const column = this.columnVariable.valueOf(response);
    if (row === null || column === null) {
      this.excluded++;
      return;
    }
    const weight = this.weights ? this.weights.get(response.id) : 1;
    if (weight === undefined)
      throw new RangeError(`crossTab: response ${response.id} has no weight`);
    this.rowSeen.add(row);
    this.columnSeen.add(column);
    this.base.add(weight);
    const key = JSON.stringify([row, column]);
    const cell = this.cells.get(key) ?? { count: 0, weighted: 0, weightSquares: 0 };
    cell.count++;
    cell.weighted += weight;
    cell.weightSquares += weight * weight;
    this.cells.set(key, cell);
  }

  result(): CrossTabResult {
    const rows = categoriesWithData(this.rowVariable, this.rowSeen);
    const columns = categoriesWithData(this.columnVariable, this.columnSeen);
    const raw = rows.map((r) =>
      columns.map(
        (c) =>
          this.cells.get(JSON.stringify([r.code, c.code])) ?? {
            count: 0,
            weighted: 0,
            weightSquares: 0,
          },
      ),
    );
    const sum = (values: { count: number; weighted: number }[]) =>
      values.reduce((t, v) => ({ count: t.count + v.count, weighted: t.weighted + v.weighted }), {
        count: 0,
        weighted: 0,
      });
    const rowTotals = raw.map((row) => sum(row));
    const columnTotals = columns.map((_, j) =>
      sum(raw.map((row) => row[j] ?? { count: 0, weighted: 0 })),
    );
    const cells = raw.map((row, i) =>
      row.map((cell, j) => {
        const columnTotal = columnTotals[j]?.weighted ?? 0;
        const rowTotal = rowTotals[i]?.weighted ?? 0;
        return {
          count: cell.count,
          weighted: cell.weighted,
          columnShare: columnTotal > 0 ? cell.weighted / columnTotal : null,
          rowShare: rowTotal > 0 ? cell.weighted / rowTotal : null,
        };
      }),
    );
    const test =
      this.base.count === 0
        ? { insufficient: "no respondent answered both questions" }
        : testIndependence(raw, Boolean(this.weights));
    return {
      rowVariable: { name: this.rowVariable.name, title: this.rowVariable.title },
      columnVariable: { name: this.columnVariable.name, title: this.columnVariable.title },
      rows,
      columns,
      cells,
      rowTotals,
      columnTotals,
      n: this.base.count,
      weightedN: this.base.weight,
      excluded: this.excluded,
      weighted: Boolean(this.weights),
      test,
    };
  }
}

/**
 * Cross-tabulates two variables over a list of responses.
 *
 * @example
 * crossTab(codebook, responses, { question: "feel_welcome" }, { group: "useStatus" }).test;
 * // { method: "chi-square", statistic: 12.3, df: 8, pValue: 0.14, cramersV: 0.11, reliable: true, … }
 */
export function crossTab(
  codebook: SurveyCodebook,
  responses: Iterable<ResponseRecord>,
  rows: Variable,
  columns: Variable,
  options: { weights?: ReadonlyMap<string, number> } = {},
): CrossTabResult {
  const accumulator = new CrossTabAccumulator(codebook, rows, columns, options.weights);
  for (const response of responses) accumulator.add(response);
  return accumulator.result();
}
