import type { AgeInterval } from "./age-interval.ts";

/**
 * The canonical (ACS B01001-style) label of an age interval [lo, hi), so that re-banded cells
 * read like census rows and parse back with parseAgeInterval:
 *
 *     [0, 5) → "Under 5 years"     [5, 10) → "5 to 9 years"      [20, 21) → "20 years"
 *     [65, ∞) → "65 years and over" [0, ∞) → "All ages"          [0, 1) → "Under 1 year"
 *
 * @param interval { lo, hi } with hi exclusive, null for open-ended
 * @returns the label
 * @throws {RangeError} when lo is not a whole number ≥ 0 or hi ≤ lo
 * @example
 * formatAgeInterval({ lo: 20, hi: 35 }); // => "20 to 34 years"
 */
export function formatAgeInterval(interval: AgeInterval): string {
  const { lo, hi } = interval;
  if (!Number.isInteger(lo) || lo < 0 || (hi !== null && (!Number.isInteger(hi) || hi <= lo))) {
    throw new RangeError(`formatAgeInterval: not a valid age interval [${lo}, ${hi ?? "∞"})`);
  }
  if (hi === null) return lo === 0 ? "All ages" : `${lo} years and over`;
  if (lo === 0) return `Under ${hi} ${hi === 1 ? "year" : "years"}`;
  if (hi === lo + 1) return `${lo} ${lo === 1 ? "year" : "years"}`;
  return `${lo} to ${hi - 1} years`;
}
