// Small-cell suppression for survey tables: counts from 1 to threshold − 1 are not shown
// ("<10"), nor the shares made from them; where a total is shown, more cells are hidden
// (complementary suppression) so a small one cannot be recovered by subtraction. Every shape
// (one list, a cross-tab with its margins, groups beside the ungrouped column) is planned by
// the one planner in server/analysis/plan-suppression.ts.
import { planSuppression, planTwoWaySuppression } from "../analysis/plan-suppression.ts";
import { isSmallCount } from "../analysis/small-count.ts";
import type { SuppressionReason } from "../analysis/usage-gap-types.ts";
import type { RankedChoices } from "./barriers.ts";
import type { IndependenceTest } from "./cross-tab.ts";

/** How a cell is shown: as is, hidden because it is small, or hidden to protect a small one. */
export type CellStatus = "shown" | "small" | "complementary";

const statusOf = (reason: SuppressionReason | null): CellStatus => reason ?? "shown";

export interface TableSuppression {
  cells: CellStatus[][];
  /** Status of each row total, column total and the grand total. */
  rowTotals: CellStatus[];
  columnTotals: CellStatus[];
  grandTotal: CellStatus;
}

/**
 * Suppresses a table with its margins (server/analysis/plan-suppression.ts,
 * planTwoWaySuppression): a cell hidden in a row has a second hidden cell in its row and in its
 * column, or the margin is hidden; no hidden cell follows from the shown ones by any
 * combination of sums. `rowMargins`/`columnMargins` give the status of margins published on
 * their own (the ungrouped frequencies), which the table keeps.
 *
 * @example
 * suppressTable([[3, 40, 12], [20, 30, 25]], 10, { rowTotals: true, columnTotals: true }).cells[0];
 * // => ["small", "shown", "complementary"] and a second hidden cell in columns 0 and 2
 */
export function suppressTable(
  counts: readonly (readonly number[])[],
  threshold: number,
  shownTotals: {
    rowTotals: boolean;
    columnTotals: boolean;
    rowMargins?: readonly CellStatus[];
    columnMargins?: readonly CellStatus[];
  },
): TableSuppression {
  const plan = planTwoWaySuppression(counts, threshold, {
    rowTotals: shownTotals.rowTotals,
    columnTotals: shownTotals.columnTotals,
    forcedRowTotals: shownTotals.rowMargins?.map((s) => s !== "shown"),
    forcedColumnTotals: shownTotals.columnMargins?.map((s) => s !== "shown"),
  });
  return {
    cells: plan.cells.map((row) => row.map(statusOf)),
    rowTotals: plan.rowTotals.map(statusOf),
    columnTotals: plan.columnTotals.map(statusOf),
    grandTotal: statusOf(plan.grandTotal),
  };
}

/**
 * Suppression of one list of counts. With `additive` (the counts add up to a total that is
 * shown, as in a single-choice table) complementary cells are hidden as planSuppression says,
 * and the total too when nothing else can protect a small cell; for multi-select questions,
 * whose counts overlap, only small cells are.
 *
 * @example
 * suppressList([3, 40, 12], 10, true); // => { cells: ["small", "shown", "complementary"], total: false }
 */
export function suppressList(
  counts: readonly number[],
  threshold: number,
  additive: boolean,
): { cells: CellStatus[]; total: boolean } {
  if (!additive) {
    return {
      cells: counts.map((count) => (isSmallCount(count, threshold) ? "small" : "shown")),
      total: false,
    };
  }
  const cells = planSuppression(counts, threshold).map(statusOf);
  const hidden = counts.filter((_, index) => cells[index] !== "shown");
  const hiddenTotal = hidden.reduce((sum, count) => sum + count, 0);
  const total = hidden.length > 0 && (hidden.length < 2 || hiddenTotal < threshold);
  return { cells, total };
}

/** Suppression of one table shown per group beside (or instead of) the ungrouped table. */
export interface GroupedSuppression {
  /** The ungrouped cells, as the ungrouped table shows them. */
  overall: CellStatus[];
  /** Per group, per row. */
  groups: CellStatus[][];
  /** Each group's base (respondents who answered). */
  bases: CellStatus[];
}

/**
 * Groups side by side are a table whose margin is the ungrouped table: a group's count follows
 * from the ungrouped count minus the other groups' (issue 13: non-users aged 35–44 = everyone
 * 35–44 − users 35–44). Plans rows × groups with the ungrouped counts as row totals, keeping
 * their status from the ungrouped plan (suppressList), the groups' bases as column totals and
 * the ungrouped base as grand total. A group with fewer than `threshold` respondents shows no
 * number at all. For multi-select questions (`additive` false) only rows and bases add up.
 *
 * @example
 * // everyone 35–44: 45; users 40; non-users 5 → non-users' 5 is small, users' 40 goes with it
 * suppressGroups([45, 60], [{ counts: [40, 30], base: 70, respondents: 70 },
 *   { counts: [5, 30], base: 35, respondents: 35 }], 105, 10, true).groups;
 * // => [["complementary", "complementary"], ["small", "complementary"]]
 */
export function suppressGroups(
  overall: readonly number[],
  groups: readonly { counts: readonly number[]; base: number; respondents: number }[],
  overallBase: number,
  threshold: number,
  additive: boolean,
): GroupedSuppression {
  const overallPlan = suppressList(overall, threshold, additive).cells;
  if (groups.length === 0) return { overall: overallPlan, groups: [], bases: [] };
  const plan = planTwoWaySuppression(
    overall.map((_, i) => groups.map((g) => g.counts[i] ?? 0)),
    threshold,
    {
      forcedRowTotals: overallPlan.map((s) => s !== "shown"),
      columnSums: additive,
      columnTotalValues: groups.map((g) => g.base),
      grandTotalValue: overallBase,
      lockGrandTotal: !isSmallCount(overallBase, threshold),
      forcedColumns: groups.map((g) => isSmallCount(g.respondents, threshold)),
    },
  );
  return {
    overall: overallPlan,
    groups: groups.map((_, j) => overall.map((_, i) => statusOf(plan.cells[i]?.[j] ?? null))),
    bases: plan.columnTotals.map(statusOf),
  };
}

/**
 * The barriers' plan, on the results page and in the results CSV alike: per reason two
 * overlapping counts (several reasons can be chosen), non-users and users, over two bases that
 * add up to everyone who answered.
 */
export function suppressBarriers(barriers: RankedChoices, threshold: number) {
  return suppressGroups(
    barriers.choices.map((c) => c.nonUsers.count + c.users.count),
    [
      {
        counts: barriers.choices.map((c) => c.nonUsers.count),
        base: barriers.nonUsersAnswered,
        respondents: barriers.nonUsersAnswered,
      },
      {
        counts: barriers.choices.map((c) => c.users.count),
        base: barriers.usersAnswered,
        respondents: barriers.usersAnswered,
      },
    ],
    barriers.nonUsersAnswered + barriers.usersAnswered,
    threshold,
    false,
  );
}

/**
 * The decision whether a test may show its statistic: never beside a hidden cell, where the
 * statistic (chi-square, expected counts, Cramér's V, Fisher's p) and the shown cells would let
 * a reader solve for the hidden ones. There only the conclusion at the 5% level is given.
 *
 * @returns null when the test could not be computed
 */
export function testConclusion(test: IndependenceTest): "significant" | "not significant" | null {
  if ("insufficient" in test) return null;
  return test.pValue < 0.05 ? "significant" : "not significant";
}
