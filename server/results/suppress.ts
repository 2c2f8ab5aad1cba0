// Small-cell suppression: counts from 1 to threshold − 1 are not shown ("<10"), nor the shares
// made from them; where a total is shown, a second (complementary) cell is hidden too, so the
// first cannot be recovered by subtraction. Pages and CSV files both use these functions.

/** How a cell is shown: as is, hidden because it is small, or hidden to protect a small one. */
export type CellStatus = "shown" | "small" | "complementary";

/** Whether a count must be hidden on its own account (1 … threshold − 1; 0 is shown). */
export function isSmallCount(count: number, threshold: number): boolean {
  return count > 0 && count < threshold;
}

/** The text shown in place of a hidden count: "<10" for small ones, "x" for complementary ones. */
export function suppressedText(status: CellStatus, threshold: number): string {
  return status === "small" ? `<${threshold}` : "x";
}

export interface TableSuppression {
  cells: CellStatus[][];
  /** Totals that must be hidden too (when no other cell in their line could be hidden instead). */
  rowTotals: boolean[];
  columnTotals: boolean[];
}

/**
 * Suppresses a table whose row and/or column totals are shown. Small cells are hidden first;
 * then, while a row (or column) with a shown total has exactly one hidden cell, the smallest
 * positive shown cell of that line is hidden as well (preferring one whose other line already
 * hides a cell, which protects both lines at once). When a line has no other positive cell the
 * line's total is hidden instead. Repeats until nothing changes.
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
      if (hiddenCells.length !== 1) continue;
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
 * shown, as in a single-choice table) a complementary cell is hidden; for multi-select
 * questions, whose counts overlap, only small cells are.
 */
export function suppressList(
  counts: readonly number[],
  threshold: number,
  additive: boolean,
): { cells: CellStatus[]; total: boolean } {
  const result = suppressTable([counts], threshold, { rowTotals: additive, columnTotals: false });
  return { cells: result.cells[0] ?? [], total: result.rowTotals[0] ?? false };
}
