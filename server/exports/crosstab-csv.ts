// The cross-tab CSV: one row per cell, the row, column and grand totals, then the test, cells
// suppressed with their totals as the cross-tab page does.

import { suppressedText } from "../analysis/suppressed-text.ts";
import type { CrossTabResult } from "../results/cross-tab.ts";
import { type CellStatus, suppressList, suppressTable } from "../results/suppress.ts";
import { type CsvTexts, csvTexts, round, testColumns } from "./csv-statistics.ts";

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
