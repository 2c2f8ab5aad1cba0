// Small-cell suppression for survey tables: counts from 1 to threshold − 1 are not shown
// ("<10"), nor the shares made from them; where a total is shown, more cells are hidden
// (complementary suppression) so a small one cannot be recovered by subtraction. One list of
// cells follows server/analysis/plan-suppression.ts (as the usage-gap tables do); cross-tabs,
// whose row and column totals are both shown, apply the same rule to every row and column.
import { planSuppression } from "../analysis/plan-suppression.ts";

/** How a cell is shown: as is, hidden because it is small, or hidden to protect a small one. */
export type CellStatus = "shown" | "small" | "complementary";

/** Whether a count must be hidden on its own account (1 … threshold − 1; 0 is shown). */
export function isSmallCount(count: number, threshold: number): boolean {
  return count > 0 && count < threshold;
}

/**
 * The text shown in place of a hidden count: "<10" for small ones, "suppressed" for the ones
 * hidden to protect them (the usage-gap tables' markers).
 */
export function suppressedText(status: CellStatus, threshold: number): string {
  return status === "small" ? `<${threshold}` : "suppressed";
}

export interface TableSuppression {
  cells: CellStatus[][];
  /** Totals that must be hidden too (when no other cell in their line could be hidden instead). */
  rowTotals: boolean[];
  columnTotals: boolean[];
}

/**
 * Suppresses a table whose row and/or column totals are shown. Small cells are hidden first;
 * then, while a row (or column) with a shown total has exactly one hidden cell, or hidden cells
 * that add up to less than the threshold, the smallest positive shown cell of that line is
 * hidden as well (preferring one whose crossing line needs a second hidden cell too, which
 * protects both at once). When a line has no other positive cell the line's total is hidden
 * instead. Repeats until nothing changes.
 *
 * @example
 * suppressTable([[3, 40, 12]], 10, { rowTotals: true, columnTotals: false }).cells;
 * // => [["small", "shown", "complementary"]]
 */
export function suppressTable(
  counts: readonly (readonly number[])[],
  threshold: number,
  shownTotals: { rowTotals: boolean; columnTotals: boolean },
): TableSuppression {
  const rowCount = counts.length;
  const columnCount = counts[0]?.length ?? 0;
  const cells: CellStatus[][] = counts.map((row) =>
    row.map((count) => (isSmallCount(count, threshold) ? "small" : "shown")),
  );
  const rowTotals = counts.map(() => false);
  const columnTotals = Array.from({ length: columnCount }, () => false);
  const hidden = (i: number, j: number) => cells[i]?.[j] !== "shown";
  const count = (i: number, j: number) => counts[i]?.[j] ?? 0;

  const lines: {
    kind: "row" | "column";
    cells: [number, number][];
    totalHidden: () => boolean;
    hideTotal: () => void;
  }[] = [];
  if (shownTotals.rowTotals) {
    for (let i = 0; i < rowCount; i++) {
      lines.push({
        kind: "row",
        cells: Array.from({ length: columnCount }, (_, j) => [i, j] as [number, number]),
        totalHidden: () => rowTotals[i] === true,
        hideTotal: () => {
          rowTotals[i] = true;
        },
      });
    }
  }
  if (shownTotals.columnTotals) {
    for (let j = 0; j < columnCount; j++) {
      lines.push({
        kind: "column",
        cells: Array.from({ length: rowCount }, (_, i) => [i, j] as [number, number]),
        totalHidden: () => columnTotals[j] === true,
        hideTotal: () => {
          columnTotals[j] = true;
        },
      });
    }
  }
  const hiddenInRow = (i: number) => (cells[i] ?? []).filter((s) => s !== "shown").length;
  const hiddenInColumn = (j: number) => cells.filter((row) => row[j] !== "shown").length;

  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      if (line.totalHidden()) continue;
      const hiddenCells = line.cells.filter(([i, j]) => hidden(i, j));
      const hiddenTotal = hiddenCells.reduce((sum, [i, j]) => sum + count(i, j), 0);
      if (hiddenCells.length === 0 || (hiddenCells.length >= 2 && hiddenTotal >= threshold))
        continue;
      const candidates = line.cells
        .filter(([i, j]) => !hidden(i, j) && count(i, j) > 0)
        .sort(([ai, aj], [bi, bj]) => {
          // 0 when hiding the cell also gives the crossing line (with one hidden cell) its second.
          const protectsBoth = (i: number, j: number) =>
            line.kind === "row"
              ? shownTotals.columnTotals && hiddenInColumn(j) === 1
                ? 0
                : 1
              : shownTotals.rowTotals && hiddenInRow(i) === 1
                ? 0
                : 1;
          return protectsBoth(ai, aj) - protectsBoth(bi, bj) || count(ai, aj) - count(bi, bj);
        });
      const chosen = candidates[0];
      if (chosen) {
        const [i, j] = chosen;
        (cells[i] as CellStatus[])[j] = "complementary";
      } else {
        line.hideTotal();
      }
      changed = true;
    }
  }
  return { cells, rowTotals, columnTotals };
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
  const cells = planSuppression(counts, threshold).map((reason) => reason ?? "shown");
  const hidden = counts.filter((_, index) => cells[index] !== "shown");
  const hiddenTotal = hidden.reduce((sum, count) => sum + count, 0);
  const total = hidden.length > 0 && (hidden.length < 2 || hiddenTotal < threshold);
  return { cells, total };
}
