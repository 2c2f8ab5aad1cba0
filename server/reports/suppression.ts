// Small-cell suppression for everything staff see: the one place counts become text.
import { planSuppression } from "../analysis/plan-suppression.ts";
import { isSmallCount } from "../analysis/small-count.ts";
import { suppressedText } from "../analysis/suppressed-text.ts";
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

function shown(count: number): CountCell {
  return { value: count, display: integer.format(count), suppressed: false };
}

function hidden(suppressBelow: number): CountCell {
  return { value: null, display: suppressedText("small", suppressBelow), suppressed: true };
}

/** A count withheld to protect another: it is not small, so it never reads "<10". */
export function withheldCell(suppressBelow: number): CountCell {
  return { value: null, display: suppressedText("complementary", suppressBelow), suppressed: true };
}

/** A count as a plan says (server/analysis/plan-suppression.ts): shown, small or withheld. */
export function plannedCount(
  count: number,
  status: "shown" | "small" | "complementary",
  suppressBelow: number,
): CountCell {
  if (status === "shown") return shown(count);
  return status === "small" ? hidden(suppressBelow) : withheldCell(suppressBelow);
}

/** One count on its own (no total beside it). */
export function presentCount(count: number, suppressBelow: number): CountCell {
  return isSmallCount(count, suppressBelow) ? hidden(suppressBelow) : shown(count);
}

/**
 * Counts that add up to a total shown beside them (a table with its total, a chart with its n).
 * The rule is the project's one (server/analysis/plan-suppression.ts, FCSM Working Paper 22):
 * small cells are withheld, then the smallest shown non-zero cells while the withheld ones could
 * be recovered from the total. Withheld-to-protect cells read "suppressed", not "<10", so a
 * reader never takes a large count for a small one. When nothing can protect a small cell (it
 * is alone), the total is withheld too.
 */
export function suppressCounts(
  counts: readonly number[],
  suppressBelow: number,
): { cells: CountCell[]; total: CountCell } {
  const total = counts.reduce((a, b) => a + b, 0);
  const plan = planSuppression(counts, suppressBelow);
  const withheld = counts.filter((_, index) => plan[index] !== null);
  const withheldSum = withheld.reduce((a, b) => a + b, 0);
  const totalHidden =
    isSmallCount(total, suppressBelow) ||
    (withheld.length > 0 && (withheld.length < 2 || withheldSum < suppressBelow));
  return {
    cells: counts.map((count, index) =>
      plan[index] === "small"
        ? hidden(suppressBelow)
        : plan[index] === "complementary"
          ? withheldCell(suppressBelow)
          : shown(count),
    ),
    total: !totalHidden
      ? shown(total)
      : isSmallCount(total, suppressBelow)
        ? hidden(suppressBelow)
        : withheldCell(suppressBelow),
  };
}

/** A share of a total, or a dash when either side is suppressed or the total is zero. */
export function presentShare(part: CountCell, total: CountCell): string {
  if (part.value === null || total.value === null || total.value === 0) return "–";
  return percent.format(part.value / total.value);
}
