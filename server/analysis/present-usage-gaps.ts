import { type SuppressionLabels, suppressedText, suppressionLabels } from "./suppressed-text.ts";
import type {
  CellSuppression,
  SuppressionReason,
  UsageGapArea,
  UsageGapDimension,
  UsageGapDocument,
  UsageGapGroup,
  UsageGapServiceArea,
} from "./usage-gap-types.ts";

/** A count as it may be shown: the number, or a marker when it is withheld. */
export type ShownCount = number | string;

export interface PresentedGroup
  extends Omit<
    UsageGapGroup,
    "population" | "users" | "nonUsers" | "reliable" | "moreUsersThanResidents"
  > {
  population: ShownCount;
  users: ShownCount;
  nonUsers: number | null;
  reliable: boolean | null;
  moreUsersThanResidents: boolean | null;
}

export interface PresentedDimension
  extends Omit<
    UsageGapDimension,
    "groups" | "population" | "users" | "unknownUsers" | "unknownPopulation"
  > {
  groups: PresentedGroup[];
  population: ShownCount;
  users: ShownCount;
  unknownUsers: ShownCount;
  unknownPopulation: ShownCount;
}

export interface PresentedArea
  extends Omit<
    UsageGapArea,
    "population" | "users" | "nonUsers" | "reliable" | "moreUsersThanResidents"
  > {
  population: ShownCount;
  users: ShownCount;
  nonUsers: number | null;
  reliable: boolean | null;
  moreUsersThanResidents: boolean | null;
}

export interface PresentedServiceArea
  extends Omit<
    UsageGapServiceArea,
    "population" | "users" | "usersInAreas" | "unknownAreaUsers" | "outsideServiceAreaUsers"
  > {
  population: ShownCount;
  users: ShownCount;
  usersInAreas: ShownCount;
  unknownAreaUsers: ShownCount;
  outsideServiceAreaUsers: ShownCount;
}

export interface PresentedUsageGapDocument
  extends Omit<UsageGapDocument, "serviceArea" | "dimensions" | "areas"> {
  serviceArea: PresentedServiceArea;
  dimensions: PresentedDimension[];
  areas: PresentedArea[];
}

export interface PresentOptions {
  /** How withheld counts read (suppressed-text.ts); default English: "<10", "suppressed". */
  labels?: SuppressionLabels;
}

/**
 * Turns a usage-gap document into what may be shown on a staff page or in an aggregate export
 * (DESIGN.md, "Privacy and safety rules"):
 *
 * - a small count (1 … suppressBelow − 1) is replaced by "<10" (built from suppressBelow);
 * - a count withheld by complementary suppression (so that a small one cannot be recovered by
 *   subtracting the shown cells from a shown total) is replaced by "suppressed" (it is not
 *   small, so "<10" would be false);
 * - every number derived from a withheld count is nulled: shares, intervals, representation
 *   index, penetration, expected users, shortfall, non-users, flag, reliability;
 * - a subtotal that would reveal a withheld cell by subtraction (a dimension's known-category
 *   total when its unknown count is withheld; users in areas when unknown-area users are
 *   withheld) is withheld too.
 *
 * Tests, correlations and findings are kept: the engine already pooled suppressed groups for
 * the tests, left suppressed areas out of the correlations and kept them out of the findings.
 * Formatting numbers for display (rounding, separators) is left to the view.
 *
 * @param document the usage-gap document from usageGaps
 * @param options how withheld counts read (default English)
 * @returns the document with withheld counts replaced and derived numbers nulled
 * @example
 * presentUsageGaps(document).dimensions[0].groups[3].users; // => "<10"
 */
export function presentUsageGaps(
  document: UsageGapDocument,
  options: PresentOptions = {},
): PresentedUsageGapDocument {
  const labels = options.labels ?? suppressionLabels(document.suppressBelow);
  const show = (value: number, reason: SuppressionReason | null): ShownCount =>
    reason === null ? value : suppressedText(reason, document.suppressBelow, labels);
  const withheld = (suppression: CellSuppression) => ({
    population: suppression.population !== null,
    users: suppression.users !== null,
    any: suppression.population !== null || suppression.users !== null,
  });

  const dimensions = document.dimensions.map((dimension): PresentedDimension => {
    const groups = dimension.groups.map((group): PresentedGroup => {
      const hidden = withheld(group.suppression);
      return {
        ...group,
        population: show(group.population, group.suppression.population),
        users: show(group.users, group.suppression.users),
        communityShare: hidden.population ? null : group.communityShare,
        userShare: hidden.users ? null : group.userShare,
        userShareInterval: hidden.users ? null : group.userShareInterval,
        representationIndex: hidden.any ? null : group.representationIndex,
        representationIndexInterval: hidden.any ? null : group.representationIndexInterval,
        penetrationPer1000: hidden.any ? null : group.penetrationPer1000,
        expectedUsers: hidden.population ? null : group.expectedUsers,
        shortfall: hidden.any ? null : group.shortfall,
        nonUsers: hidden.any ? null : group.nonUsers,
        flag: hidden.any ? null : group.flag,
        reliable: hidden.population ? null : group.reliable,
        populationMoe: hidden.population ? null : group.populationMoe,
        cv: hidden.population ? null : group.cv,
        moreUsersThanResidents: hidden.any ? null : group.moreUsersThanResidents,
      };
    });
    const small = (value: number): SuppressionReason | null =>
      value > 0 && value < document.suppressBelow ? "small" : null;
    return {
      ...dimension,
      groups,
      population: show(
        dimension.population,
        small(dimension.population) ??
          (dimension.unknownSuppression.population !== null ? "complementary" : null),
      ),
      users: show(
        dimension.users,
        small(dimension.users) ??
          (dimension.unknownSuppression.users !== null ? "complementary" : null),
      ),
      unknownUsers: show(dimension.unknownUsers, dimension.unknownSuppression.users),
      unknownPopulation: show(dimension.unknownPopulation, dimension.unknownSuppression.population),
    };
  });

  const areas = document.areas.map((area): PresentedArea => {
    const hidden = withheld(area.suppression);
    return {
      ...area,
      population: show(area.population, area.suppression.population),
      users: show(area.users, area.suppression.users),
      penetrationPer1000: hidden.any ? null : area.penetrationPer1000,
      penetrationInterval: hidden.any ? null : area.penetrationInterval,
      nonUsers: hidden.any ? null : area.nonUsers,
      rank: hidden.any ? null : area.rank,
      reliable: hidden.population ? null : area.reliable,
      populationMoe: hidden.population ? null : area.populationMoe,
      moreUsersThanResidents: hidden.any ? null : area.moreUsersThanResidents,
    };
  });

  const serviceArea = document.serviceArea;
  const totalsHidden =
    serviceArea.suppression.population !== null || serviceArea.suppression.users !== null;
  const presentedServiceArea: PresentedServiceArea = {
    ...serviceArea,
    population: show(serviceArea.population, serviceArea.suppression.population),
    users: show(serviceArea.users, serviceArea.suppression.users),
    usersInAreas: show(
      serviceArea.usersInAreas,
      serviceArea.usersInAreas > 0 && serviceArea.usersInAreas < document.suppressBelow
        ? "small"
        : serviceArea.suppression.unknownAreaUsers !== null
          ? "complementary"
          : null,
    ),
    unknownAreaUsers: show(serviceArea.unknownAreaUsers, serviceArea.suppression.unknownAreaUsers),
    outsideServiceAreaUsers: show(
      serviceArea.outsideServiceAreaUsers,
      serviceArea.suppression.outsideServiceAreaUsers,
    ),
    penetrationPer1000: totalsHidden ? null : serviceArea.penetrationPer1000,
    areaRatePer1000:
      totalsHidden || serviceArea.suppression.unknownAreaUsers !== null
        ? null
        : serviceArea.areaRatePer1000,
  };

  return { ...document, serviceArea: presentedServiceArea, dimensions, areas };
}
