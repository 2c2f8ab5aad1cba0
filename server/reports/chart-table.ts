// The shape every staff chart is drawn from: a data table (shown to everyone, read by screen
// readers) that public/js/staff-charts.js turns into a Chart.js chart.
import { planTableSuppression } from "../analysis/plan-suppression.ts";
import { type CountCell, plannedCount, presentShare, suppressCounts } from "./suppression.ts";

export interface ChartRow {
  label: string;
  cells: Array<CountCell | TextCell>;
  /** The row's total, when the table shows one. */
  total?: CountCell;
}

/** A cell that is not a count (a share, an index): `value` is what the chart plots. */
export interface TextCell {
  value: number | null;
  display: string;
  suppressed: boolean;
  /** A floating bar from low to high (an interval), when the chart shows one. */
  range?: [number, number];
}

export interface ChartTable {
  id: string;
  title: string;
  /** One sentence saying what the chart shows, for the figure caption. */
  caption?: string;
  /** bar: grouped bars; stacked: stacked bars; line: over time; range: floating intervals. */
  kind: "bar" | "stacked" | "line" | "range";
  horizontal?: boolean;
  categoryLabel: string;
  series: string[];
  /** Which series the chart draws (indexes into `series`); the others are table-only. */
  plot?: number[];
  rows: ChartRow[];
  /** A final row of column totals. */
  totals?: ChartRow;
  /** Values are fractions shown as percentages (the chart's axis reads 0–100%). */
  percent?: boolean;
  note?: string;
}

/**
 * One count per category with a total row and a share column: small counts are suppressed, and a
 * second cell with them so the total does not give the first away.
 */
export function countTable(options: {
  id: string;
  title: string;
  caption?: string;
  categoryLabel: string;
  entries: ReadonlyArray<{ label: string; count: number }>;
  suppressBelow: number;
  countLabel?: string;
  horizontal?: boolean;
  /** The total's status where it is planned with other tables (the overview's grand total). */
  totalStatus?: "shown" | "small" | "complementary";
}): ChartTable {
  const counts = options.entries.map((e) => e.count);
  const totalCount = counts.reduce((sum, count) => sum + count, 0);
  let cells: CountCell[];
  let total: CountCell;
  if (options.totalStatus && options.totalStatus !== "shown") {
    // The total is withheld elsewhere: the cells must not add up to it either.
    const plan = planTableSuppression(
      {
        values: [...counts, totalCount],
        equations: [{ parts: counts.map((_, i) => i), total: counts.length }],
        forced: [counts.length],
      },
      options.suppressBelow,
    );
    cells = counts.map((count, i) =>
      plannedCount(count, plan[i] ?? "shown", options.suppressBelow),
    );
    total = plannedCount(totalCount, options.totalStatus, options.suppressBelow);
  } else {
    ({ cells, total } = suppressCounts(counts, options.suppressBelow));
  }
  return {
    id: options.id,
    title: options.title,
    caption: options.caption,
    kind: "bar",
    horizontal: options.horizontal ?? options.entries.length > 6,
    categoryLabel: options.categoryLabel,
    series: [options.countLabel ?? "Responses", "Share"],
    plot: [0],
    rows: options.entries.map((entry, index) => {
      const cell = cells[index] as CountCell;
      return {
        label: entry.label,
        cells: [cell, { value: null, display: presentShare(cell, total), suppressed: false }],
      };
    }),
    totals: {
      label: "Total",
      cells: [total, { value: null, display: total.value ? "100%" : "–", suppressed: false }],
    },
  };
}
