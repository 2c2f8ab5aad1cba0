import { chiSquareSurvival } from "./chi-square-survival.ts";
import { InsufficientDataError } from "./insufficient-data-error.ts";
import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

/** A chi-square test result: the statistic, its degrees of freedom and the upper-tail p-value. */
export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
}

/**
 * Pearson's chi-square goodness-of-fit test of observed counts against hypothesised
 * category proportions.
 *
 * With N = Σ Oᵢ observations and hypothesised proportions πᵢ, the expected counts are
 * Eᵢ = N·πᵢ and the statistic is
 *
 *     X² = Σ (Oᵢ − Eᵢ)² / Eᵢ
 *
 * which, under the hypothesis, approximately follows a chi-square distribution with
 * df = k − 1, where k is the number of categories. The p-value P(χ²_df ≥ X²) is computed
 * exactly from the chi-square survival function (chiSquareSurvival), not from a table or 1 − cdf,
 * so a very small p is kept (e.g. 3.3e-141) instead of rounding to 0.
 *
 * Categories whose hypothesised proportion is 0 are handled explicitly: with no observations
 * they are left out of the test (they are not counted in k); with observations the hypothesis
 * is impossible (X² would be infinite), so the function throws and the caller must decide what
 * to do with that category (the usage-gap engine reports it and tests the remaining ones).
 *
 * Source: K. Pearson (1900), Philosophical Magazine 50:157–175; A. Agresti (2013),
 * Categorical Data Analysis, 3rd ed., §1.5.
 *
 * @param observed counts per category (finite, ≥ 0)
 * @param expectedProportions hypothesised proportions per category (≥ 0, summing to 1 within
 *   1e-6; they are rescaled to sum to exactly 1)
 * @returns { statistic, df, pValue }
 * @throws {RangeError} on mismatched lengths, negative values, proportions not summing to 1,
 *   or observations in a category whose hypothesised proportion is 0
 * @throws {InsufficientDataError} when there are no observations or fewer than two categories
 *   with a positive hypothesised proportion
 * @example
 * // Mendel's dihybrid cross, 315 : 108 : 101 : 32 against 9 : 3 : 3 : 1
 * chiSquareGoodnessOfFit([315, 108, 101, 32], [9 / 16, 3 / 16, 3 / 16, 1 / 16]);
 * // => { statistic: 0.470…, df: 3, pValue: 0.925… }
 */
export function chiSquareGoodnessOfFit(
  observed: readonly number[],
  expectedProportions: readonly number[],
): ChiSquareResult {
  if (!Array.isArray(observed) || !Array.isArray(expectedProportions)) {
    throw new TypeError("chiSquareGoodnessOfFit: observed and expectedProportions must be arrays");
  }
  if (observed.length !== expectedProportions.length) {
    throw new RangeError(
      `chiSquareGoodnessOfFit: observed has ${observed.length} categories but expectedProportions has ${expectedProportions.length}`,
    );
  }
  requireNonNegativeNumbers("chiSquareGoodnessOfFit", "observed", observed);
  requireNonNegativeNumbers("chiSquareGoodnessOfFit", "expectedProportions", expectedProportions);
  const proportionTotal = expectedProportions.reduce((sum, value) => sum + value, 0);
  if (Math.abs(proportionTotal - 1) > 1e-6) {
    throw new RangeError(
      `chiSquareGoodnessOfFit: expectedProportions must sum to 1 (got ${proportionTotal})`,
    );
  }
  expectedProportions.forEach((proportion, index) => {
    if (proportion === 0 && (observed[index] ?? 0) > 0) {
      throw new RangeError(
        `chiSquareGoodnessOfFit: category ${index} has ${observed[index]} observations but an expected proportion of 0, so the hypothesis is impossible; leave that category out or give it a positive proportion`,
      );
    }
  });

  const total = observed.reduce((sum, value) => sum + value, 0);
  if (total === 0) {
    throw new InsufficientDataError("chiSquareGoodnessOfFit", "there are no observations");
  }
  const testedCategories = expectedProportions.filter((proportion) => proportion > 0).length;
  if (testedCategories < 2) {
    throw new InsufficientDataError(
      "chiSquareGoodnessOfFit",
      "fewer than two categories have a positive expected proportion",
    );
  }

  let statistic = 0;
  expectedProportions.forEach((proportion, index) => {
    if (proportion === 0) return;
    const expected = (total * proportion) / proportionTotal;
    const difference = (observed[index] ?? 0) - expected;
    statistic += (difference * difference) / expected;
  });
  const df = testedCategories - 1;
  const pValue = chiSquareSurvival(statistic, df);
  return { statistic, df, pValue };
}
