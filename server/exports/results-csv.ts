// Results tables and cross-tabs as CSV rows, small-cell suppressed: counts from 1 to the
// threshold − 1 read "<10", cells hidden to protect them read "suppressed", and shares, margins
// and means made from hidden counts are hidden with them.

import { pValueText } from "../analysis/finding-format.ts";
import {
  type SuppressionLabels,
  suppressedText,
  suppressionLabels,
} from "../analysis/suppressed-text.ts";
import { translator } from "../i18n/messages.ts";
import type { RankedChoices } from "../results/barriers.ts";
import type { CrossTabResult, IndependenceTest } from "../results/cross-tab.ts";
import type { NumericSummary } from "../results/estimates.ts";
import { frequencyTablesOf } from "../results/frequency-tables.ts";
import type { GroupTest } from "../results/group-tests.ts";
import {
  type CellStatus,
  type GroupedSuppression,
  isSmallCount,
  suppressBarriers,
  suppressGroups,
  suppressList,
  suppressTable,
  testConclusion,
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

/** What a CSV says in words: hidden cells, a test's conclusion beside hidden cells. */
export interface CsvTexts {
  labels: SuppressionLabels;
  significant: string;
  notSignificant: string;
  withheld: string;
}

/** The English texts (the catalogue's; exports pass the translated ones). */
export function csvTexts(
  threshold: number,
  translate?: (key: string, params?: Record<string, string | number>) => string,
): CsvTexts {
  const t = translate ?? ((key: string) => ENGLISH[key] ?? key);
  return {
    labels: suppressionLabels(threshold, translate),
    significant: t("privacy.test.significant"),
    notSignificant: t("privacy.test.notSignificant"),
    withheld: t("privacy.test.withheld"),
  };
}

const ENGLISH: Record<string, string> = {
  "privacy.test.significant": "The difference is statistically significant at the 5% level.",
  "privacy.test.notSignificant": "The difference is not statistically significant at the 5% level.",
  "privacy.test.withheld":
    "Some counts are withheld, so only the test's conclusion is given: its statistic would let the withheld counts be worked out.",
};

/** Plans of each table shown per group, by question and table row ("" or a matrix row). */
type GroupPlans = Map<string, { codes: string[]; plan: GroupedSuppression }>;

interface Context {
  threshold: number;
  groupBy: string;
  group: string;
  texts: CsvTexts;
  /** When rows are one group's: its index and the plans of the grouped tables. */
  groupIndex?: number;
  plans?: GroupPlans;
  /** Status of each text question's answered count in this group. */
  answered?: Map<string, CellStatus>;
  /** Per group statuses of summaries' n and ranking counts (see planGroups). */
  extra?: Map<string, CellStatus[]>;
}

/** A count's status: from the grouped plan when there is one, else small or shown. */
function statusFor(context: Context, key: string, count: number): CellStatus {
  const planned =
    context.groupIndex === undefined ? undefined : context.extra?.get(key)?.[context.groupIndex];
  return planned ?? (isSmallCount(count, context.threshold) ? "small" : "shown");
}

const planKey = (question: string, row: string) => `${question}\u0000${row}`;

/** A count as shown: the number, or its suppression marker. */
function shownCount(count: number, status: CellStatus, context: Context): unknown {
  return status === "shown"
    ? count
    : suppressedText(status, context.threshold, context.texts.labels);
}

function frequencyRows(
  question: QuestionResult,
  measure: string,
  table: FrequencyTable,
  additive: boolean,
  context: Context,
  row: { code: string; label: string } = { code: "", label: "" },
): Partial<Row>[] {
  const grouped =
    context.groupIndex === undefined
      ? undefined
      : context.plans?.get(planKey(question.name, row.code));
  const suppression = suppressList(
    table.rows.map((r) => r.count),
    context.threshold,
    additive,
  );
  const hide = (status: CellStatus) =>
    suppressedText(status, context.threshold, context.texts.labels);
  let base: unknown = suppression.total
    ? hide(isSmallCount(table.base, context.threshold) ? "small" : "complementary")
    : table.base;
  if (grouped && context.groupIndex !== undefined) {
    const baseStatus = grouped.plan.bases[context.groupIndex] ?? "shown";
    base = baseStatus === "shown" ? table.base : hide(baseStatus);
  }
  return table.rows.map((r, i) => {
    const status: CellStatus =
      grouped && context.groupIndex !== undefined
        ? (grouped.plan.groups[context.groupIndex]?.[grouped.codes.indexOf(r.code)] ?? "shown")
        : (suppression.cells[i] ?? "shown");
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
      count: shownCount(r.count, status, context),
      share: hidden ? hide(status) : round(r.share),
      margin_of_error: hidden ? hide(status) : round(r.marginOfError),
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
  const status = statusFor(context, `${question.name}|${row.code}|summary`, summary.n);
  const small = status !== "shown";
  const hidden = suppressedText(status, context.threshold, context.texts.labels);
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
      ? suppressedText("small", context.threshold, context.texts.labels)
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
    case "ranking": {
      // Items overlap (a respondent ranks several); first places add up to the respondents.
      const firsts =
        context.groupIndex === undefined
          ? suppressList(
              question.items.map((i) => i.first.count),
              context.threshold,
              true,
            ).cells
          : undefined;
      const hide = (status: CellStatus) =>
        suppressedText(status, context.threshold, context.texts.labels);
      const baseStatus = statusFor(context, `${question.name}|rankBase`, question.answered);
      return question.items.map((item, index) => {
        const ranked = statusFor(context, `${question.name}|ranked|${item.code}`, item.ranked);
        const first =
          firsts?.[index] ??
          statusFor(context, `${question.name}|first|${item.code}`, item.first.count);
        return {
          question: question.name,
          question_text: question.title,
          measure: "mean rank",
          group_by: context.groupBy,
          group: context.group,
          code: item.code,
          label: item.label,
          count: ranked === "shown" ? item.ranked : hide(ranked),
          share: first === "shown" ? round(item.first.share) : hide(first),
          margin_of_error: first === "shown" ? round(item.first.marginOfError) : hide(first),
          base: baseStatus === "shown" ? question.answered : hide(baseStatus),
          mean: ranked === "shown" ? round(item.meanRank) : hide(ranked),
          note: "share = ranked first",
        };
      });
    }
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
    case "comment": {
      const status: CellStatus =
        context.answered?.get(question.name) ??
        (isSmallCount(question.answered, context.threshold) ? "small" : "shown");
      return [
        {
          question: question.name,
          question_text: question.title,
          measure: "answered",
          group_by: context.groupBy,
          group: context.group,
          count: shownCount(question.answered, status, context),
          base: question.respondents,
        },
        ...(question.summary ? [summaryRow(question, question.summary, context)] : []),
        ...tagRows(question, question.tags, "tag", context),
      ];
    }
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

function testColumns(test: IndependenceTest, withheld: boolean, texts: CsvTexts): Partial<Row> {
  if ("insufficient" in test)
    return { test: "none", note: `insufficient data: ${test.insufficient}` };
  if (withheld) {
    // Beside hidden cells only the conclusion (server/results/suppress.ts, testConclusion).
    const conclusion = testConclusion(test);
    return {
      test: test.method,
      note: `${conclusion === "significant" ? texts.significant : texts.notSignificant} ${texts.withheld}`,
    };
  }
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
 * Plans every table shown per group together with the ungrouped table (suppressGroups), so
 * that no group's count follows from the ungrouped count minus the other groups'.
 */
function planGroups(
  results: SurveyResults,
  threshold: number,
): { plans: GroupPlans; extra: Map<string, CellStatus[]> } {
  const plans: GroupPlans = new Map();
  const extra = new Map<string, CellStatus[]>();
  const groups = results.groups ?? [];
  results.questions.forEach((question, index) => {
    const perGroup = groups.map((g) => g.questions[index] as QuestionResult);
    // Summaries: the groups' n add up to the ungrouped n (and their sums to its sum).
    for (const [row, summaries] of summariesOf(question, perGroup))
      extra.set(`${question.name}|${row}|summary`, suppressList(summaries, threshold, true).cells);
    if (question.kind === "ranking") {
      const answered = perGroup.map((q) => q.answered);
      const rankBase = suppressList(answered, threshold, true).cells;
      extra.set(`${question.name}|rankBase`, rankBase);
      const items = question.items.map((i) => i.code);
      const itemsOf = (q: QuestionResult) => (q.kind === "ranking" ? q.items : []);
      const count = (q: QuestionResult, code: string, of: "ranked" | "first") => {
        const item = itemsOf(q).find((i) => i.code === code);
        return of === "ranked" ? (item?.ranked ?? 0) : (item?.first.count ?? 0);
      };
      for (const of of ["ranked", "first"] as const) {
        const plan = suppressGroups(
          items.map((code) => count(question, code, of)),
          perGroup.map((q, j) => ({
            counts: items.map((code) => count(q, code, of)),
            base: q.answered,
            respondents: groups[j]?.respondents ?? 0,
          })),
          question.answered,
          threshold,
          of === "first",
        );
        items.forEach((code, i) => {
          extra.set(
            `${question.name}|${of}|${code}`,
            plan.groups.map((g) => g[i] ?? "shown"),
          );
        });
      }
    }
    frequencyTablesOf(question).forEach((entry, tableIndex) => {
      const codes = entry.table.rows.map((r) => r.code);
      const plan = suppressGroups(
        entry.table.rows.map((r) => r.count),
        perGroup.map((q, j) => {
          const table = frequencyTablesOf(q)[tableIndex]?.table;
          return {
            counts: codes.map((code) => table?.rows.find((r) => r.code === code)?.count ?? 0),
            base: table?.base ?? 0,
            respondents: groups[j]?.respondents ?? 0,
          };
        }),
        entry.table.base,
        threshold,
        !entry.multiple,
      );
      plans.set(planKey(question.name, entry.row), { codes, plan });
    });
  });
  return { plans, extra };
}

/** The n of each summary a question has, per group, by table row ("" for the question). */
function summariesOf(question: QuestionResult, perGroup: QuestionResult[]): [string, number[]][] {
  const n = (q: QuestionResult, row: string): number => {
    if ((q.kind === "rating" || q.kind === "text" || q.kind === "comment") && row === "")
      return q.summary?.n ?? 0;
    if (q.kind === "matrix") return q.rows.find((r) => r.code === row)?.summary?.n ?? 0;
    if (q.kind === "matrixdropdown") {
      const cell = q.cells.find((c) => `${c.row}/${c.column}` === row)?.result;
      return cell && (cell.kind === "rating" || cell.kind === "number") ? cell.summary.n : 0;
    }
    if (q.kind === "multipletext") return q.items.find((i) => i.name === row)?.summary?.n ?? 0;
    return 0;
  };
  const rows =
    question.kind === "rating" || question.kind === "text" || question.kind === "comment"
      ? [""]
      : question.kind === "matrix"
        ? question.rows.map((r) => r.code)
        : question.kind === "matrixdropdown"
          ? question.cells.map((c) => `${c.row}/${c.column}`)
          : question.kind === "multipletext"
            ? question.items.map((i) => i.name)
            : [];
  return rows.map((row) => [row, perGroup.map((q) => n(q, row))]);
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
    texts?: CsvTexts;
  },
): Generator<unknown[]> {
  const threshold = options.threshold;
  const texts = options.texts ?? csvTexts(threshold);
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
  for (const row of setRows(results, { threshold, groupBy: "", group: "", texts }))
    yield toArray(row);
  const dimension = results.groupBy;
  if (dimension && results.groups) {
    const { plans, extra } = planGroups(results, threshold);
    // Answered counts of text questions add up across groups to the ungrouped one.
    const answered = results.groups.map(() => new Map<string, CellStatus>());
    results.questions.forEach((question, index) => {
      if (question.kind !== "text" && question.kind !== "comment") return;
      const counts = (results.groups ?? []).map((g) => g.questions[index]?.answered ?? 0);
      for (const [j, status] of suppressList(counts, threshold, true).cells.entries())
        answered[j]?.set(question.name, status);
    });
    for (const [groupIndex, group] of results.groups.entries()) {
      const context: Context = {
        threshold,
        groupBy: dimension,
        group: group.key,
        texts,
        groupIndex,
        plans,
        answered: answered[groupIndex],
        extra,
      };
      for (const row of setRows(group, context)) yield toArray(row);
    }
    const titles = new Map(results.questions.map((q) => [q.name, q.title]));
    for (const test of options.tests ?? []) {
      const grouped = plans.get(planKey(test.question, test.row));
      const withheld =
        !grouped ||
        [...grouped.plan.overall, ...grouped.plan.groups.flat(), ...grouped.plan.bases].some(
          (status) => status !== "shown",
        );
      yield toArray({
        question: test.question,
        question_text: titles.get(test.question) ?? "",
        measure: `difference between groups`,
        group_by: dimension,
        row: test.row,
        code: test.choice,
        ...testColumns(test.test, withheld, texts),
      });
    }
  }
  const barriers = options.barriers;
  if (barriers) {
    // The same plan as the results page's chart: two overlapping columns over two bases.
    const plan = suppressBarriers(barriers, threshold);
    const bases = suppressList(
      [barriers.nonUsersAnswered, barriers.usersAnswered],
      threshold,
      true,
    ).cells;
    const hide = (status: CellStatus) => suppressedText(status, threshold, texts.labels);
    for (const [i, choice] of barriers.choices.entries()) {
      const statuses = [plan.groups[0]?.[i] ?? "shown", plan.groups[1]?.[i] ?? "shown"];
      const withheld = statuses.some((status) => status !== "shown");
      for (const [j, [group, share, base]] of (
        [
          ["non-user", choice.nonUsers, barriers.nonUsersAnswered],
          ["user", choice.users, barriers.usersAnswered],
        ] as const
      ).entries()) {
        const status = statuses[j] ?? "shown";
        const hidden = status !== "shown";
        const baseStatus = bases[j] ?? "shown";
        yield toArray({
          question: barriers.question,
          question_text: barriers.title,
          measure: "ranked among non-users",
          group_by: "useStatus",
          group,
          code: choice.code,
          label: choice.label,
          count: hidden ? hide(status) : share.count,
          share: hidden ? hide(status) : round(share.share),
          margin_of_error: hidden ? hide(status) : round(share.marginOfError),
          base: baseStatus === "shown" ? base : hide(baseStatus),
          ...(group === "non-user" ? testColumns(choice.test, withheld, texts) : {}),
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
  options: { threshold: number; texts?: CsvTexts },
): Generator<unknown[]> {
  const threshold = options.threshold;
  const texts = options.texts ?? csvTexts(threshold);
  yield CROSS_TAB_HEADER;
  // The same plan as the page (server/reports/results-page.ts, crossTabView).
  const suppression = suppressTable(
    result.cells.map((row) => row.map((c) => c.count)),
    threshold,
    {
      rowTotals: true,
      columnTotals: true,
      rowMargins: suppressList(
        result.rowTotals.map((t) => t.count),
        threshold,
        true,
      ).cells,
      columnMargins: suppressList(
        result.columnTotals.map((t) => t.count),
        threshold,
        true,
      ).cells,
    },
  );
  const hidden = (status: CellStatus) => suppressedText(status, threshold, texts.labels);
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
  const total = (count: number, weighted: number, status: CellStatus) =>
    status === "shown" ? [count, round(weighted)] : [hidden(status), hidden(status)];
  for (const [i, row] of result.rows.entries()) {
    const t = result.rowTotals[i] ?? { count: 0, weighted: 0 };
    yield [
      rowName,
      row.code,
      row.label,
      columnName,
      "",
      "Total",
      ...total(t.count, t.weighted, suppression.rowTotals[i] ?? "shown"),
    ];
  }
  for (const [j, column] of result.columns.entries()) {
    const t = result.columnTotals[j] ?? { count: 0, weighted: 0 };
    yield [
      rowName,
      "",
      "Total",
      columnName,
      column.code,
      column.label,
      ...total(t.count, t.weighted, suppression.columnTotals[j] ?? "shown"),
    ];
  }
  yield [
    rowName,
    "",
    "Total",
    columnName,
    "",
    "Total",
    ...total(result.n, result.weightedN, suppression.grandTotal),
  ];
  const withheld = [
    ...suppression.cells.flat(),
    ...suppression.rowTotals,
    ...suppression.columnTotals,
    suppression.grandTotal,
  ].some((status) => status !== "shown");
  const test = result.test;
  const columns = testColumns(test, withheld, texts);
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
    columns.test ?? "",
    columns.statistic ?? "",
    columns.df ?? "",
    columns.p_value ?? "",
    columns.cramers_v ?? "",
    "insufficient" in test || withheld ? "" : round(test.minExpected),
    "insufficient" in test || withheld ? "" : test.reliable ? 1 : 0,
    columns.note ?? "",
  ];
}

/**
 * Rows of a cross-tab CSV: one per cell, then the row, column and grand totals, then the test
 * (every row as wide as the header). Cells are suppressed with their row and column totals
 * shown (server/results/suppress.ts).
 */
export function* crossTabRows(
  result: CrossTabResult,
  options: { threshold: number; texts?: CsvTexts },
): Generator<unknown[]> {
  for (const row of crossTabLines(result, options)) {
    yield [...row, ...Array.from({ length: CROSS_TAB_HEADER.length - row.length }, () => "")];
  }
}
