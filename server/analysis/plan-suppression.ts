import type { SuppressionReason } from "./usage-gap-types.ts";

/**
 * Small-cell suppression with complementary suppression for one set of cells that add up to a
 * total that is (or can be) shown.
 *
 * Primary suppression: a count c with 0 < c < suppressBelow is withheld ("small"). Zero is
 * shown: it reveals no person. Complementary suppression: if the withheld cells could be
 * recovered from the total by subtraction, because only one cell is withheld or the withheld
 * cells together add up to less than suppressBelow, the smallest non-zero shown cell is
 * withheld as well ("complementary"), and again until neither holds or no cell is left.
 *
 * Source: Federal Committee on Statistical Methodology (2005), Statistical Policy Working Paper
 * 22, "Report on Statistical Disclosure Limitation Methodology", ch. 4 (threshold rule,
 * complementary suppression).
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
  counts.forEach((count, index) => {
    if (typeof count !== "number" || !Number.isFinite(count) || count < 0) {
      throw new RangeError(
        `planSuppression: counts[${index}] must be a finite number ≥ 0 (got ${String(count)})`,
      );
    }
  });
  if (typeof suppressBelow !== "number" || !Number.isFinite(suppressBelow) || suppressBelow < 0) {
    throw new RangeError(
      `planSuppression: suppressBelow must be a finite number ≥ 0 (got ${String(suppressBelow)})`,
    );
  }

  const plan: (SuppressionReason | null)[] = counts.map((count) =>
    count > 0 && count < suppressBelow ? "small" : null,
  );
  const withheld = () => counts.filter((_, index) => plan[index] !== null);
  while (withheld().length > 0) {
    const hidden = withheld();
    const hiddenTotal = hidden.reduce((sum, count) => sum + count, 0);
    if (hidden.length >= 2 && hiddenTotal >= suppressBelow) break;
    let candidate = -1;
    counts.forEach((count, index) => {
      if (plan[index] !== null || count === 0) return;
      if (candidate === -1 || count < (counts[candidate] ?? 0)) candidate = index;
    });
    if (candidate === -1) break;
    plan[candidate] = "complementary";
  }
  return plan;
}
