import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

/**
 * Cohen's w, the effect size of a chi-square goodness-of-fit comparison.
 *
 * With observed proportions p₁ᵢ and hypothesised proportions p₀ᵢ,
 *
 *     w = √( Σ (p₁ᵢ − p₀ᵢ)² / p₀ᵢ )
 *
 * equivalently w = √(X² / N). Cohen's conventional benchmarks are 0.1 small, 0.3 medium and
 * 0.5 large. Unlike the p-value, w does not grow with the number of observations, so it says
 * how different two distributions are rather than how sure we are that they differ.
 *
 * Categories whose hypothesised proportion is 0 are left out when their observed proportion is
 * also 0; an observed proportion above 0 there makes w infinite, so the function throws.
 *
 * Source: J. Cohen (1988), Statistical Power Analysis for the Behavioral Sciences, 2nd ed.,
 * chapter 7 (eq. 7.2.1 and §7.2.3).
 *
 * @param observedProportions observed proportions per category (≥ 0, summing to 1 within 1e-6)
 * @param expectedProportions hypothesised proportions per category (≥ 0, summing to 1 within 1e-6)
 * @returns w ≥ 0
 * @throws {RangeError} on mismatched lengths, negative values, sums other than 1, or an observed
 *   proportion above 0 where the hypothesised proportion is 0
 * @example
 * cohensW([0.5, 0.5], [0.25, 0.75]); // => 0.5773… (= √(1/3))
 */
export function cohensW(
  observedProportions: readonly number[],
  expectedProportions: readonly number[],
): number {
  if (!Array.isArray(observedProportions) || !Array.isArray(expectedProportions)) {
    throw new TypeError("cohensW: observedProportions and expectedProportions must be arrays");
  }
  if (observedProportions.length !== expectedProportions.length) {
    throw new RangeError(
      `cohensW: observedProportions has ${observedProportions.length} categories but expectedProportions has ${expectedProportions.length}`,
    );
  }
  requireNonNegativeNumbers("cohensW", "observedProportions", observedProportions);
  requireNonNegativeNumbers("cohensW", "expectedProportions", expectedProportions);
  for (const [name, values] of [
    ["observedProportions", observedProportions],
    ["expectedProportions", expectedProportions],
  ] as const) {
    const total = values.reduce((sum, value) => sum + value, 0);
    if (Math.abs(total - 1) > 1e-6) {
      throw new RangeError(`cohensW: ${name} must sum to 1 (got ${total})`);
    }
  }

  let sum = 0;
  expectedProportions.forEach((expected, index) => {
    const observed = observedProportions[index] ?? 0;
    if (expected === 0) {
      if (observed > 0) {
        throw new RangeError(
          `cohensW: category ${index} has an observed proportion of ${observed} but an expected proportion of 0, so w would be infinite`,
        );
      }
      return;
    }
    sum += ((observed - expected) * (observed - expected)) / expected;
  });
  return Math.sqrt(sum);
}
