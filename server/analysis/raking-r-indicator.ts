import { InsufficientDataError } from "./insufficient-data-error.ts";
import { type RIndicator, rIndicator } from "./r-indicator.ts";
import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

/**
 * The R-indicator with response propensities estimated from census margins only, through the
 * raking weights of the respondents.
 *
 * Raking to the margins of X₁ … X_J fits the multiplicative (log-linear, main effects) response
 * model ρ(x) = 1 / d(x) with d(x) = exp(λ₀ + Σⱼ λⱼ,xⱼ): the calibration equations Σ_r dᵢ xᵢ =
 * Σ_U xᵢ are its estimating equations, and they need the population margins only. With the
 * weights wᵢ scaled to mean 1 over the n respondents and a population of N,
 *
 *     dᵢ = N·wᵢ / n        (Σ_r dᵢ = N)
 *     ρᵢ = 1 / dᵢ = n / (N·wᵢ)
 *
 * and every population sum the R-indicator needs is estimated by inverse-propensity weighting
 * over the respondents, Σ_U f(ρ) ≈ Σ_r dᵢ f(ρᵢ); so ρ̄ = n/N and
 *
 *     S²(ρ) = Σ_r dᵢ (ρᵢ − ρ̄)² / (N − 1),   R = 1 − 2·S(ρ)
 *
 * (rIndicator with propensities ρᵢ and sizes dᵢ). Respondents with weight 0 stand for no one
 * and are left out. Bounded (trimmed) weights give the propensities of the bounded model.
 *
 * Sources: B. Schouten, F. Cobben & J. Bethlehem (2009), Survey Methodology 35(1):101–113
 * (R-indicator); J.-C. Deville & C.-E. Särndal (1992), JASA 87:376–382, and P. S. Kott (2006),
 * "Using calibration weighting to adjust for nonresponse and coverage errors", Survey
 * Methodology 32(2):133–142 (raking as a response-propensity model fitted to margins).
 *
 * @param weights the raking weights of the n respondents (≥ 0, any scale)
 * @param populationSize N, the population the margins describe, ≥ the number of respondents
 * @returns the rIndicator result (r, standardDeviation, meanPropensity = n/N, …)
 * @throws {RangeError} on a negative weight or a population smaller than the sample
 * @throws {InsufficientDataError} when there are no positive weights
 * @example
 * rakingRIndicator([1, 1, 1, 1], 100).r; // => 1 (equal weights: equal propensities)
 */
export function rakingRIndicator(weights: readonly number[], populationSize: number): RIndicator {
  if (!Array.isArray(weights)) throw new TypeError("rakingRIndicator: weights must be an array");
  requireNonNegativeNumbers("rakingRIndicator", "weights", weights);
  const positive = weights.filter((w) => w > 0);
  if (positive.length === 0) {
    throw new InsufficientDataError("rakingRIndicator", "there are no respondents with a weight");
  }
  if (!Number.isFinite(populationSize) || populationSize < positive.length) {
    throw new RangeError(
      `rakingRIndicator: populationSize must be at least the ${positive.length} respondents (got ${String(populationSize)})`,
    );
  }
  const mean = positive.reduce((sum, w) => sum + w, 0) / positive.length;
  const sizes = positive.map((w) => (populationSize * w) / mean / positive.length);
  // ρᵢ = 1/dᵢ can exceed 1 only when a respondent stands for less than one person.
  const propensities = sizes.map((d) => Math.min(1, 1 / d));
  return rIndicator(propensities, sizes);
}
