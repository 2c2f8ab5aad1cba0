// The rows of the results CSV for one set of results (everyone, or one group): each question's
// frequency tables, summaries, rankings and open-answer tags, small-cell suppressed: counts
// from 1 to the threshold − 1 read "<10", cells hidden to protect them read "suppressed", and
// shares, margins and means made from hidden counts are hidden with them.

import { isSmallCount } from "../analysis/small-count.ts";
import { suppressedText } from "../analysis/suppressed-text.ts";
import type { NumericSummary } from "../results/estimates.ts";
import { type CellStatus, suppressList } from "../results/suppress.ts";
import type {
  FrequencyTable,
  QuestionResult,
  ResultSet,
  TagCount,
} from "../results/table-types.ts";
import { type CsvTexts, round } from "./csv-statistics.ts";
import { type GroupPlans, planKey } from "./group-suppression.ts";

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

export type ResultsRow = Record<(typeof RESULTS_HEADER)[number], unknown>;

export function toArray(row: Partial<ResultsRow>): unknown[] {
  return RESULTS_HEADER.map((key) => row[key] ?? "");
}

export interface Context {
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
): Partial<ResultsRow>[] {
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
): Partial<ResultsRow> {
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
): Partial<ResultsRow>[] {
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

function questionRows(question: QuestionResult, context: Context): Partial<ResultsRow>[] {
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

export function setRows(set: ResultSet, context: Context): Partial<ResultsRow>[] {
  return set.questions.flatMap((question) => questionRows(question, context));
}
