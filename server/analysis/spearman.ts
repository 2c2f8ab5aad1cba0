import { averageRanks } from "./average-ranks.ts";
import type { CorrelationResult } from "./correlation-result.ts";
import { InsufficientDataError } from "./insufficient-data-error.ts";
import { pearson } from "./pearson.ts";

/**
 * Spearman's rank correlation coefficient ρ: Pearson's r computed on the ranks of x and of y,
 * with tied values given their average rank (so the coefficient stays correct with ties, where
 * the shortcut 1 − 6Σd²/(n(n² − 1)) does not).
 *
 * The p-value uses the same t approximation as Pearson's r, t = ρ·√((n − 2)/(1 − ρ²)) with
 * n − 2 degrees of freedom (as SciPy's spearmanr does); the 95% interval uses Fisher's z with
 * SE = 1/√(n − 3). Both are approximations for ranks and are best read for n ≥ 10.
 *
 * Source: C. Spearman (1904), "The proof and measurement of association between two things",
 * American Journal of Psychology 15:72–101; M. G. Kendall (1948), Rank Correlation Methods.
 *
 * @param x first variable
 * @param y second variable, same length as x
 * @returns { r, n, ci95, pValue } where r is ρ
 * @throws {RangeError} on different lengths or non-finite values
 * @throws {InsufficientDataError} with fewer than 2 pairs or when x or y is constant
 * @example
 * spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]); // => { r: 0.8207…, n: 5, … }
 */
export function spearman(x: readonly number[], y: readonly number[]): CorrelationResult {
  if (!Array.isArray(x) || !Array.isArray(y)) {
    throw new TypeError("spearman: x and y must be arrays");
  }
  if (x.length !== y.length) {
    throw new RangeError(`spearman: x has ${x.length} values but y has ${y.length}`);
  }
  try {
    return pearson(averageRanks(x), averageRanks(y));
  } catch (error) {
    if (error instanceof InsufficientDataError) {
      throw new InsufficientDataError("spearman", error.reason);
    }
    if (error instanceof RangeError) {
      throw new RangeError(error.message.replace(/^\w+:/, "spearman:"));
    }
    throw error;
  }
}
