// Raking weights for a results request: the community margins over the service area (one census
// geography kind per dimension) and the weights of the scope's respondents, kept until the data
// changes.

import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import { communityDimensions, populationBy } from "../queries/community.ts";
import {
  type CommunityMargins,
  type MarginCounts,
  profileQuestions,
  RAKING_DIMENSIONS,
  type RakingDimension,
} from "../results/profile-mappings.ts";
import type { SurveyCodebook } from "../results/types.ts";
import {
  rakingWeights,
  type WeightingOptions,
  type WeightingResult,
} from "../results/weighting.ts";
import { keptResult } from "./response-store.ts";
import {
  forEachScoped,
  type LoadedSurvey,
  loadResultsSurvey,
  type ResultsScope,
  surveyStamp,
} from "./survey-scope.ts";

/** Weighting settings: raking options plus the census geography kinds the margins come from. */
export interface WeightingRequest extends WeightingOptions {
  /** Census geography kinds to sum age and language over (default: see communityMargins). */
  kinds?: readonly string[];
}

/** Census kinds tried, in order, for the age and language margins (one kind: no double count). */
const MARGIN_KIND_PREFERENCE = ["zcta", "zip", "tract", "blockgroup", "place", "county", "custom"];

/**
 * Community margins over the service area: age and language counts summed over the areas of one
 * census geography kind (the first of zcta, zip, tract, block group, place, county, custom that
 * has the dimension, unless `kinds` is given), and area totals per ZIP code (ZCTA or ZIP areas,
 * from the age counts, else the language counts).
 */
export async function communityMargins(
  db: Db,
  options: { kinds?: readonly string[] } = {},
): Promise<CommunityMargins & { kinds: Partial<Record<RakingDimension, string[]>> }> {
  const available = await communityDimensions(db);
  const kindsFor = (dimension: string): string[] => {
    if (options.kinds) return [...options.kinds];
    const kinds = available.filter((d) => d.dimension === dimension).map((d) => d.kind);
    const preferred = MARGIN_KIND_PREFERENCE.find((kind) => kinds.includes(kind)) ?? kinds[0];
    return preferred ? [preferred] : [];
  };
  const sumBy = (
    cells: { category: string; geoid: string; count: number }[],
    key: "category" | "geoid",
  ): MarginCounts => {
    const totals = new Map<string, number>();
    for (const cell of cells) totals.set(cell[key], (totals.get(cell[key]) ?? 0) + cell.count);
    return [...totals].map(([category, count]) => ({ category, count }));
  };
  const margins: CommunityMargins & { kinds: Partial<Record<RakingDimension, string[]>> } = {
    kinds: {},
  };
  for (const dimension of ["age", "language"] as const) {
    const kinds = kindsFor(dimension);
    if (kinds.length === 0) continue;
    const cells = await populationBy(db, { dimension, kinds });
    if (cells.length === 0) continue;
    margins[dimension] = sumBy(cells, "category");
    margins.kinds[dimension] = kinds;
  }
  const zipKinds = ["zcta", "zip"].filter((kind) => available.some((d) => d.kind === kind));
  for (const dimension of ["age", "language"] as const) {
    if (zipKinds.length === 0 || margins.area) break;
    const cells = await populationBy(db, { dimension, kinds: zipKinds });
    if (cells.length === 0) continue;
    margins.area = sumBy(cells, "geoid");
    margins.kinds.area = zipKinds;
  }
  return margins;
}

/**
 * Raking weights for the scope's respondents (a first pass over the responses keeps only the
 * answers to the raking questions).
 *
 * @throws {InputError} when the survey has no question or the database no community data
 *   for any raking dimension (the message says which and why)
 */
export async function computeWeights(
  db: Db,
  scope: ResultsScope,
  request: WeightingRequest = {},
  loaded?: LoadedSurvey,
): Promise<WeightingResult> {
  const key = JSON.stringify(["weights", scope, request]);
  return keptResult(db, key, await surveyStamp(db, scope.slug), async () => {
    const { codebook } = loaded ?? (await loadResultsSurvey(db, scope.slug, scope.language));
    return weightsFor(db, scope, request, codebook);
  });
}

async function weightsFor(
  db: Db,
  scope: ResultsScope,
  request: WeightingRequest,
  codebook: SurveyCodebook,
): Promise<WeightingResult> {
  const questions = profileQuestions(codebook, request.questions);
  const keys = RAKING_DIMENSIONS.flatMap((d) => [
    questions[d],
    questions[d] + codebook.commentSuffix,
  ]);
  const respondents: { id: string; data: Record<string, unknown> }[] = [];
  await forEachScoped(db, scope.slug, codebook, scope.filter, (response) => {
    const data: Record<string, unknown> = {};
    for (const key of keys) if (key in response.data) data[key] = response.data[key];
    respondents.push({ id: response.id, data });
  });
  if (respondents.length === 0) {
    throw new InputError("There are no responses to weight for these filters");
  }
  const margins = await communityMargins(db, { kinds: request.kinds });
  try {
    return rakingWeights(codebook, respondents, margins, request);
  } catch (error) {
    if (error instanceof RangeError)
      throw new InputError(`Weighting is not possible: ${error.message}`);
    throw error;
  }
}
