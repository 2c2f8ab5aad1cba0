import { isReliableEstimate } from "./is-reliable-estimate.ts";
import { planSuppression } from "./plan-suppression.ts";
import type { SuppressionReason, UsageGapArea } from "./usage-gap-types.ts";
import { wilsonInterval } from "./wilson-interval.ts";

/** One area's totals, as gathered by the usage-gap engine. */
export interface AreaTotals {
  geoid: string;
  name: string;
  population: number;
  /** Aggregated 90% MOE of the population; null when unknown. */
  populationMoe: number | null;
  users: number;
}

export interface AreaPenetrationResult {
  /** Areas ranked from the lowest penetration (areas without one last). */
  areas: UsageGapArea[];
  /** 1000 · Σ users / Σ population over the areas: the rate each area is compared with. */
  areaRatePer1000: number | null;
  /** The priority rule in words. */
  priorityRule: string;
  /** Suppression of the unknown-area users, a cell of the same total as the areas' users. */
  unknownAreaUsersSuppression: SuppressionReason | null;
}

export const PRIORITY_RULE =
  "Priority areas have at least as many non-users (residents minus active users) as the median area, and a penetration whose 95% Wilson interval lies entirely below the service-area rate (a one-sided test at the 2.5% level).";

/**
 * Penetration (active users per 1,000 residents) and estimated non-users per area, ranked, with
 * priority areas: areas with large non-user counts where use is significantly below the
 * service-area rate (DESIGN.md, "Geography").
 *
 *     penetration_a = 1000 · users_a / pop_a,   nonUsers_a = max(pop_a − users_a, 0)
 *     rate R = Σ users_a / Σ pop_a over the areas
 *     priority_a ⇔ nonUsers_a ≥ median(nonUsers) and WilsonUpper95(users_a, pop_a) < R
 *
 * "Large" is "at least the median area's non-users" (half of the areas can qualify on size;
 * significance then decides). The Wilson bound treats the area's residents as n trials, the
 * usual one-sided test of a binomial proportion against a reference value. Areas with no
 * residents, or more users than residents, have no interval and are never priority. Small counts
 * are marked for suppression, with complementary suppression across the areas (the unknown-area
 * users are one more cell of the same total).
 *
 * Source: E. B. Wilson (1927), JASA 22:209–212 (score interval); DESIGN.md.
 *
 * @param areaTotals the areas' population, MOE and users
 * @param unknownAreaUsers active users whose area is unknown (a cell of the same total)
 * @param suppressBelow counts 1 … suppressBelow − 1 are withheld
 * @returns { areas, areaRatePer1000, priorityRule, unknownAreaUsersSuppression }
 * @example
 * areaPenetration([{ geoid: "1", name: "A", population: 5000, populationMoe: null, users: 400 }], 0, 10);
 */
export function areaPenetration(
  areaTotals: readonly AreaTotals[],
  unknownAreaUsers: number,
  suppressBelow: number,
): AreaPenetrationResult {
  const totalPopulation = areaTotals.reduce((sum, area) => sum + area.population, 0);
  const totalUsers = areaTotals.reduce((sum, area) => sum + area.users, 0);
  const rate = totalPopulation > 0 ? totalUsers / totalPopulation : null;

  const populated = areaTotals.filter((area) => area.population > 0);
  const nonUsersSorted = populated
    .map((area) => Math.max(area.population - area.users, 0))
    .sort((a, b) => a - b);
  const middle = Math.floor(nonUsersSorted.length / 2);
  const medianNonUsers =
    nonUsersSorted.length === 0
      ? null
      : nonUsersSorted.length % 2 === 1
        ? (nonUsersSorted[middle] as number)
        : ((nonUsersSorted[middle - 1] as number) + (nonUsersSorted[middle] as number)) / 2;

  const userSuppression = planSuppression(
    [...areaTotals.map((area) => area.users), unknownAreaUsers],
    suppressBelow,
  );
  const populationSuppression = planSuppression(
    areaTotals.map((area) => area.population),
    suppressBelow,
  );

  const areas: UsageGapArea[] = areaTotals.map((area, index) => {
    const nonUsers = Math.max(area.population - area.users, 0);
    const interval =
      area.population > 0 && area.users <= area.population
        ? wilsonInterval(area.users, area.population)
        : null;
    const priority =
      populated.length >= 2 &&
      interval !== null &&
      rate !== null &&
      medianNonUsers !== null &&
      nonUsers >= medianNonUsers &&
      interval[1] < rate;
    const suppression = {
      population: populationSuppression[index] ?? null,
      users: userSuppression[index] ?? null,
    };
    return {
      geoid: area.geoid,
      name: area.name,
      population: area.population,
      users: area.users,
      penetrationPer1000: area.population > 0 ? (1000 * area.users) / area.population : null,
      penetrationInterval: interval ? [1000 * interval[0], 1000 * interval[1]] : null,
      nonUsers,
      priority,
      rank: null,
      reliable: isReliableEstimate(area.population, area.populationMoe),
      populationMoe: area.populationMoe,
      moreUsersThanResidents: area.users > area.population,
      suppressed: suppression.population !== null || suppression.users !== null,
      suppression,
    };
  });

  areas.sort((a, b) => {
    if (a.penetrationPer1000 === null || b.penetrationPer1000 === null) {
      return a.penetrationPer1000 === b.penetrationPer1000
        ? a.geoid.localeCompare(b.geoid)
        : a.penetrationPer1000 === null
          ? 1
          : -1;
    }
    return (
      a.penetrationPer1000 - b.penetrationPer1000 ||
      b.nonUsers - a.nonUsers ||
      a.geoid.localeCompare(b.geoid)
    );
  });
  let rank = 0;
  for (const area of areas) {
    if (area.penetrationPer1000 === null || area.suppressed) continue;
    rank++;
    area.rank = rank;
  }

  return {
    areas,
    areaRatePer1000: rate === null ? null : 1000 * rate,
    priorityRule: PRIORITY_RULE,
    unknownAreaUsersSuppression: userSuppression[areaTotals.length] ?? null,
  };
}
