import { InsufficientDataError } from "./insufficient-data-error.ts";
import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

/**
 * Kish's effective sample size of a weighted sample:
 *
 *     n_eff = (Σ wᵢ)² / Σ wᵢ²
 *
 * the number of equally weighted respondents that would give the same variance for a mean as
 * the weighted sample. It equals n when all weights are equal and shrinks as they vary:
 * n / n_eff = 1 + CV(w)², Kish's design effect due to unequal weighting. It does not depend on
 * the scale of the weights.
 *
 * Source: L. Kish (1965), Survey Sampling, §11.7; L. Kish (1992), "Weighting for unequal Pᵢ",
 * Journal of Official Statistics 8(2):183–200.
 *
 * @param weights respondent weights (finite, ≥ 0)
 * @returns n_eff, between 1 and the number of non-zero weights
 * @throws {RangeError} on negative or non-finite weights
 * @throws {InsufficientDataError} when there are no weights or all are 0
 * @example
 * effectiveSampleSize([1, 1, 1, 1]); // => 4
 * effectiveSampleSize([1, 2, 1, 1]); // => 25 / 7 = 3.571…
 */
export function effectiveSampleSize(weights: readonly number[]): number {
  if (!Array.isArray(weights)) {
    throw new TypeError("effectiveSampleSize: weights must be an array");
  }
  requireNonNegativeNumbers("effectiveSampleSize", "weights", weights);
  let sum = 0;
  let sumOfSquares = 0;
  for (const weight of weights) {
    sum += weight;
    sumOfSquares += weight * weight;
  }
  if (sum === 0) {
    throw new InsufficientDataError("effectiveSampleSize", "there are no non-zero weights");
  }
  return (sum * sum) / sumOfSquares;
}
