import { InsufficientDataError } from "./insufficient-data-error.ts";
import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

/**
 * The coefficient of variation of survey weights:
 *
 *     w̄ = Σ wᵢ / n,   CV(w) = √( Σ (wᵢ − w̄)² / n ) / w̄
 *
 * with the population (divisor n) variance, so that Kish's design effect due to unequal
 * weighting is exactly 1 + CV(w)² = n / n_eff (see effectiveSampleSize). A CV above 1 doubles
 * the variance of every estimate at least: the sample is far from the community and the
 * weighted results will be noisy.
 *
 * Source: L. Kish (1992), "Weighting for unequal Pᵢ", Journal of Official Statistics
 * 8(2):183–200 (eq. 5, deff = 1 + cv²).
 *
 * @param weights respondent weights (finite, ≥ 0, any scale)
 * @returns CV(w) ≥ 0
 * @throws {RangeError} on a negative or non-finite weight
 * @throws {InsufficientDataError} when there are no weights or all are 0
 * @example
 * weightCoefficientOfVariation([0.5, 1.5]); // => 0.5
 */
export function weightCoefficientOfVariation(weights: readonly number[]): number {
  if (!Array.isArray(weights)) {
    throw new TypeError("weightCoefficientOfVariation: weights must be an array");
  }
  requireNonNegativeNumbers("weightCoefficientOfVariation", "weights", weights);
  const sum = weights.reduce((total, w) => total + w, 0);
  if (sum === 0) {
    throw new InsufficientDataError(
      "weightCoefficientOfVariation",
      "there are no non-zero weights",
    );
  }
  const mean = sum / weights.length;
  const variance = weights.reduce((total, w) => total + (w - mean) ** 2, 0) / weights.length;
  return Math.sqrt(variance) / mean;
}
