import { coefficientOfVariation } from "./coefficient-of-variation.ts";

/** Largest coefficient of variation at which an ACS estimate is still called reliable. */
export const RELIABLE_CV_MAX = 0.3;

/**
 * Whether an ACS estimate is reliable enough to compare: its coefficient of variation
 * (SE/estimate, with SE = MOE/1.645) is at most 0.30.
 *
 * Rules for the edges: an estimate without a margin of error (null: a source that publishes
 * none, or a table imported without its MOE columns) cannot be judged, so its reliability is
 * unknown (null), never "reliable"; an estimate of 0 with a margin has no CV and is not reliable.
 *
 * Source: U.S. Census Bureau, ACS General Handbook (2020), ch. 8, CV = (MOE/1.645)/estimate;
 * the 30% threshold is the one used by many state data centers and by Open Door's design.
 *
 * @param estimate the ACS estimate, ≥ 0
 * @param marginOfError90 its 90% margin of error, or null when none is published
 * @returns true when CV ≤ 0.30, false when it is larger or the estimate is 0, null (unknown)
 *   when there is no margin of error
 * @throws {RangeError} on a negative or non-finite estimate or margin
 * @example
 * isReliableEstimate(1000, 329); // => true  (CV 0.20)
 * isReliableEstimate(100, 60);   // => false (CV 0.36)
 * isReliableEstimate(100, null); // => null  (unknown)
 */
export function isReliableEstimate(
  estimate: number,
  marginOfError90: number | null,
): boolean | null {
  if (typeof estimate !== "number" || !Number.isFinite(estimate) || estimate < 0) {
    throw new RangeError(
      `isReliableEstimate: estimate must be a finite number ≥ 0 (got ${String(estimate)})`,
    );
  }
  if (marginOfError90 === null) return null;
  if (estimate === 0) return false;
  return coefficientOfVariation(estimate, marginOfError90) <= RELIABLE_CV_MAX;
}
