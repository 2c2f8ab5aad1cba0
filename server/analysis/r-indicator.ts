import { InsufficientDataError } from "./insufficient-data-error.ts";
import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

export interface RIndicator {
  /** R = 1 − 2·S(ρ̂), between 0 and 1 (1: every group responds at the same rate). */
  r: number;
  /** S(ρ̂), the standard deviation of the response propensities over the population. */
  standardDeviation: number;
  /** ρ̄, the mean response propensity (the response rate). */
  meanPropensity: number;
  /**
   * S(ρ̂) / ρ̄, the coefficient of variation of the propensities: unlike R it does not depend on
   * the response rate, so it compares an open-link survey (ρ̄ near 0) with a sample survey.
   */
  coefficientOfVariation: number;
  /** N, the population the propensities stand for (Σ sizes). */
  populationSize: number;
}

/**
 * The R-indicator (representativeness indicator) of a set of responses:
 *
 *     ρ̄    = Σᵢ Nᵢ ρᵢ / N,                 N = Σᵢ Nᵢ
 *     S(ρ) = √( Σᵢ Nᵢ (ρᵢ − ρ̄)² / (N − 1) )
 *     R    = 1 − 2·S(ρ)
 *
 * where ρᵢ is the estimated response propensity of population unit (or group of Nᵢ units with
 * the same propensity) i. Since 0 ≤ ρ ≤ 1, S ≤ ½ and R lies in [0, 1]; R = 1 when everyone is
 * equally likely to respond. The maximal absolute bias of a response mean, (1 − R)/(2ρ̄), and
 * the coefficient of variation S/ρ̄ (returned) are the readings that do not depend on the
 * response rate.
 *
 * Grouped input covers both ways Open Door estimates propensities: per census category
 * (ρₖ = respondentsₖ / populationₖ, Nₖ = populationₖ) and per respondent from raking weights
 * (see rakingRIndicator: ρᵢ = 1/dᵢ, Nᵢ = dᵢ, the inverse-propensity estimate of the population
 * sum).
 *
 * Sources: B. Schouten, F. Cobben & J. Bethlehem (2009), "Indicators for the
 * representativeness of survey response", Survey Methodology 35(1):101–113 (eq. 2.3, 2.4 and
 * the maximal bias, §3); RISQ project (2010), "R-indicators: guidelines", deliverable 8.
 *
 * @param propensities ρᵢ, each in [0, 1]
 * @param sizes Nᵢ ≥ 0, how many population units have propensity ρᵢ (same length)
 * @returns { r, standardDeviation, meanPropensity, coefficientOfVariation, populationSize }
 * @throws {RangeError} on mismatched lengths, a propensity outside [0, 1] or a negative size
 * @throws {InsufficientDataError} when N ≤ 1 or ρ̄ = 0 (no response: nothing to compare)
 * @example
 * rIndicator([0.2, 0.6], [50, 50]); // => { r: 0.5979…, standardDeviation: 0.2010…, meanPropensity: 0.4, … }
 */
export function rIndicator(propensities: readonly number[], sizes: readonly number[]): RIndicator {
  if (!Array.isArray(propensities) || !Array.isArray(sizes)) {
    throw new TypeError("rIndicator: propensities and sizes must be arrays");
  }
  if (propensities.length !== sizes.length) {
    throw new RangeError(
      `rIndicator: ${propensities.length} propensities but ${sizes.length} sizes`,
    );
  }
  requireNonNegativeNumbers("rIndicator", "sizes", sizes);
  propensities.forEach((propensity, index) => {
    if (typeof propensity !== "number" || !(propensity >= 0 && propensity <= 1)) {
      throw new RangeError(
        `rIndicator: propensities[${index}] must be in [0, 1] (got ${String(propensity)})`,
      );
    }
  });
  let populationSize = 0;
  let total = 0;
  propensities.forEach((propensity, index) => {
    populationSize += sizes[index] ?? 0;
    total += (sizes[index] ?? 0) * propensity;
  });
  if (populationSize <= 1) {
    throw new InsufficientDataError("rIndicator", "the population has fewer than two units");
  }
  const meanPropensity = total / populationSize;
  if (meanPropensity === 0) {
    throw new InsufficientDataError("rIndicator", "there are no responses yet");
  }
  let squares = 0;
  propensities.forEach((propensity, index) => {
    squares += (sizes[index] ?? 0) * (propensity - meanPropensity) ** 2;
  });
  const standardDeviation = Math.sqrt(squares / (populationSize - 1));
  return {
    r: 1 - 2 * standardDeviation,
    standardDeviation,
    meanPropensity,
    coefficientOfVariation: standardDeviation / meanPropensity,
    populationSize,
  };
}
