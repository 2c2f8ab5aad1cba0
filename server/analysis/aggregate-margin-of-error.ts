import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

/**
 * Approximate margin of error of a sum of ACS estimates (for instance the population aged
 * 20–34 over the tracts of a service area):
 *
 *     MOE(Σ estimates) ≈ √( Σ MOEᵢ² )
 *
 * The approximation ignores covariances between the estimates. When estimates are given, the
 * Census Bureau's rule for zero estimates is applied: of the components whose estimate is 0,
 * only the one with the largest MOE is included (otherwise many zero cells, each with a modelled
 * MOE, inflate the result).
 *
 * Source: U.S. Census Bureau, ACS General Handbook (2018/2020), ch. 8, "Calculating MOEs for
 * Aggregated Count Data"; Census Bureau 2016 ACS data-user training slides on margins of error
 * (zero-estimate rule).
 *
 * @param marginsOfError the components' 90% margins of error (≥ 0)
 * @param estimates optional, the components' estimates in the same order, to apply the
 *   zero-estimate rule
 * @returns the approximate MOE of the sum (0 for an empty list)
 * @throws {RangeError} on negative or non-finite values or different lengths
 * @example
 * aggregateMarginOfError([3, 4]);                 // => 5
 * aggregateMarginOfError([3, 4, 12], [10, 0, 0]); // => √(3² + 12²) = 12.369…
 */
export function aggregateMarginOfError(
  marginsOfError: readonly number[],
  estimates?: readonly number[],
): number {
  requireNonNegativeNumbers("aggregateMarginOfError", "marginsOfError", marginsOfError);
  if (estimates !== undefined) {
    if (estimates.length !== marginsOfError.length) {
      throw new RangeError(
        `aggregateMarginOfError: ${marginsOfError.length} margins of error but ${estimates.length} estimates`,
      );
    }
    requireNonNegativeNumbers("aggregateMarginOfError", "estimates", estimates);
  }

  let sumOfSquares = 0;
  let largestZeroEstimateMargin = 0;
  marginsOfError.forEach((margin, index) => {
    if (estimates !== undefined && estimates[index] === 0) {
      largestZeroEstimateMargin = Math.max(largestZeroEstimateMargin, margin);
    } else {
      sumOfSquares += margin * margin;
    }
  });
  sumOfSquares += largestZeroEstimateMargin * largestZeroEstimateMargin;
  return Math.sqrt(sumOfSquares);
}
