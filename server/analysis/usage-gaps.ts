import { aggregateMarginOfError } from "./aggregate-margin-of-error.ts";
import { areaCorrelations, type CompositionSeries } from "./area-correlations.ts";
import { type AreaTotals, areaPenetration } from "./area-penetration.ts";
import { dimensionGaps } from "./dimension-gaps.ts";
import { harmoniseCategories } from "./harmonise-categories.ts";
import { isSmallCount } from "./small-count.ts";
import { usageGapFindings } from "./usage-gap-findings.ts";
import type {
  ActiveUserCount,
  CommunityPopulationRow,
  UsageGapDocument,
  UsageGapInput,
} from "./usage-gap-types.ts";

const NAME = "usageGaps";

function fail(message: string): never {
  throw new RangeError(`${NAME}: ${message}`);
}

function validate(input: UsageGapInput): void {
  if (typeof input !== "object" || input === null) fail("input must be an object");
  if (!Array.isArray(input.population)) fail("population must be an array of rows");
  if (!Array.isArray(input.users)) fail("users must be an array of rows");
  if (!Number.isInteger(input.suppressBelow) || input.suppressBelow < 0) {
    fail(`suppressBelow must be a whole number ≥ 0 (got ${String(input.suppressBelow)})`);
  }
  if (
    typeof input.asOf !== "string" ||
    !/^\d{4}-\d{2}-\d{2}$/.test(input.asOf) ||
    Number.isNaN(Date.parse(`${input.asOf}T00:00:00Z`))
  ) {
    fail(`asOf must be a date written YYYY-MM-DD (got ${JSON.stringify(input.asOf)})`);
  }
  const count = (where: string, value: unknown) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      fail(`${where} must be a finite number ≥ 0 (got ${String(value)})`);
    }
  };
  const text = (where: string, value: unknown) => {
    if (typeof value !== "string" || value.trim() === "") {
      fail(`${where} must be a non-empty string (got ${JSON.stringify(value)})`);
    }
  };
  input.population.forEach((row: CommunityPopulationRow, index) => {
    text(`population[${index}].geoid`, row.geoid);
    text(`population[${index}].dimension`, row.dimension);
    if (typeof row.category !== "string") {
      fail(`population[${index}].category must be a string (got ${JSON.stringify(row.category)})`);
    }
    count(`population[${index}].count`, row.count);
    if (row.moe !== null) count(`population[${index}].moe`, row.moe);
  });
  input.users.forEach((row: ActiveUserCount, index) => {
    if (row.geoid !== null) text(`users[${index}].geoid`, row.geoid);
    text(`users[${index}].dimension`, row.dimension);
    if (row.category !== null && typeof row.category !== "string") {
      fail(
        `users[${index}].category must be a string or null (got ${JSON.stringify(row.category)})`,
      );
    }
    count(`users[${index}].count`, row.count);
  });
}

/** The dimension (name) with the largest value of `size`, in first-seen order on ties. */
function largest(names: readonly string[], size: (name: string) => number): string | null {
  let best: string | null = null;
  let bestSize = Number.NEGATIVE_INFINITY;
  for (const name of names) {
    const value = size(name);
    if (value > bestSize) {
      best = name;
      bestSize = value;
    }
  }
  return best;
}

/**
 * The usage-gap analysis: who in the service area uses the library and who does not, by group
 * and by area (DESIGN.md, "Analysis methods" and the `npm run analyze -- --format json`
 * document). Pure: it takes rows already read from the database and returns the document.
 *
 * Steps:
 * 1. Rows are restricted to the service area. Users with an unknown area (geoid null) count in
 *    the group comparisons (they are residents whose address could not be placed); users in a
 *    known area outside the service area are left out and counted.
 * 2. Every dimension present on both sides is harmonised (age re-banded to the finest common
 *    partition, languages mapped to the ACS C16001 groups, other labels matched as written)
 *    and compared group by group (dimensionGaps): shares, Wilson interval, representation
 *    index, penetration, expected users, shortfall, non-users, flags, census reliability, a
 *    chi-square goodness-of-fit test and Cohen's w. Dimensions on one side only are listed in
 *    skippedDimensions (census-only ones still describe the areas' composition).
 * 3. Areas (areaPenetration): population from the area dimension (default: the dimension with
 *    the largest known population, normally age), users from the same dimension on the user
 *    side (all categories, known or not); penetration, non-users, ranking and priority areas.
 * 4. Correlations (areaCorrelations) across areas between penetration and each category's
 *    share of the area's residents, for every census dimension. Areas with withheld counts
 *    are left out of the correlations so that no coefficient rests on a suppressed cell.
 * 5. Findings (usageGapFindings): plain sentences, largest gaps first.
 *
 * Suppression: counts 1 … suppressBelow − 1 are marked `suppressed` with complementary
 * suppression inside each table (groups plus unknown; areas plus unknown area); findings never
 * cite them. The document itself keeps the numbers; presentUsageGaps turns it into what may be
 * shown.
 *
 * @param input population and user rows, service area, suppressBelow, asOf, options
 * @returns the usage-gap document
 * @throws {RangeError} naming the row and field when the input is malformed, or when the
 *   service area is empty
 * @example
 * const document = usageGaps({ population, users, serviceArea: ["06075012000"], suppressBelow: 10, asOf: "2024-03-31" });
 * document.findings[0];
 */
export function usageGaps(input: UsageGapInput): UsageGapDocument {
  validate(input);
  const { suppressBelow } = input;
  const serviceArea = new Set([...input.serviceArea].map((geoid) => String(geoid).trim()));
  serviceArea.delete("");
  if (serviceArea.size === 0) fail("the service area has no geoids");
  const wanted = input.dimensions ? new Set(input.dimensions) : null;
  const keep = (dimension: string) => wanted === null || wanted.has(dimension);

  const population = input.population.filter(
    (row) => serviceArea.has(row.geoid) && keep(row.dimension),
  );
  const usersInScope = input.users.filter(
    (row) => (row.geoid === null || serviceArea.has(row.geoid)) && keep(row.dimension),
  );
  const usersOutside = input.users.filter(
    (row) => row.geoid !== null && !serviceArea.has(row.geoid) && keep(row.dimension),
  );

  const names = new Map<string, string>();
  for (const row of population) {
    if (row.name && !names.has(row.geoid)) names.set(row.geoid, row.name);
  }

  const populationDimensions = [...new Set(population.map((row) => row.dimension))];
  const userDimensions = [...new Set(usersInScope.map((row) => row.dimension))];
  const analysed = populationDimensions.filter((dimension) => userDimensions.includes(dimension));
  const skippedDimensions = [
    ...populationDimensions
      .filter((dimension) => !userDimensions.includes(dimension))
      .map((dimension) => ({
        dimension,
        reason: "census data only: no active-user counts by this dimension",
      })),
    ...userDimensions
      .filter((dimension) => !populationDimensions.includes(dimension))
      .map((dimension) => ({
        dimension,
        reason: "library data only: no census counts by this dimension",
      })),
  ];

  const dimensions = analysed.map((dimension) =>
    dimensionGaps(
      dimension,
      population.filter((row) => row.dimension === dimension),
      usersInScope.filter((row) => row.dimension === dimension),
      suppressBelow,
    ),
  );

  // Category of each census row (harmonised as in the comparison) for areas and composition.
  const populationCategory = new Map<string, Map<string, string | null>>();
  for (const dimension of populationDimensions) {
    const harmonised = harmoniseCategories(
      dimension,
      population.filter((row) => row.dimension === dimension).map((row) => row.category),
      usersInScope.flatMap((row) =>
        row.dimension === dimension && row.category !== null ? [row.category] : [],
      ),
    );
    populationCategory.set(dimension, harmonised.populationCategory);
  }
  const knownPopulation = (row: CommunityPopulationRow) =>
    (populationCategory.get(row.dimension)?.get(row.category) ?? null) !== null;

  const totalByDimension = (
    rows: readonly { dimension: string; count: number }[],
    dimension: string,
  ) => rows.reduce((sum, row) => (row.dimension === dimension ? sum + row.count : sum), 0);
  const knownRows = population.filter(knownPopulation);
  const areaPopulationDimension =
    input.areaDimension !== undefined && populationDimensions.includes(input.areaDimension)
      ? input.areaDimension
      : largest(populationDimensions, (dimension) => totalByDimension(knownRows, dimension));
  const areaUserDimension =
    input.areaDimension !== undefined && userDimensions.includes(input.areaDimension)
      ? input.areaDimension
      : areaPopulationDimension !== null && userDimensions.includes(areaPopulationDimension)
        ? areaPopulationDimension
        : largest(userDimensions, (dimension) => totalByDimension(usersInScope, dimension));

  const areaGeoids = [
    ...new Set([
      ...population.map((row) => row.geoid),
      ...usersInScope.flatMap((row) => (row.geoid === null ? [] : [row.geoid])),
    ]),
  ].sort();
  const presentGeoids = new Set(areaGeoids);
  const missingGeoids = [...serviceArea].filter((geoid) => !presentGeoids.has(geoid)).sort();
  const areaPopulationRows = new Map<string, CommunityPopulationRow[]>();
  for (const row of knownRows) {
    if (row.dimension !== areaPopulationDimension) continue;
    const rows = areaPopulationRows.get(row.geoid) ?? [];
    rows.push(row);
    areaPopulationRows.set(row.geoid, rows);
  }
  const areaUsers = new Map<string, number>();
  for (const row of usersInScope) {
    if (row.geoid === null || row.dimension !== areaUserDimension) continue;
    areaUsers.set(row.geoid, (areaUsers.get(row.geoid) ?? 0) + row.count);
  }
  const areaTotals: AreaTotals[] = areaGeoids.map((geoid) => {
    const rows = areaPopulationRows.get(geoid) ?? [];
    const moeKnown = rows.every((row) => row.moe !== null);
    return {
      geoid,
      name: names.get(geoid) ?? geoid,
      population: rows.reduce((sum, row) => sum + row.count, 0),
      populationMoe: moeKnown
        ? aggregateMarginOfError(
            rows.map((row) => row.moe ?? 0),
            rows.map((row) => row.count),
          )
        : null,
      users: areaUsers.get(geoid) ?? 0,
    };
  });
  const unknownAreaUsers = usersInScope.reduce(
    (sum, row) =>
      row.geoid === null && row.dimension === areaUserDimension ? sum + row.count : sum,
    0,
  );
  const outsideServiceAreaUsers = usersOutside.reduce(
    (sum, row) => (row.dimension === areaUserDimension ? sum + row.count : sum),
    0,
  );
  const areaResult = areaPenetration(areaTotals, unknownAreaUsers, suppressBelow);

  // Composition of each area, for the correlations (areas with withheld counts left out).
  const penetrationByArea = new Map<string, number>();
  for (const area of areaResult.areas) {
    if (area.penetrationPer1000 !== null && !area.suppressed) {
      penetrationByArea.set(area.geoid, area.penetrationPer1000);
    }
  }
  const series: CompositionSeries[] = [];
  for (const dimension of populationDimensions) {
    const categoryOf = populationCategory.get(dimension) ?? new Map<string, string | null>();
    const byArea = new Map<string, Map<string, number>>();
    const areaTotal = new Map<string, number>();
    const categories = new Set<string>();
    for (const row of population) {
      if (row.dimension !== dimension) continue;
      const category = categoryOf.get(row.category) ?? null;
      if (category === null) continue;
      categories.add(category);
      const counts = byArea.get(row.geoid) ?? new Map<string, number>();
      counts.set(category, (counts.get(category) ?? 0) + row.count);
      byArea.set(row.geoid, counts);
      areaTotal.set(row.geoid, (areaTotal.get(row.geoid) ?? 0) + row.count);
    }
    const ordered = dimensions
      .find((entry) => entry.dimension === dimension)
      ?.groups.map((group) => group.category) ?? [...categories];
    for (const category of ordered.filter((name) => categories.has(name))) {
      const shareByArea = new Map<string, number>();
      for (const [geoid, counts] of byArea) {
        const total = areaTotal.get(geoid) ?? 0;
        if (total > 0) shareByArea.set(geoid, (counts.get(category) ?? 0) / total);
      }
      series.push({ dimension, category, shareByArea });
    }
  }
  const correlations = areaCorrelations(penetrationByArea, series);

  const areaPopulation = areaTotals.reduce((sum, area) => sum + area.population, 0);
  const usersInAreas = areaTotals.reduce((sum, area) => sum + area.users, 0);
  const totalUsers = usersInAreas + unknownAreaUsers;
  const small = (value: number) => (isSmallCount(value, suppressBelow) ? ("small" as const) : null);

  const withoutFindings: Omit<UsageGapDocument, "findings"> = {
    asOf: input.asOf,
    suppressBelow,
    serviceArea: {
      name: input.serviceAreaName ?? null,
      geoids: [...serviceArea].sort(),
      missingGeoids,
      areas: areaResult.areas.length,
      population: areaPopulation,
      users: totalUsers,
      usersInAreas,
      unknownAreaUsers,
      outsideServiceAreaUsers,
      penetrationPer1000: areaPopulation > 0 ? (1000 * totalUsers) / areaPopulation : null,
      areaRatePer1000: areaResult.areaRatePer1000,
      areaDimension: { population: areaPopulationDimension, users: areaUserDimension },
      suppression: {
        population: small(areaPopulation),
        users: small(totalUsers),
        unknownAreaUsers: areaResult.unknownAreaUsersSuppression,
        outsideServiceAreaUsers: small(outsideServiceAreaUsers),
      },
    },
    dimensions,
    skippedDimensions,
    areas: areaResult.areas,
    priorityRule: areaResult.priorityRule,
    correlations,
  };
  return { ...withoutFindings, findings: usageGapFindings(withoutFindings) };
}
