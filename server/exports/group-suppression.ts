// Small-cell suppression of the tables a results CSV shows per group, planned together with
// the ungrouped table so that no group's count follows from the ungrouped count minus the
// other groups' (server/results/suppress.ts, suppressGroups).
import { frequencyTablesOf } from "../results/frequency-tables.ts";
import {
  type CellStatus,
  type GroupedSuppression,
  suppressGroups,
  suppressList,
} from "../results/suppress.ts";
import type { QuestionResult, SurveyResults } from "../results/table-types.ts";

/** Plans of each table shown per group, by question and table row ("" or a matrix row). */
export type GroupPlans = Map<string, { codes: string[]; plan: GroupedSuppression }>;

export const planKey = (question: string, row: string) => `${question}\u0000${row}`;

/**
 * Plans every table shown per group together with the ungrouped table (suppressGroups), so
 * that no group's count follows from the ungrouped count minus the other groups'.
 */
export function planGroups(
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
