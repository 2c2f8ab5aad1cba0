// The cross-tab's view model: counts with column shares, suppressed on both margins and the
// grand total (server/results/suppress.ts), and the test in words (test-text.ts).
import { suppressedText, suppressionLabels } from "../analysis/suppressed-text.ts";
import type { Translate } from "../i18n/messages.ts";
import type { CrossTabResult } from "../results/cross-tab.ts";
import { type CellStatus, suppressList, suppressTable } from "../results/suppress.ts";
import { type CountCell, plannedCount, presentCount } from "./suppression.ts";
import { conclusionText, testSentence } from "./test-text.ts";

const percent = (share: number | null) => (share === null ? "–" : `${(share * 100).toFixed(0)}%`);

export interface CrossTabView {
  rowTitle: string;
  columnTitle: string;
  columns: string[];
  rows: { label: string; cells: string[]; total: string }[];
  totals: { cells: string[]; total: string };
  test: string;
  note: string;
  excluded: CountCell;
}

/**
 * A cross-tab with counts and column shares, suppressed on both margins and the grand total.
 * The margins keep the status they have where they are published on their own (a question's
 * frequencies, the group sizes). Beside a hidden cell the test gives its conclusion only.
 */
export function crossTabView(
  result: CrossTabResult,
  k: number,
  translate: Translate,
): CrossTabView {
  const counts = result.cells.map((row) => row.map((c) => c.count));
  const rowMargins = suppressList(
    result.rowTotals.map((t) => t.count),
    k,
    true,
  ).cells;
  const columnMargins = suppressList(
    result.columnTotals.map((t) => t.count),
    k,
    true,
  ).cells;
  const plan = suppressTable(counts, k, {
    rowTotals: true,
    columnTotals: true,
    rowMargins,
    columnMargins,
  });
  const labels = suppressionLabels(k, translate);
  const label = (status: CellStatus) => suppressedText(status, k, labels);
  const cellText = (i: number, j: number) => {
    const status = plan.cells[i]?.[j] ?? "shown";
    const cell = result.cells[i]?.[j];
    if (!cell) return "–";
    if (status !== "shown") return label(status);
    return `${cell.count} (${percent(cell.columnShare)})`;
  };
  const total = (count: number, status: CellStatus) =>
    status === "shown" ? String(count) : label(status);
  const withheld = [
    ...plan.cells.flat(),
    ...plan.rowTotals,
    ...plan.columnTotals,
    plan.grandTotal,
  ].some((s) => s !== "shown");
  const test = result.test;
  return {
    rowTitle: result.rowVariable.title,
    columnTitle: result.columnVariable.title,
    columns: result.columns.map((c) => c.label),
    rows: result.rows.map((row, i) => ({
      label: row.label,
      cells: result.columns.map((_, j) => cellText(i, j)),
      total: total(result.rowTotals[i]?.count ?? 0, plan.rowTotals[i] ?? "shown"),
    })),
    totals: {
      cells: result.columns.map((_, j) =>
        total(result.columnTotals[j]?.count ?? 0, plan.columnTotals[j] ?? "shown"),
      ),
      total: total(result.n, plan.grandTotal),
    },
    test:
      "insufficient" in test
        ? `No test: ${test.insufficient}.`
        : withheld
          ? `${conclusionText(test, translate)} ${translate("privacy.test.withheld")}`
          : testSentence(test),
    // The note names the smallest expected count, itself made from the margins.
    note: "insufficient" in test || withheld ? "" : test.note,
    // Respondents − excluded = the grand total: hidden with it.
    excluded:
      plan.grandTotal === "shown"
        ? presentCount(result.excluded, k)
        : plannedCount(0, "complementary", k),
  };
}
