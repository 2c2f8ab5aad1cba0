/**
 * Input and output types of the usage-gap engine (usageGaps) and its presenter
 * (presentUsageGaps). The output is the document `npm run analyze -- --format json` prints
 * (DESIGN.md), with a few extra keys that explain the numbers.
 */
import type { ChiSquareResult } from "./chi-square-goodness-of-fit.ts";
import type { CorrelationResult } from "./correlation-result.ts";

// ── Input ────────────────────────────────────────────────────────────────────────────────

/** One census (ACS or tidy) row: residents of one area in one category of one dimension. */
export interface CommunityPopulationRow {
  geoid: string;
  /** Display name of the area ("Census Tract 12.01"); null when unknown. */
  name: string | null;
  /** "age", "language", "poverty", … (same names as the user side where both exist). */
  dimension: string;
  /** The census label: "20 to 24 years", "Spanish", "Below poverty level", … */
  category: string;
  count: number;
  /** 90% margin of error; null for a count without sampling error or without a published MOE. */
  moe: number | null;
}

/** Active users (the patron cube, aggregated) in one area and category of one dimension. */
export interface ActiveUserCount {
  /** null: the user's area is unknown. */
  geoid: string | null;
  dimension: string;
  /** null: the user's category is unknown (not recorded). */
  category: string | null;
  count: number;
}

export interface UsageGapInput {
  population: readonly CommunityPopulationRow[];
  users: readonly ActiveUserCount[];
  /** The geoids that make up the library's service area. */
  serviceArea: Iterable<string>;
  /** Name of the service area for display; default null. */
  serviceAreaName?: string | null;
  /** Counts 1 … suppressBelow − 1 are withheld (config.suppressBelow; 10 by default). */
  suppressBelow: number;
  /** Reference date of the patron data, YYYY-MM-DD. */
  asOf: string;
  /** Only analyse these dimensions (default: all). */
  dimensions?: readonly string[];
  /**
   * Dimension whose totals give each area's population and users (default: the dimension
   * with the largest known population in the service area, normally age, whose universe is
   * the whole population).
   */
  areaDimension?: string;
}

// ── Output ───────────────────────────────────────────────────────────────────────────────

/** Why a count is withheld: it is small (1 … suppressBelow − 1), or it protects a small one. */
export type SuppressionReason = "small" | "complementary";

export interface CellSuppression {
  population: SuppressionReason | null;
  users: SuppressionReason | null;
}

export interface UsageGapGroup {
  category: string;
  /** Residents (census estimate summed over the service area). */
  population: number;
  /** Active users with this category. */
  users: number;
  /** p = population / Σ population; null when the dimension has no population. */
  communityShare: number | null;
  /** u = users / Σ users (known category); null when there are no users. */
  userShare: number | null;
  /** 95% Wilson interval of u; null when there are no users. */
  userShareInterval: [number, number] | null;
  /** RI = u / p; null when p or u is undefined or p = 0. */
  representationIndex: number | null;
  /**
   * 95% interval of RI with the patron side's (Wilson) and the census side's (ACS MOE, delta
   * method) sampling error; the Wilson interval of u divided by p when the census error is
   * unknown (see censusErrorIncluded).
   */
  representationIndexInterval: [number, number] | null;
  /** Whether representationIndexInterval includes the census share's sampling error. */
  censusErrorIncluded: boolean;
  /** 1000 · users / population; null when the population is 0. May exceed 1000 (flagged). */
  penetrationPer1000: number | null;
  /** Σ users · p. */
  expectedUsers: number | null;
  /** expectedUsers − users (positive: fewer users than the group's share would give). */
  shortfall: number | null;
  /** max(population − users, 0). */
  nonUsers: number;
  /** "under": RI < 0.8 and the RI interval's upper bound < 1; "over": RI > 1.25 and its lower bound > 1. */
  flag: "under" | "over" | null;
  /**
   * False when the census estimate's CV exceeds 30% (or the population is 0); null (unknown)
   * when it has no margin of error.
   */
  reliable: boolean | null;
  /** Aggregated 90% MOE of the population estimate; null when unknown. */
  populationMoe: number | null;
  /** Coefficient of variation of the population estimate; null when unknown or population 0. */
  cv: number | null;
  /** More active users than census residents (penetration > 1000, or users with no residents). */
  moreUsersThanResidents: boolean;
  /** True when a count of this group must not be shown (see suppression). */
  suppressed: boolean;
  suppression: CellSuppression;
  /** The original labels that were added up into this category, per side. */
  sources: { population: string[]; users: string[] };
}

export interface UsageGapDimension {
  dimension: string;
  /** How the two sides' categories were matched. */
  harmonisation: "age-intervals" | "language-groups" | "labels";
  groups: UsageGapGroup[];
  /** Σ population over known categories. */
  population: number;
  /** Σ users over known categories. */
  users: number;
  /** Active users whose category is unknown or could not be matched (not in the comparison). */
  unknownUsers: number;
  /** Census counts under labels that could not be placed (e.g. "Total", overlapping subtotals). */
  unknownPopulation: number;
  /** Suppression of the two unknown counts (they are cells of the same tables as the groups). */
  unknownSuppression: CellSuppression;
  /** Labels behind the unknown counts. */
  unknownCategories: { population: string[]; users: string[] };
  /** Goodness of fit of users to the community shares; null when it cannot be computed. */
  chiSquare: ChiSquareResult | null;
  /** Cohen's w for the same comparison; null with chiSquare. */
  cohensW: number | null;
  /** How the test was formed (pooled or excluded groups), or why it is missing. */
  chiSquareNote: string | null;
  /** Harmonisation and data notes, in plain words. */
  notes: string[];
}

export interface UsageGapArea {
  geoid: string;
  name: string;
  population: number;
  users: number;
  /** 1000 · users / population; null when the population is 0. */
  penetrationPer1000: number | null;
  /** 95% Wilson interval of users / population, per 1000; null when not computable. */
  penetrationInterval: [number, number] | null;
  nonUsers: number;
  /** Many non-users (≥ the median area) and penetration significantly below the service area's. */
  priority: boolean;
  /** 1 = lowest penetration; null when penetration is unknown or the area is suppressed. */
  rank: number | null;
  /** As for groups: false above a CV of 30%, null (unknown) without a margin of error. */
  reliable: boolean | null;
  populationMoe: number | null;
  moreUsersThanResidents: boolean;
  suppressed: boolean;
  suppression: CellSuppression;
}

export interface AreaCorrelation {
  dimension: string;
  category: string;
  /** Number of areas in the correlation. */
  n: number;
  /** Correlation between the category's share of each area's residents and penetration. */
  pearson: CorrelationResult | null;
  spearman: CorrelationResult | null;
  /** Change in users per 1,000 residents for a 10-percentage-point higher share (OLS). */
  slopePer10Points: number | null;
  /** Pearson's p-value after Holm's adjustment over all the shares tested; "clear" below 0.05. */
  adjustedPValue: number | null;
  /** One plain-language sentence with size and uncertainty. */
  summary: string;
  /** Why there is no correlation, when there is none. */
  insufficientData: string | null;
}

export interface UsageGapServiceArea {
  name: string | null;
  geoids: string[];
  /** Service-area geoids with no census or user rows at all. */
  missingGeoids: string[];
  /** Number of areas listed in `areas`. */
  areas: number;
  /** Residents, from the area dimension. */
  population: number;
  /** Active users in the service area plus those with unknown area. */
  users: number;
  /** Active users in one of the service area's geoids. */
  usersInAreas: number;
  /** Active users whose area is unknown (counted in the group comparisons, not in `areas`). */
  unknownAreaUsers: number;
  /** Active users in a known area outside the service area (left out everywhere). */
  outsideServiceAreaUsers: number;
  /** 1000 · users / population; null when the population is 0. */
  penetrationPer1000: number | null;
  /** 1000 · usersInAreas / population: the rate areas are compared against. */
  areaRatePer1000: number | null;
  /** Dimensions used for the area totals on each side. */
  areaDimension: { population: string | null; users: string | null };
  /** Withheld service-area counts (small totals, or protection of a small area cell). */
  suppression: {
    population: SuppressionReason | null;
    users: SuppressionReason | null;
    unknownAreaUsers: SuppressionReason | null;
    outsideServiceAreaUsers: SuppressionReason | null;
  };
}

export interface UsageGapDocument {
  asOf: string;
  suppressBelow: number;
  serviceArea: UsageGapServiceArea;
  dimensions: UsageGapDimension[];
  /** Dimensions present on one side only (they still feed the area correlations if census). */
  skippedDimensions: { dimension: string; reason: string }[];
  /** Areas ranked from the lowest penetration. */
  areas: UsageGapArea[];
  /** The rule that made `priority` true, in words. */
  priorityRule: string;
  correlations: AreaCorrelation[];
  findings: string[];
}
