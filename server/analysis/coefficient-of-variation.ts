/** Z value of the 90% confidence level that ACS margins of error are published at. */
export const ACS_MOE_Z = 1.645;

/**
 * The coefficient of variation (CV) of an American Community Survey estimate, from its
 * published 90% margin of error.
 *
 *     SE = MOE / 1.645,   CV = SE / estimate
 *
 * The CV is the standard error as a fraction of the estimate. Open Door treats an estimate
 * with CV > 0.30 (30%) as unreliable (see isReliableEstimate); a common reading is CV ≤ 12%
 * high reliability, 12–40% medium, > 40% low.
 *
 * Source: U.S. Census Bureau (2020), Understanding and Using American Community Survey Data:
 * What All Data Users Need to Know (ACS General Handbook), ch. 8 "Calculating Measures of Error
 * for Derived Estimates" (SE = MOE/1.645; CV = SE/estimate × 100).
 *
 * @param estimate the ACS estimate, > 0
 * @param marginOfError90 its published 90% margin of error, ≥ 0
 * @returns the CV as a fraction (0.25 means 25%)
 * @throws {RangeError} when the estimate is ≤ 0 (the CV is undefined) or the margin is negative
 * @example
 * coefficientOfVariation(1000, 329); // => 0.2 (SE = 200)
 */
export function coefficientOfVariation(estimate: number, marginOfError90: number): number {
  if (typeof estimate !== "number" || !Number.isFinite(estimate) || estimate <= 0) {
    throw new RangeError(
      `coefficientOfVariation: estimate must be a finite number > 0 (got ${String(estimate)}); the CV of a zero estimate is undefined`,
    );
  }
  if (
    typeof marginOfError90 !== "number" ||
    !Number.isFinite(marginOfError90) ||
    marginOfError90 < 0
  ) {
    throw new RangeError(
      `coefficientOfVariation: marginOfError90 must be a finite number ≥ 0 (got ${String(marginOfError90)})`,
    );
  }
  return marginOfError90 / ACS_MOE_Z / estimate;
}
