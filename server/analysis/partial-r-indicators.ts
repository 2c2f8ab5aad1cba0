import { InsufficientDataError } from "./insufficient-data-error.ts";
import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

export interface PartialRIndicatorCategory {
  category: string;
  /** ρ̄ₖ = respondentsₖ / populationₖ, the category's response propensity. */
  propensity: number;
  /** P_u(X, k) = √(Nₖ/N)·(ρ̄ₖ − ρ̄): negative when the category responds less than average. */
  partial: number;
  /**
   * P_u(X, k) / ρ̄ = √(Nₖ/N)·(RIₖ − 1), with RIₖ = ρ̄ₖ/ρ̄ the representation index: the same
   * contribution on a scale that does not depend on the response rate.
   */
  relativePartial: number;
}

export interface PartialRIndicators {
  /** ρ̄ = Σ respondents / Σ population. */
  meanPropensity: number;
  /** P_u(X) = √( Σₖ Nₖ/N · (ρ̄ₖ − ρ̄)² ), the between-category standard deviation. */
  partial: number;
  /** P_u(X) / ρ̄, the between-category coefficient of variation of the propensities. */
  relativePartial: number;
  categories: PartialRIndicatorCategory[];
}

/**
 * Unconditional partial R-indicators of one categorical variable X, from a population table
 * (Nₖ people in category k) and the respondents in each category (nₖ):
 *
 *     ρ̄ₖ         = nₖ / Nₖ,          ρ̄ = Σ nₖ / Σ Nₖ
 *     P_u(X, k)  = √(Nₖ/N) · (ρ̄ₖ − ρ̄)
 *     P_u(X)     = √( Σₖ Nₖ/N · (ρ̄ₖ − ρ̄)² ) = √( Σₖ P_u(X, k)² )
 *
 * P_u(X) is the between-category standard deviation of the propensities when X alone explains
 * response, so 1 − 2·P_u(X) is the R-indicator of X alone; P_u(X, k)² is category k's share of
 * it, and a category brought to the average rate removes exactly P_u(X, k)² from P_u(X)². These
 * need only the population margin of X, which is all the census gives per variable; the
 * conditional partial indicators P_c(X | Z) need the joint table of X and Z and are not
 * computed from margins.
 *
 * Categories with no population are left out (their propensity is undefined); respondents in
 * them are not counted in ρ̄ either.
 *
 * Sources: B. Schouten, N. Shlomo & C. Skinner (2011), "Indicators for monitoring and improving
 * representativeness of response", Journal of Official Statistics 27(2):231–253 (eq. 5 and 6);
 * RISQ project (2010), "Computing R-indicators from population tables" (de Heij, Schouten &
 * Shlomo, RISQ deliverable 2.2.2).
 *
 * @param categories per category: name, population Nₖ ≥ 0, respondents nₖ ≥ 0
 * @returns { meanPropensity, partial, relativePartial, categories }
 * @throws {RangeError} on a negative or non-finite count, or more respondents than people
 * @throws {InsufficientDataError} when the population or the respondents sum to 0
 * @example
 * partialRIndicators([
 *   { category: "young", population: 400, respondents: 8 },
 *   { category: "old", population: 600, respondents: 42 },
 * ]).partial; // => √(0.4·(0.02−0.05)² + 0.6·(0.07−0.05)²) = 0.02449…
 */
export function partialRIndicators(
  categories: ReadonlyArray<{ category: string; population: number; respondents: number }>,
): PartialRIndicators {
  if (!Array.isArray(categories)) {
    throw new TypeError("partialRIndicators: categories must be an array");
  }
  requireNonNegativeNumbers(
    "partialRIndicators",
    "population",
    categories.map((c) => c.population),
  );
  requireNonNegativeNumbers(
    "partialRIndicators",
    "respondents",
    categories.map((c) => c.respondents),
  );
  const counted = categories.filter((c) => c.population > 0);
  for (const c of counted) {
    if (c.respondents > c.population) {
      throw new RangeError(
        `partialRIndicators: category "${c.category}" has ${c.respondents} respondents but a population of ${c.population}`,
      );
    }
  }
  const population = counted.reduce((sum, c) => sum + c.population, 0);
  const respondents = counted.reduce((sum, c) => sum + c.respondents, 0);
  if (population === 0) {
    throw new InsufficientDataError("partialRIndicators", "no category has a population");
  }
  if (respondents === 0) {
    throw new InsufficientDataError("partialRIndicators", "there are no respondents yet");
  }
  const meanPropensity = respondents / population;
  const rows = counted.map((c) => {
    const propensity = c.respondents / c.population;
    const partial = Math.sqrt(c.population / population) * (propensity - meanPropensity);
    return {
      category: c.category,
      propensity,
      partial,
      relativePartial: partial / meanPropensity,
    };
  });
  const partial = Math.sqrt(rows.reduce((sum, row) => sum + row.partial ** 2, 0));
  return {
    meanPropensity,
    partial,
    relativePartial: partial / meanPropensity,
    categories: rows,
  };
}
