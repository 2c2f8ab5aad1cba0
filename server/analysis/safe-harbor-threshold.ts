import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

/** The safe harbor's absolute number of people and its share of the population. */
export const SAFE_HARBOR_COUNT = 1000;
export const SAFE_HARBOR_SHARE = 0.05;

/**
 * The U.S. Department of Justice's "safe harbor" threshold for written translations: a language
 * group of people with limited English proficiency (LEP) that makes up 5% or 1,000 people,
 * whichever is less, of the population eligible to be served. It is guidance for recipients of
 * federal funds, not a legal test, and Open Door states it as such.
 *
 * Source: U.S. Department of Justice, "Guidance to Federal Financial Assistance Recipients
 * Regarding Title VI Prohibition Against National Origin Discrimination Affecting Limited English
 * Proficient Persons", 67 Fed. Reg. 41455, 41464 (June 18, 2002), section VI.B, "Safe Harbor".
 *
 * @param population the population eligible to be served (here: residents 5 years and over)
 * @returns min(1,000, 5% of the population)
 * @throws {RangeError} on a negative or non-finite population
 * @example
 * safeHarborThreshold(13820);  // => 691
 * safeHarborThreshold(100000); // => 1000
 */
export function safeHarborThreshold(population: number): number {
  requireNonNegativeNumbers("safeHarborThreshold", "population", [population]);
  return Math.min(SAFE_HARBOR_COUNT, SAFE_HARBOR_SHARE * population);
}
