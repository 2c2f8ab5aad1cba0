import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

/**
 * Approximate 90% margin of error of an ACS proportion p = X / Y, where the numerator X is a
 * subset of the denominator Y (for instance the residents aged 20–34 out of all residents):
 *
 *     MOE(p) = (1 / Y) · √( MOE_X² − p² · MOE_Y² )
 *
 * When the value under the square root is negative, the Census Bureau's instruction is to use
 * the ratio formula instead, √( MOE_X² + p² · MOE_Y² ) / Y. A sum's MOE (MOE_Y for a total made
 * of several estimates) comes from aggregateMarginOfError.
 *
 * Source: U.S. Census Bureau (2020), Understanding and Using American Community Survey Data:
 * What All Data Users Need to Know, ch. 8, "Calculating MOEs for Derived Proportions" (and
 * "Derived Ratios" for the fallback).
 *
 * @param part the numerator estimate X, 0 ≤ X ≤ Y
 * @param partMoe its 90% margin of error, ≥ 0
 * @param whole the denominator estimate Y, > 0
 * @param wholeMoe its 90% margin of error, ≥ 0
 * @returns the proportion's 90% margin of error
 * @throws {RangeError} on negative or non-finite values, Y = 0 or X > Y
 * @example
 * // Handbook-style example: 1,500 (MOE 250) out of 10,000 (MOE 400), p = 0.15
 * proportionMarginOfError(1500, 250, 10000, 400); // => √(250² − 0.15²·400²)/10000 = 0.02427…
 */
export function proportionMarginOfError(
  part: number,
  partMoe: number,
  whole: number,
  wholeMoe: number,
): number {
  requireNonNegativeNumbers("proportionMarginOfError", "values", [part, partMoe, whole, wholeMoe]);
  if (whole === 0) {
    throw new RangeError("proportionMarginOfError: the denominator estimate must be > 0 (got 0)");
  }
  if (part > whole) {
    throw new RangeError(
      `proportionMarginOfError: the numerator (${part}) is larger than the denominator (${whole}), so it is not a proportion`,
    );
  }
  const proportion = part / whole;
  const underRoot = partMoe * partMoe - proportion * proportion * wholeMoe * wholeMoe;
  const ratioUnderRoot = partMoe * partMoe + proportion * proportion * wholeMoe * wholeMoe;
  return Math.sqrt(underRoot >= 0 ? underRoot : ratioUnderRoot) / whole;
}
