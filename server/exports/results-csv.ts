// Results tables and cross-tabs as CSV rows, small-cell suppressed: counts from 1 to the
// threshold − 1 read "<10", cells hidden to protect them read "suppressed", and shares, margins
// and means made from hidden counts are hidden with them.

import { pValueText } from "../analysis/finding-format.ts";
import { translator } from "../i18n/messages.ts";
import type { RankedChoices } from "../results/barriers.ts";
import type { CrossTabResult, IndependenceTest } from "../results/cross-tab.ts";
import type { NumericSummary } from "../results/estimates.ts";
import type { GroupTest } from "../results/group-tests.ts";
import {
  type CellStatus,
  isSmallCount,
  suppressedText,
  suppressList,
  suppressTable,
} from "../results/suppress.ts";
import type {
  FrequencyTable,
  QuestionResult,
  ResultSet,
  SurveyResults,
  TagCount,
} from "../results/tabulate.ts";
import { marginSentence, type WeightingResult } from "../results/weighting.ts";

export const RESULTS_HEADER = [
  "question",
  "question_text",
  "measure",
  "group_by",
  "group",
  "row",
  "row_label",
  "code",
  "label",
  "count",
  "share",
  "margin_of_error",
  "base",
  "mean",
  "median",
  "test",
  "statistic",
  "df",
  "p_value",
  "cramers_v",
  "note",
];

type Row = Record<(typeof RESULTS_HEADER)[number], unknown>;

/** Rounds away floating-point noise (0.30000000000000004) without losing useful precision. */
export function round(value: number | null | undefined, digits = 6): number | "" {
  if (value === null || value === undefined || !Number.isFinite(value)) return "";
  return Number(value.toFixed(digits));
}

function toArray(row: Partial<Row>): unknown[] {
  return RESULTS_HEADER.map((key) => row[key] ?? "");
}

interface Context {
  threshold: number;
  groupBy: string;
  group: string;
}

/** A count as shown: the number, or its suppression marker. */
function shownCount(count: number, status: CellStatus, threshold: number): unknown {
  return status === "shown" ? count : suppressedText(status, threshold);
}

function frequencyRows(
  question: QuestionResult,
  measure: string,
  table: FrequencyTable,
  additive: boolean,
  context: Context,
  row: { code: string; label: string } = { code: "", label: "" },
): Partial<Row>[] {
  const suppression = suppressList(
    table.rows.map((r) => r.count),
    context.threshold,
    additive,
  );
  const base = suppression.total ? suppressedText("complementary", context.threshold) : table.base;
  return table.rows.map((r, i) => {
    const status = suppression.cells[i] ?? "shown";
    const hidden = status !== "shown";
    return {
      question: question.name,
      question_text: question.title,
      measure,
      group_by: context.groupBy,
      group: context.group,
      row: row.code,
      row_label: row.label,
      code: r.code,
      label: r.label,
      count: shownCount(r.count, status, context.threshold),
      share: hidden ? suppressedText(status, context.threshold) : round(r.share),
      margin_of_error: hidden ? suppressedText(status, context.threshold) : round(r.marginOfError),
      base,
    };
  });
}

function summaryRow(
  question: QuestionResult,
  summary: NumericSummary,
  context: Context,
  row: { code: string; label: string } = { code: "", label: "" },
): Partial<Row> {
  const small = isSmallCount(summary.n, context.threshold);
  const hidden = suppressedText("small", context.threshold);
  return {
    question: question.name,
    question_text: question.title,
    measure: "summary",
    group_by: context.groupBy,
    group: context.group,
    row: row.code,
    row_label: row.label,
    count: small ? hidden : summary.n,
    mean: small ? hidden : round(summary.mean),
    median: small ? hidden : round(summary.median),
  };
}

function tagRows(
  question: QuestionResult,
  tags: TagCount[],
  measure: string,
  context: Context,
): Partial<Row>[] {
  return tags.map((tag) => ({
    question: question.name,
    question_text: question.title,
    measure,
    group_by: context.groupBy,
    group: context.group,
    code: tag.tag,
    label: tag.tag,
    count: isSmallCount(tag.count, context.threshold)
      ? suppressedText("small", context.threshold)
      : tag.count,
  }));
}

function questionRows(question: QuestionResult, context: Context): Partial<Row>[] {
  switch (question.kind) {
    case "single":
      return [
        ...frequencyRows(question, "frequency", question.table, true, context),
        ...tagRows(question, question.otherTags, "tag on other text", context),
      ];
    case "multiple":
      return [
        ...frequencyRows(question, "share of respondents", question.table, false, context),
        ...tagRows(question, question.otherTags, "tag on other text", context),
      ];
    case "rating":
      return [
        ...frequencyRows(question, "frequency", question.table, true, context),
        summaryRow(question, question.summary, context),
      ];
    case "ranking":
      return question.items.map((item) => {
        const small = isSmallCount(item.ranked, context.threshold);
        const firstSmall = isSmallCount(item.first.count, context.threshold);
        const hidden = suppressedText("small", context.threshold);
        return {
          question: question.name,
          question_text: question.title,
          measure: "mean rank",
          group_by: context.groupBy,
          group: context.group,
          code: item.code,
          label: item.label,
          count: small ? hidden : item.ranked,
          share: firstSmall ? hidden : round(item.first.share),
          margin_of_error: firstSmall ? hidden : round(item.first.marginOfError),
          base: question.answered,
          mean: small ? hidden : round(item.meanRank),
          note: "share = ranked first",
        };
      });
    case "matrix":
      return question.rows.flatMap((row) => [
        ...frequencyRows(question, "frequency", row.table, true, context, row),
        ...(row.summary ? [summaryRow(question, row.summary, context, row)] : []),
      ]);
    case "matrixdropdown":
      return question.cells.flatMap((cell) => {
        const row = {
          code: `${cell.row}/${cell.column}`,
          label: `${cell.rowLabel}: ${cell.columnLabel}`,
        };
        const result = cell.result;
        switch (result.kind) {
          case "single":
            return frequencyRows(question, "frequency", result.table, true, context, row);
          case "multiple":
            return frequencyRows(
              question,
              "share of respondents",
              result.table,
              false,
              context,
              row,
            );
          case "rating":
            return [
              ...frequencyRows(question, "frequency", result.table, true, context, row),
              summaryRow(question, result.summary, context, row),
            ];
          case "number":
            return [summaryRow(question, result.summary, context, row)];
          default:
            return [];
        }
      });
    case "multipletext":
      return question.items.flatMap((item) =>
        item.summary
          ? [summaryRow(question, item.summary, context, { code: item.name, label: item.label })]
          : [],
      );
    case "text":
    case "comment":
      return [
        {
          question: question.name,
          question_text: question.title,
          measure: "answered",
          group_by: context.groupBy,
          group: context.group,
          count: isSmallCount(question.answered, context.threshold)
            ? suppressedText("small", context.threshold)
            : question.answered,
          base: question.respondents,
        },
        ...(question.summary ? [summaryRow(question, question.summary, context)] : []),
        ...tagRows(question, question.tags, "tag", context),
      ];
    case "nested":
      return [];
  }
}

function setRows(set: ResultSet, context: Context): Partial<Row>[] {
  return set.questions.flatMap((question) => questionRows(question, context));
}

/** "2", or "5.424; 1296.4" for the Rao–Scott F test's numerator and denominator df. */
function degreesOfFreedom(test: Exclude<IndependenceTest, { insufficient: string }>): string {
  return test.denominatorDf === null
    ? String(round(test.df))
    : `${round(test.df, 3)}; ${round(test.denominatorDf, 1)}`;
}

function testColumns(test: IndependenceTest): Partial<Row> {
  if ("insufficient" in test)
    return { test: "none", note: `insufficient data: ${test.insufficient}` };
  return {
    test: test.method,
    statistic: round(test.statistic),
    df: degreesOfFreedom(test),
    p_value: pValueText(test.pValue),
    cramers_v: round(test.cramersV),
    note: test.note,
  };
}

/**
 * Rows of the results CSV: every table overall, then per group (when grouped), the test of
 * each table across groups, and the barriers ranked among non-users.
 */
export function* resultsRows(
  results: SurveyResults,
  options: {
    threshold: number;
    tests?: readonly GroupTest[];
    barriers?: RankedChoices | null;
    /** With weights: the raking summary and each margin's deviation (a missed one said so). */
    weighting?: Omit<WeightingResult, "weights"> | null;
  },
): Generator<unknown[]> {
  const threshold = options.threshold;
  yield RESULTS_HEADER;
  const weighting = options.weighting;
  if (weighting) {
    const t = translator("en");
    yield toArray({
      measure: "weighting",
      note: `Bounded raking to the community: effective sample size ${weighting.effectiveSampleSize.toFixed(0)}, design effect ${weighting.designEffect.toFixed(2)}.${weighting.missedMargins.length > 0 ? ` ${t("weighting.missedTitle")}.` : ""}`,
    });
    for (const dimension of weighting.dimensions) {
      yield toArray({
        measure: "weighting margin deviation",
        code: dimension.dimension,
        statistic: round(dimension.maxDeviation),
        note: marginSentence(t, dimension.dimension, dimension.maxDeviation),
      });
    }
  }
  for (const row of setRows(results, { threshold, groupBy: "", group: "" })) yield toArray(row);
  const dimension = results.groupBy;
  if (dimension && results.groups) {
    for (const group of results.groups) {
      const context = { threshold, groupBy: dimension, group: group.key };
      for (const row of setRows(group, context)) yield toArray(row);
    }
    const titles = new Map(results.questions.map((q) => [q.name, q.title]));
    for (const test of options.tests ?? []) {
      yield toArray({
        question: test.question,
        question_text: titles.get(test.question) ?? "",
        measure: `difference between groups`,
        group_by: dimension,
        row: test.row,
        code: test.choice,
        ...testColumns(test.test),
      });
    }
  }
  const barriers = options.barriers;
  if (barriers) {
    for (const choice of barriers.choices) {
      for (const [group, share, base] of [
        ["non-user", choice.nonUsers, barriers.nonUsersAnswered],
        ["user", choice.users, barriers.usersAnswered],
      ] as const) {
        const small = isSmallCount(share.count, threshold);
        const hidden = suppressedText("small", threshold);
        yield toArray({
          question: barriers.question,
          question_text: barriers.title,
          measure: "ranked among non-users",
          group_by: "useStatus",
          group,
          code: choice.code,
          label: choice.label,
          count: small ? hidden : share.count,
          share: small ? hidden : round(share.share),
          margin_of_error: small ? hidden : round(share.marginOfError),
          base,
          ...(group === "non-user" ? testColumns(choice.test) : {}),
        });
      }
    }
  }
}

export const CROSS_TAB_HEADER = [
  "row_variable",
  "row_code",
  "row_label",
  "column_variable",
  "column_code",
  "column_label",
  "count",
  "weighted_count",
  "column_share",
  "row_share",
  "test",
  "statistic",
  "df",
  "p_value",
  "cramers_v",
  "min_expected",
  "reliable",
  "note",
];

function* crossTabLines(
  result: CrossTabResult,
  options: { threshold: number },
): Generator<unknown[]> {
  const threshold = options.threshold;
  yield CROSS_TAB_HEADER;
  const suppression = suppressTable(
    result.cells.map((row) => row.map((c) => c.count)),
    threshold,
    { rowTotals: true, columnTotals: true },
  );
  const hidden = (status: CellStatus) => suppressedText(status, threshold);
  const rowName = result.rowVariable.name;
  const columnName = result.columnVariable.name;
  for (const [i, row] of result.rows.entries()) {
    for (const [j, column] of result.columns.entries()) {
      const cell = result.cells[i]?.[j];
      if (!cell) continue;
      const status = suppression.cells[i]?.[j] ?? "shown";
      const shown = status === "shown";
      yield [
        rowName,
        row.code,
        row.label,
        columnName,
        column.code,
        column.label,
        shown ? cell.count : hidden(status),
        shown ? round(cell.weighted) : hidden(status),
        shown ? round(cell.columnShare) : hidden(status),
        shown ? round(cell.rowShare) : hidden(status),
      ];
    }
  }
  const total = (count: number, weighted: number, hide: boolean) =>
    hide ? [hidden("complementary"), hidden("complementary")] : [count, round(weighted)];
  for (const [i, row] of result.rows.entries()) {
    const t = result.rowTotals[i] ?? { count: 0, weighted: 0 };
    const hide = (suppression.rowTotals[i] ?? false) || isSmallCount(t.count, threshold);
    yield [
      rowName,
      row.code,
      row.label,
      columnName,
      "",
      "Total",
      ...total(t.count, t.weighted, hide),
    ];
  }
  for (const [j, column] of result.columns.entries()) {
    const t = result.columnTotals[j] ?? { count: 0, weighted: 0 };
    const hide = (suppression.columnTotals[j] ?? false) || isSmallCount(t.count, threshold);
    yield [
      rowName,
      "",
      "Total",
      columnName,
      column.code,
      column.label,
      ...total(t.count, t.weighted, hide),
    ];
  }
  yield [
    rowName,
    "",
    "Total",
    columnName,
    "",
    "Total",
    ...total(result.n, result.weightedN, isSmallCount(result.n, threshold)),
  ];
  const test = result.test;
  yield [
    rowName,
    "",
    "",
    columnName,
    "",
    "",
    "",
    "",
    "",
    "",
    ...("insufficient" in test
      ? ["none", "", "", "", "", "", "", `insufficient data: ${test.insufficient}`]
      : [
          test.method,
          round(test.statistic),
          degreesOfFreedom(test),
          pValueText(test.pValue),
          round(test.cramersV),
          round(test.minExpected),
          test.reliable ? 1 : 0,
          test.note,
        ]),
  ];
}

/**
 * Rows of a cross-tab CSV: one per cell, then the row, column and grand totals, then the test
 * (every row as wide as the header). Cells are suppressed with their row and column totals
 * shown (server/results/suppress.ts).
 */
export function* crossTabRows(
  result: CrossTabResult,
  options: { threshold: number },
): Generator<unknown[]> {
  for (const row of crossTabLines(result, options)) {
    yield [...row, ...Array.from({ length: CROSS_TAB_HEADER.length - row.length }, () => "")];
  }
}
