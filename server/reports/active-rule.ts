// Who counts as an active user, as the usage-gap reports show it (JSON `activeRule`, the CLI text,
// /staff/gaps): the rule's one sentence (worded in server/imports/active-rule.ts) and the counts
// it produced, with small counts withheld as everywhere staff look (server/reports/suppression.ts).
// The counts form partitions, each protected against subtraction: registered = active + active
// only before the period + never active, and the exclusions and rejections by reason, are
// suppressed with their totals (a small cell and a complementary one); in rows read = registered
// + excluded + rejected it is the total, rows read, that is withheld when a part is small, so the
// number of registered patrons (the analysis's base) stays shown.

import type { ShownCount } from "../analysis/present-usage-gaps.ts";
import { isSmallCount } from "../analysis/small-count.ts";
import { suppressedText } from "../analysis/suppressed-text.ts";
import { activeRuleSentence, type CountsWithTotals, withTotals } from "../imports/active-rule.ts";
import type { ActiveRule, ActiveRuleSummary } from "../queries/imports.ts";
import { type CountCell, presentCount, suppressCounts } from "./suppression.ts";

export interface PresentedActiveRule {
  /** The rule in one sentence (English; the staff page words it in the page's language). */
  sentence: string;
  rule: ActiveRule;
  counts: CountsWithTotals<ShownCount>;
}

const shown = (cell: CountCell): ShownCount => cell.value ?? cell.display;

/**
 * Suppresses `parts` against their `total`; when the total is already withheld, every part that is
 * not zero is withheld too ("<10" for a small one).
 */
function partition(
  parts: readonly number[],
  total: ShownCount,
  suppressBelow: number,
): { cells: ShownCount[]; total: ShownCount } {
  if (typeof total === "string") {
    const cells = parts.map((n) =>
      n === 0
        ? 0
        : suppressedText(isSmallCount(n, suppressBelow) ? "small" : "complementary", suppressBelow),
    );
    return { cells, total };
  }
  const result = suppressCounts(parts, suppressBelow);
  return { cells: result.cells.map(shown), total: shown(result.total) };
}

/**
 * The rule and its counts as they may be shown.
 *
 * @param summary the rule and counts stored with the patron import
 * @param suppressBelow counts 1 … suppressBelow − 1 are withheld
 */
export function presentActiveRule(
  summary: ActiveRuleSummary,
  suppressBelow: number,
): PresentedActiveRule {
  const counts = withTotals(summary.counts);
  const parts = [counts.registered, counts.excludedTotal, counts.rejectedTotal];
  const [registered, excludedTotal, rejectedTotal] = parts.map((n) =>
    shown(presentCount(n, suppressBelow)),
  ) as [ShownCount, ShownCount, ShownCount];
  const rowsRead =
    parts.some((n) => isSmallCount(n, suppressBelow)) &&
    !isSmallCount(counts.rowsRead, suppressBelow)
      ? suppressedText("complementary", suppressBelow)
      : shown(presentCount(counts.rowsRead, suppressBelow));
  const users = partition(
    [counts.active, counts.inactive, counts.neverActive],
    registered,
    suppressBelow,
  );
  const [active, inactive, neverActive] = users.cells as [ShownCount, ShownCount, ShownCount];
  const byReason = (record: Record<string, number>, total: ShownCount) => {
    const entries = Object.entries(record);
    const cells = partition(
      entries.map(([, n]) => n),
      total,
      suppressBelow,
    ).cells;
    return Object.fromEntries(entries.map(([reason], i) => [reason, cells[i] as ShownCount]));
  };
  return {
    sentence: activeRuleSentence(summary.rule),
    rule: summary.rule,
    counts: {
      rowsRead,
      excludedTotal,
      excluded: byReason(counts.excluded, excludedTotal),
      rejectedTotal,
      rejected: byReason(counts.rejected, rejectedTotal),
      registered: users.total,
      active,
      inactive,
      neverActive,
    },
  };
}
