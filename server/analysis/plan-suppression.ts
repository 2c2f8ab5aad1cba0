import { isSmallCount } from "./small-count.ts";
import type { SuppressionReason } from "./usage-gap-types.ts";

/**
 * A set of published quantities linked by sums: cell and margin counts of a table, a group's
 * counts beside the ungrouped ones, a headline total. Each equation says that the cells in
 * `parts` add up to the cell `total`; a reader who sees all but one of them can subtract.
 */
export interface SuppressionProblem {
  /** Every quantity (finite, ≥ 0), by index. */
  values: readonly number[];
  /** Σ values[parts] = values[total], by index. */
  equations: readonly { parts: readonly number[]; total: number }[];
  /** Quantities never published (respondents who did not answer…): unknown to the reader. */
  unpublished?: readonly number[];
  /** Quantities that must stay as published elsewhere (shown): never hidden here. */
  locked?: readonly number[];
  /** Quantities withheld elsewhere, so withheld here too ("complementary" unless small). */
  forced?: readonly number[];
  /** Margins: hidden only when no other cell of an equation can protect it. */
  margins?: readonly number[];
}

/** Per quantity: "small", "complementary", or null (shown); unpublished ones read null. */
export type SuppressionPlan = (SuppressionReason | null)[];

function checkInputs(name: string, values: readonly number[], suppressBelow: number): void {
  values.forEach((count, index) => {
    if (typeof count !== "number" || !Number.isFinite(count) || count < 0) {
      throw new RangeError(
        `${name}: counts[${index}] must be a finite number ≥ 0 (got ${String(count)})`,
      );
    }
  });
  if (typeof suppressBelow !== "number" || !Number.isFinite(suppressBelow) || suppressBelow < 0) {
    throw new RangeError(
      `${name}: suppressBelow must be a finite number ≥ 0 (got ${String(suppressBelow)})`,
    );
  }
}

/**
 * The withheld quantities whose value still follows exactly from the published ones and the
 * equations (linear algebra over the withheld quantities as unknowns: x_i is determined when the
 * unit vector e_i lies in the row space of the equations, i.e. its reduced row is e_i).
 *
 * @example
 * // a + b = 30 and a + c = 20 with b shown: a follows, so does c.
 * determinedCells({ values: [10, 20, 10, 30, 20], equations: [{ parts: [0, 1], total: 3 },
 *   { parts: [0, 2], total: 4 }] }, [true, false, true, false, false]); // => [0, 2]
 */
export function determinedCells(
  problem: Pick<SuppressionProblem, "values" | "equations">,
  hidden: readonly boolean[],
): number[] {
  const unknowns = problem.values.map((_, i) => i).filter((i) => hidden[i]);
  const column = new Map(unknowns.map((cell, j) => [cell, j]));
  const rows: number[][] = [];
  for (const equation of problem.equations) {
    const row = unknowns.map(() => 0);
    for (const part of equation.parts) {
      const j = column.get(part);
      if (j !== undefined) row[j] = (row[j] ?? 0) + 1;
    }
    const t = column.get(equation.total);
    if (t !== undefined) row[t] = (row[t] ?? 0) - 1;
    if (row.some((v) => v !== 0)) rows.push(row);
  }
  // Reduced row echelon form (Gauss–Jordan); coefficients are small integers, so a tolerance
  // of 1e-9 tells zero from non-zero safely.
  const eps = 1e-9;
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < unknowns.length && r < rows.length; c++) {
    let pivot = -1;
    for (let i = r; i < rows.length; i++) if (Math.abs(rows[i]?.[c] ?? 0) > eps) pivot = i;
    if (pivot === -1) continue;
    [rows[r], rows[pivot]] = [rows[pivot] as number[], rows[r] as number[]];
    const lead = rows[r] as number[];
    const scale = lead[c] as number;
    for (let j = 0; j < lead.length; j++) lead[j] = (lead[j] as number) / scale;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as number[];
      const factor = row[c] as number;
      if (i === r || Math.abs(factor) <= eps) continue;
      for (let j = 0; j < row.length; j++)
        row[j] = (row[j] as number) - factor * (lead[j] as number);
    }
    pivots.push(c);
    r++;
  }
  const determined: number[] = [];
  pivots.forEach((c, i) => {
    const row = rows[i] as number[];
    if (row.every((v, j) => j === c || Math.abs(v) <= eps)) determined.push(unknowns[c] as number);
  });
  return determined;
}

/**
 * Small-cell suppression with complementary suppression for any set of published counts linked
 * by sums: a list with its total, a two-way table with its row and column totals and grand
 * total, groups side by side with the ungrouped column as their margin, several tables sharing a
 * total.
 *
 * 1. Primary suppression: a count c with 0 < c < suppressBelow is withheld ("small"). Zero is
 *    shown: it reveals no person.
 * 2. Complementary suppression, equation by equation: an equation with withheld quantities is
 *    unsafe when only one of its quantities is withheld (it follows by subtraction), or when its
 *    total is shown and the withheld parts add up to less than suppressBelow (together they
 *    would be a small count). The smallest positive shown part is withheld ("complementary"),
 *    preferring one that also gives a second withheld cell to another unsafe equation and one
 *    that is not a margin; when no part can be withheld the total is. Repeats until every
 *    equation is safe.
 * 3. Audit: the withheld quantities are solved for as unknowns of all equations at once; any
 *    that is still determined gets one more cell withheld in an equation it belongs to, and
 *    step 2 runs again.
 *
 * Source: Federal Committee on Statistical Methodology (2005), Statistical Policy Working Paper
 * 22, "Report on Statistical Disclosure Limitation Methodology", ch. 4 (threshold rule,
 * complementary suppression, auditing a suppression pattern by linear equations).
 *
 * @param problem the quantities and their equations
 * @param suppressBelow threshold; counts 1 … suppressBelow − 1 are small (≤ 1: nothing is)
 * @returns per quantity "small", "complementary" or null
 * @example
 * // [5, 20] / [40, 50] with row, column and grand totals: 5 is small; 20 protects its row,
 * // 40 its column, 50 the rest.
 * planTwoWaySuppression([[5, 20], [40, 50]], 10).cells; // => [["small", "complementary"], ["complementary", "complementary"]]
 */
export function planTableSuppression(
  problem: SuppressionProblem,
  suppressBelow: number,
): SuppressionPlan {
  const values = problem.values;
  checkInputs("planTableSuppression", values, suppressBelow);
  const unpublished = new Set(problem.unpublished ?? []);
  const locked = new Set(problem.locked ?? []);
  const margins = new Set(problem.margins ?? []);
  const small = (i: number) => {
    const v = values[i] ?? 0;
    return isSmallCount(v, suppressBelow) && !unpublished.has(i);
  };
  const hidden = values.map((_, i) => unpublished.has(i) || small(i));
  for (const i of problem.forced ?? []) hidden[i] = true;
  const equations = problem.equations.map((e) => ({
    parts: [...e.parts],
    total: e.total,
    all: [...e.parts, e.total],
  }));
  const memberOf = values.map(() => [] as number[]);
  equations.forEach((e, index) => {
    for (const i of e.all) memberOf[i]?.push(index);
  });
  const hideable = (i: number) => !hidden[i] && !locked.has(i) && (values[i] ?? 0) > 0;
  const hiddenCount = (e: (typeof equations)[number]) => e.all.filter((i) => hidden[i]).length;
  const unsafe = (e: (typeof equations)[number]) => {
    const count = hiddenCount(e);
    if (count === 0) return false;
    if (count === 1) return true;
    if (hidden[e.total]) return false;
    const sum = e.parts.filter((i) => hidden[i]).reduce((s, i) => s + (values[i] ?? 0), 0);
    return sum < suppressBelow;
  };
  /** Withholds the best cell of an equation; false when none can be. */
  const protect = (e: (typeof equations)[number]): boolean => {
    const score = (i: number) =>
      (memberOf[i]?.some((other) => {
        const line = equations[other];
        return line !== undefined && line !== e && hiddenCount(line) === 1;
      })
        ? 0
        : 2) + (margins.has(i) ? 1 : 0);
    const candidates = e.parts
      .filter(hideable)
      .sort((a, b) => score(a) - score(b) || (values[a] ?? 0) - (values[b] ?? 0) || a - b);
    const chosen = candidates[0] ?? (hideable(e.total) ? e.total : undefined);
    if (chosen === undefined) return false;
    hidden[chosen] = true;
    return true;
  };
  const settle = () => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const e of equations) if (unsafe(e) && protect(e)) changed = true;
    }
  };
  settle();
  for (let round = 0; round <= values.length; round++) {
    const determined = determinedCells(problem, hidden).filter((i) => !unpublished.has(i));
    if (determined.length === 0) break;
    let added = false;
    for (const cell of determined) {
      for (const index of memberOf[cell] ?? []) {
        const e = equations[index] as (typeof equations)[number];
        if (protect(e)) {
          added = true;
          break;
        }
      }
    }
    if (!added) break;
    settle();
  }
  return values.map((_, i) =>
    unpublished.has(i) || !hidden[i] ? null : small(i) ? "small" : "complementary",
  );
}

/**
 * Small-cell suppression with complementary suppression for one set of cells that add up to a
 * total that is (or can be) shown and must stay shown (planTableSuppression with one equation
 * and the total locked).
 *
 * @param counts the cells (finite, ≥ 0)
 * @param suppressBelow threshold; counts 1 … suppressBelow − 1 are small (≤ 1: nothing is)
 * @returns per cell "small", "complementary" or null
 * @example
 * planSuppression([120, 4, 60, 300], 10); // => [null, "small", "complementary", null]
 */
export function planSuppression(
  counts: readonly number[],
  suppressBelow: number,
): (SuppressionReason | null)[] {
  checkInputs("planSuppression", counts, suppressBelow);
  const total = counts.length;
  const plan = planTableSuppression(
    {
      values: [...counts, counts.reduce((sum, count) => sum + count, 0)],
      equations: [{ parts: counts.map((_, i) => i), total }],
      locked: [total],
    },
    suppressBelow,
  );
  return plan.slice(0, total);
}

/** A two-way plan: per cell, per row total, per column total, and the grand total. */
export interface TwoWayPlan {
  cells: SuppressionPlan[];
  rowTotals: SuppressionPlan;
  columnTotals: SuppressionPlan;
  grandTotal: SuppressionReason | null;
}

/**
 * Suppression of a table with its margins: rows × columns of counts, row totals, column totals
 * and the grand total, as equations (every row, every column, and the grand total as the sum of
 * either margin). A cell withheld in a row gets a second withheld cell in that row and in its
 * column, or the margin is withheld.
 *
 * Options: `rowTotals`/`columnTotals` false when that margin is not published (then it is an
 * unknown to the reader); `forcedRowTotals`/`forcedColumnTotals` mark margins withheld where
 * they are published on their own (the ungrouped frequencies beside groups), so the two pages
 * agree; `lockGrandTotal` keeps the grand total shown (it is published everywhere).
 *
 * @example
 * planTwoWaySuppression([[5, 20, 30], [40, 50, 60]], 10).cells[0]; // => ["small", "complementary", null]
 */
export function planTwoWaySuppression(
  counts: readonly (readonly number[])[],
  suppressBelow: number,
  options: {
    rowTotals?: boolean;
    columnTotals?: boolean;
    forcedRowTotals?: readonly boolean[];
    forcedColumnTotals?: readonly boolean[];
    lockGrandTotal?: boolean;
    /** False when a column's cells overlap (multi-select): only rows add up. */
    columnSums?: boolean;
    /** Column totals and grand total when they are not the sums (multi-select bases). */
    columnTotalValues?: readonly number[];
    grandTotalValue?: number;
    /** Whole columns withheld (a group too small to show): cells and column total. */
    forcedColumns?: readonly boolean[];
  } = {},
): TwoWayPlan {
  const rowCount = counts.length;
  const columnCount = counts[0]?.length ?? 0;
  const values: number[] = [];
  const cell = (i: number, j: number) => i * columnCount + j;
  for (const row of counts) for (let j = 0; j < columnCount; j++) values.push(row[j] ?? 0);
  const rowTotal = (i: number) => rowCount * columnCount + i;
  const columnTotal = (j: number) => rowCount * columnCount + rowCount + j;
  const grand = rowCount * columnCount + rowCount + columnCount;
  for (const row of counts) values.push(row.reduce((s, v) => s + v, 0));
  for (let j = 0; j < columnCount; j++)
    values.push(options.columnTotalValues?.[j] ?? counts.reduce((s, row) => s + (row[j] ?? 0), 0));
  values.push(
    options.grandTotalValue ?? values.slice(0, rowCount * columnCount).reduce((s, v) => s + v, 0),
  );
  const rows = Array.from({ length: rowCount }, (_, i) => i);
  const columns = Array.from({ length: columnCount }, (_, j) => j);
  const columnSums = options.columnSums !== false;
  const equations = [
    ...rows.map((i) => ({ parts: columns.map((j) => cell(i, j)), total: rowTotal(i) })),
    ...(columnSums
      ? columns.map((j) => ({ parts: rows.map((i) => cell(i, j)), total: columnTotal(j) }))
      : []),
    ...(columnSums ? [{ parts: rows.map(rowTotal), total: grand }] : []),
    { parts: columns.map(columnTotal), total: grand },
  ];
  const unpublished = [
    ...(options.rowTotals === false ? rows.map(rowTotal) : []),
    ...(options.columnTotals === false ? columns.map(columnTotal) : []),
  ];
  const forced = [
    ...rows.filter((i) => options.forcedRowTotals?.[i]).map(rowTotal),
    ...columns.filter((j) => options.forcedColumnTotals?.[j]).map(columnTotal),
    // A row whose total is 0 is 0 in every column: showing it there tells nothing new.
    ...columns
      .filter((j) => options.forcedColumns?.[j])
      .flatMap((j) => [
        ...rows.filter((i) => (values[rowTotal(i)] ?? 0) > 0).map((i) => cell(i, j)),
        ...((values[grand] ?? 0) > 0 ? [columnTotal(j)] : []),
      ]),
  ];
  // Margins published on their own keep the status they have there.
  const locked = [
    ...(options.forcedRowTotals
      ? rows.filter((i) => !options.forcedRowTotals?.[i]).map(rowTotal)
      : []),
    ...(options.forcedColumnTotals
      ? columns.filter((j) => !options.forcedColumnTotals?.[j]).map(columnTotal)
      : []),
    ...(options.lockGrandTotal ? [grand] : []),
  ];
  const plan = planTableSuppression(
    {
      values,
      equations,
      unpublished,
      forced,
      locked,
      margins: [...rows.map(rowTotal), ...columns.map(columnTotal), grand],
    },
    suppressBelow,
  );
  return {
    cells: rows.map((i) => columns.map((j) => plan[cell(i, j)] ?? null)),
    rowTotals: rows.map((i) => plan[rowTotal(i)] ?? null),
    columnTotals: columns.map((j) => plan[columnTotal(j)] ?? null),
    grandTotal: plan[grand] ?? null,
  };
}
