// Small-cell suppression for everything staff see: the one place counts become text.
// DESIGN.md, "Privacy and safety rules": counts 1..SUPPRESS_BELOW-1 are shown as "<N"; shares
// derived from them are hidden too; and where a total is shown, a second (complementary) cell is
// suppressed so the first cannot be recovered by subtraction.

export interface CountCell {
  /** The number, or null when it must not be shown. */
  value: number | null;
  /** What a page or table shows: "1,234", "<10" or "0". */
  display: string;
  suppressed: boolean;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });

export const isSmall = (count: number, suppressBelow: number) => count > 0 && count < suppressBelow;

function shown(count: number): CountCell {
  return { value: count, display: integer.format(count), suppressed: false };
}

function hidden(suppressBelow: number): CountCell {
  return { value: null, display: `<${suppressBelow}`, suppressed: true };
}

/** One count on its own (no total beside it). */
export function presentCount(count: number, suppressBelow: number): CountCell {
  return isSmall(count, suppressBelow) ? hidden(suppressBelow) : shown(count);
}

/**
 * Counts that add up to a total shown beside them (a table row with its total, a chart with its
 * n). Small cells are suppressed; when exactly one cell is hidden and others are shown, the
 * smallest other non-zero cell is hidden too (complementary suppression), falling back to a zero
 * cell. When no complementary cell exists (a single cell), the total is reported as hidden.
 */
export function suppressCounts(
  counts: readonly number[],
  suppressBelow: number,
): { cells: CountCell[]; total: CountCell } {
  const total = counts.reduce((a, b) => a + b, 0);
  const hide = counts.map((c) => isSmall(c, suppressBelow));
  let totalHidden = isSmall(total, suppressBelow);
  if (hide.filter(Boolean).length === 1 && !totalHidden) {
    const candidates = counts
      .map((count, index) => ({ count, index }))
      .filter(({ index }) => !hide[index]);
    const complement =
      candidates.filter((c) => c.count > 0).sort((a, b) => a.count - b.count)[0] ?? candidates[0];
    if (complement) hide[complement.index] = true;
    else totalHidden = true;
  }
  return {
    cells: counts.map((count, index) => (hide[index] ? hidden(suppressBelow) : shown(count))),
    total: totalHidden ? hidden(suppressBelow) : shown(total),
  };
}

/** A share of a total, or a dash when either side is suppressed or the total is zero. */
export function presentShare(part: CountCell, total: CountCell): string {
  if (part.value === null || total.value === null || total.value === 0) return "–";
  return percent.format(part.value / total.value);
}

export function shareValue(part: CountCell, total: CountCell): number | null {
  if (part.value === null || total.value === null || total.value === 0) return null;
  return part.value / total.value;
}
