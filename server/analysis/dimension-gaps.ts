import { aggregateMarginOfError } from "./aggregate-margin-of-error.ts";
import { chiSquareGoodnessOfFit } from "./chi-square-goodness-of-fit.ts";
import { ACS_MOE_Z, coefficientOfVariation } from "./coefficient-of-variation.ts";
import { cohensW } from "./cohens-w.ts";
import { harmoniseCategories } from "./harmonise-categories.ts";
import { isReliableEstimate } from "./is-reliable-estimate.ts";
import { planSuppression } from "./plan-suppression.ts";
import { proportionMarginOfError } from "./proportion-margin-of-error.ts";
import { representationIndexInterval } from "./representation-index-interval.ts";
import type {
  ActiveUserCount,
  CommunityPopulationRow,
  UsageGapDimension,
  UsageGapGroup,
} from "./usage-gap-types.ts";
import { wilsonInterval } from "./wilson-interval.ts";

/** Representation index below which (with a confident interval) a group is under-represented. */
export const UNDER_REPRESENTED_BELOW = 0.8;
/** Representation index above which (with a confident interval) a group is over-represented. */
export const OVER_REPRESENTED_ABOVE = 1.25;

interface Accumulator {
  population: number;
  moes: number[];
  estimates: number[];
  moeKnown: boolean;
  users: number;
  populationLabels: Set<string>;
  userLabels: Set<string>;
}

/**
 * Representation of each group of one dimension among a service area's active users,
 * compared with the community (DESIGN.md, "Analysis methods"):
 *
 *     p_c = pop_c / Σ pop            community share
 *     u_c = users_c / Σ users        user share (active users with a known category)
 *     RI_c = u_c / p_c               representation index
 *     penetration_c = 1000 · users_c / pop_c
 *     expected_c = Σ users · p_c,  shortfall_c = expected_c − users_c
 *     nonUsers_c = max(pop_c − users_c, 0)
 *
 * A 95% Wilson interval is put on u_c, and a 95% interval on RI_c that adds the census
 * share's sampling error to the patron side's (representationIndexInterval: delta method,
 * with SE(p_c) from the ACS proportion formula on the group's and the dimension's aggregated
 * MOEs). Without a margin of error for every census row of the dimension, the census error is
 * left out (censusErrorIncluded false) and the RI interval is the Wilson interval over p_c.
 * The group is flagged "under" when RI < 0.8 and the RI interval's upper bound is below 1,
 * "over" when RI > 1.25 and its lower bound is above 1. Without census error this is exactly
 * "the Wilson upper bound is below p_c" (lower bound above p_c) of DESIGN.md; with it, a gap
 * must also clear the census estimate's own uncertainty.
 *
 * The census estimate is unreliable when its CV, (MOE/1.645)/estimate with the MOE aggregated
 * as √ΣMOE², exceeds 0.30, and of unknown reliability (null) when it has no MOE.
 *
 * Across groups, a chi-square goodness-of-fit test (df = k − 1, exact p-value) compares users
 * with Σ users · p_c, with Cohen's w as the effect size. Groups with no residents cannot be
 * tested (their expected count is 0) and are left out of the test; groups with a withheld
 * (suppressed) count are pooled into one cell first, so that the statistic reveals nothing
 * the shown table does not. Both are stated in `chiSquareNote`.
 *
 * Unknown or unmatched categories are counted in unknownUsers / unknownPopulation and named.
 * No number is NaN or Infinity: undefined quantities are null.
 *
 * @param dimension the dimension's name ("age", "language", …)
 * @param population census rows of this dimension inside the service area
 * @param users active-user rows of this dimension inside the service area or of unknown area
 * @param suppressBelow counts 1 … suppressBelow − 1 are withheld
 * @returns the dimension's section of the usage-gap document
 * @example
 * dimensionGaps("language", populationRows, userRows, 10).groups[0].representationIndex;
 */
export function dimensionGaps(
  dimension: string,
  population: readonly CommunityPopulationRow[],
  users: readonly ActiveUserCount[],
  suppressBelow: number,
): UsageGapDimension {
  const harmonised = harmoniseCategories(
    dimension,
    population.map((row) => row.category),
    users.flatMap((row) => (row.category === null ? [] : [row.category])),
  );

  const byCategory = new Map<string, Accumulator>(
    harmonised.categories.map((category) => [
      category,
      {
        population: 0,
        moes: [],
        estimates: [],
        moeKnown: true,
        users: 0,
        populationLabels: new Set(),
        userLabels: new Set(),
      },
    ]),
  );
  let unknownPopulation = 0;
  let unknownUsers = 0;
  const unknownPopulationLabels = new Set<string>();
  const unknownUserLabels = new Set<string>();

  for (const row of population) {
    const category = harmonised.populationCategory.get(row.category) ?? null;
    const accumulator = category === null ? undefined : byCategory.get(category);
    if (!accumulator) {
      unknownPopulation += row.count;
      unknownPopulationLabels.add(row.category);
      continue;
    }
    accumulator.population += row.count;
    accumulator.populationLabels.add(row.category);
    if (row.moe === null) accumulator.moeKnown = false;
    else {
      accumulator.moes.push(row.moe);
      accumulator.estimates.push(row.count);
    }
  }
  for (const row of users) {
    const category =
      row.category === null ? null : (harmonised.userCategory.get(row.category) ?? null);
    const accumulator = category === null ? undefined : byCategory.get(category);
    if (!accumulator) {
      unknownUsers += row.count;
      unknownUserLabels.add(row.category ?? "(not recorded)");
      continue;
    }
    accumulator.users += row.count;
    if (row.category !== null) accumulator.userLabels.add(row.category);
  }

  const categories = harmonised.categories;
  const accumulators = categories.map((category) => byCategory.get(category) as Accumulator);
  const totalPopulation = accumulators.reduce((sum, group) => sum + group.population, 0);
  const totalUsers = accumulators.reduce((sum, group) => sum + group.users, 0);
  // MOE of Σ pop, for the census share's error; unknown when any row lacks a MOE.
  const totalPopulationMoe = accumulators.every((group) => group.moeKnown)
    ? aggregateMarginOfError(
        accumulators.flatMap((group) => group.moes),
        accumulators.flatMap((group) => group.estimates),
      )
    : null;

  const userSuppression = planSuppression(
    [...accumulators.map((group) => group.users), unknownUsers],
    suppressBelow,
  );
  const populationSuppression = planSuppression(
    [...accumulators.map((group) => group.population), unknownPopulation],
    suppressBelow,
  );

  const groups: UsageGapGroup[] = accumulators.map((group, index) => {
    const communityShare = totalPopulation > 0 ? group.population / totalPopulation : null;
    const userShare = totalUsers > 0 ? group.users / totalUsers : null;
    const userShareInterval = totalUsers > 0 ? wilsonInterval(group.users, totalUsers) : null;
    const hasIndex = communityShare !== null && communityShare > 0 && userShare !== null;
    const representationIndex = hasIndex
      ? (userShare as number) / (communityShare as number)
      : null;
    const populationMoe = group.moeKnown
      ? aggregateMarginOfError(group.moes, group.estimates)
      : null;
    const communityShareSe =
      hasIndex && populationMoe !== null && totalPopulationMoe !== null
        ? proportionMarginOfError(
            group.population,
            populationMoe,
            totalPopulation,
            totalPopulationMoe,
          ) / ACS_MOE_Z
        : null;
    const riInterval = hasIndex
      ? representationIndexInterval(
          group.users,
          totalUsers,
          communityShare as number,
          communityShareSe,
        )
      : null;
    const interval = riInterval?.interval ?? null;
    let flag: UsageGapGroup["flag"] = null;
    if (representationIndex !== null && interval !== null) {
      if (representationIndex < UNDER_REPRESENTED_BELOW && interval[1] < 1) flag = "under";
      if (representationIndex > OVER_REPRESENTED_ABOVE && interval[0] > 1) flag = "over";
    }
    const expectedUsers = communityShare === null ? null : totalUsers * communityShare;
    const suppression = {
      population: populationSuppression[index] ?? null,
      users: userSuppression[index] ?? null,
    };
    return {
      category: categories[index] as string,
      population: group.population,
      users: group.users,
      communityShare,
      userShare,
      userShareInterval,
      representationIndex,
      representationIndexInterval: interval,
      censusErrorIncluded: riInterval?.censusErrorIncluded ?? false,
      penetrationPer1000: group.population > 0 ? (1000 * group.users) / group.population : null,
      expectedUsers,
      shortfall: expectedUsers === null ? null : expectedUsers - group.users,
      nonUsers: Math.max(group.population - group.users, 0),
      flag,
      reliable: isReliableEstimate(group.population, populationMoe),
      populationMoe,
      cv:
        populationMoe !== null && group.population > 0
          ? coefficientOfVariation(group.population, populationMoe)
          : null,
      moreUsersThanResidents: group.users > group.population,
      suppressed: suppression.population !== null || suppression.users !== null,
      suppression,
      sources: { population: [...group.populationLabels], users: [...group.userLabels] },
    };
  });

  const test = goodnessOfFit(groups);
  const notes = [...harmonised.notes];
  for (const group of groups) {
    if (group.population === 0 && group.users > 0 && !group.suppressed) {
      notes.push(`"${group.category}" has active users but no residents in the census data.`);
    }
  }

  return {
    dimension,
    harmonisation: harmonised.method,
    groups,
    population: totalPopulation,
    users: totalUsers,
    unknownUsers,
    unknownPopulation,
    unknownSuppression: {
      population: populationSuppression[accumulators.length] ?? null,
      users: userSuppression[accumulators.length] ?? null,
    },
    unknownCategories: {
      population: [...unknownPopulationLabels],
      users: [...unknownUserLabels],
    },
    chiSquare: test.chiSquare,
    cohensW: test.cohensW,
    chiSquareNote: test.note,
    notes,
  };
}

/** The goodness-of-fit test over groups with residents, suppressed groups pooled. */
function goodnessOfFit(groups: readonly UsageGapGroup[]): {
  chiSquare: UsageGapDimension["chiSquare"];
  cohensW: number | null;
  note: string | null;
} {
  const notes: string[] = [];
  const testable = groups.filter((group) => group.population > 0);
  const untestable = groups.filter((group) => group.population === 0 && group.users > 0);
  if (untestable.length > 0) {
    const shown = untestable
      .filter((group) => !group.suppressed)
      .map((group) => `"${group.category}"`);
    notes.push(
      `${untestable.length} group(s) with active users but no residents ${shown.length > 0 ? `(${shown.join(", ")}) ` : ""}cannot be tested and are left out of the test.`,
    );
  }
  const pooled = testable.filter((group) => group.suppressed);
  const shown = testable.filter((group) => !group.suppressed);
  if (pooled.length === 1 && shown.length > 0) {
    // A pool of one would reveal that group; add the smallest shown group to it.
    const smallest = [...shown].sort((a, b) => a.population - b.population)[0] as UsageGapGroup;
    pooled.push(smallest);
    shown.splice(shown.indexOf(smallest), 1);
  }
  const cells = shown.map((group) => ({ population: group.population, users: group.users }));
  if (pooled.length > 0) {
    cells.push({
      population: pooled.reduce((sum, group) => sum + group.population, 0),
      users: pooled.reduce((sum, group) => sum + group.users, 0),
    });
    notes.push(
      `${pooled.length} groups with withheld small counts were pooled into one cell for the test.`,
    );
  }
  const testedPopulation = cells.reduce((sum, cell) => sum + cell.population, 0);
  const testedUsers = cells.reduce((sum, cell) => sum + cell.users, 0);
  if (cells.length < 2 || testedUsers === 0 || testedPopulation === 0) {
    notes.push(
      cells.length < 2
        ? "Too few groups with residents to test (at least two are needed)."
        : "No active users with a known category to test.",
    );
    return { chiSquare: null, cohensW: null, note: notes.join(" ") };
  }
  const expectedShares = cells.map((cell) => cell.population / testedPopulation);
  const chiSquare = chiSquareGoodnessOfFit(
    cells.map((cell) => cell.users),
    expectedShares,
  );
  const w = cohensW(
    cells.map((cell) => cell.users / testedUsers),
    expectedShares,
  );
  return { chiSquare, cohensW: w, note: notes.length > 0 ? notes.join(" ") : null };
}
