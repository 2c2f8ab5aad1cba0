// Which responses a results request reads: the survey and its codebook in a language, the
// responses that pass a filter (from the kept responses when the server keeps them, else
// streamed), the survey versions and places they come from, and the stamp kept tables go by.
import type { Db } from "../db.ts";
import { InputError, NotFound } from "../errors.ts";
import {
  matchingVersionIds,
  type ResponseQueryFilter,
  responseLocations,
  streamResponses,
} from "../queries/response-export.ts";
import type { StoredResponse } from "../queries/responses.ts";
import { findSurvey, findVersion, type SurveyRow } from "../queries/surveys.ts";
import { describeSurvey } from "../results/describe-survey.ts";
import { matchesFilter, type ResponseFilter } from "../results/groups.ts";
import { mergeCodebooks } from "../results/merge-codebooks.ts";
import type { SurveyCodebook } from "../results/types.ts";
import {
  dataStamp,
  heldResponses,
  inputsStamp,
  type KeptUse,
  keptResult,
  matchesQuery,
} from "./response-store.ts";

/** Which survey, in which language, and which of its responses. */
export interface ResultsScope {
  slug: string;
  /** Language of the labels (default English). */
  language?: string;
  filter?: ResponseFilter;
}

export interface LoadedSurvey {
  survey: SurveyRow;
  codebook: SurveyCodebook;
}

/** The survey and its codebook in a language; 404 for an unknown survey, 400 for a language it lacks. */
export async function loadResultsSurvey(
  db: Db,
  slug: string,
  language = "en",
): Promise<LoadedSurvey> {
  const survey = await findSurvey(db, slug);
  if (!survey) throw new NotFound(`There is no survey "${slug}"`);
  if (!survey.languages.includes(language)) {
    throw new InputError(
      `The survey "${slug}" is not written in "${language}" (its languages: ${survey.languages.join(", ")})`,
    );
  }
  // Describing a survey builds a SurveyJS model (a quarter of a second for community-needs on a
  // busy machine): kept until survey versions or translations change.
  const codebook = await keptResult(
    db,
    JSON.stringify(["codebook", survey.versionId, language]),
    await inputsStamp(db),
    async () => describeSurvey(survey.definition, language),
  );
  return { survey, codebook };
}

/** The database part of a filter (everything but library-use status, which is in the answers). */
export function queryFilter(slug: string, filter: ResponseFilter = {}): ResponseQueryFilter {
  return {
    surveySlug: slug,
    versionIds: filter.versionIds,
    languages: filter.languages,
    channels: filter.channels,
    locations: filter.locations,
    from: filter.from,
    to: filter.to,
  };
}

/**
 * The survey's responses that pass the filter, in submission order: from the responses the
 * server keeps (server/reports/response-store.ts) when it keeps them, else streamed.
 */
export async function* scopedResponses(
  db: Db,
  slug: string,
  codebook: SurveyCodebook,
  filter: ResponseFilter = {},
  use: KeptUse = {},
): AsyncGenerator<StoredResponse> {
  const held = await heldScope(db, slug, codebook, filter, use);
  if (held) {
    yield* held;
    return;
  }
  for await (const response of streamResponses(db, queryFilter(slug, filter))) {
    if (!filter.useStatus?.length || matchesFilter(response, filter, codebook.useStatus)) {
      yield response;
    }
  }
}

/** The kept responses that pass the filter, or undefined when the server keeps none. */
async function heldScope(
  db: Db,
  slug: string,
  codebook: SurveyCodebook,
  filter: ResponseFilter,
  use: KeptUse = {},
): Promise<StoredResponse[] | undefined> {
  const held = await heldResponses(db, slug, use);
  if (!held) return undefined;
  const query = queryFilter(slug, filter);
  return held.records.filter(
    (response) =>
      matchesQuery(response, query) &&
      (!filter.useStatus?.length || matchesFilter(response, filter, codebook.useStatus)),
  );
}

/** Calls `each` for every response in scope, without a promise per response when they are kept. */
export async function forEachScoped(
  db: Db,
  slug: string,
  codebook: SurveyCodebook,
  filter: ResponseFilter | undefined,
  each: (response: StoredResponse) => void,
): Promise<void> {
  const held = await heldScope(db, slug, codebook, filter ?? {});
  if (held) {
    for (const response of held) each(response);
    return;
  }
  for await (const response of scopedResponses(db, slug, codebook, filter)) each(response);
}

/** The stamp computed tables of a survey are kept under (undefined: nothing is kept). */
export async function surveyStamp(db: Db, slug: string): Promise<string | undefined> {
  return (await heldResponses(db, slug))?.stamp ?? (await dataStamp(db, slug));
}

/** The survey versions the filtered responses were answered on. */
export async function scopeVersions(
  db: Db,
  scope: ResultsScope,
  use: KeptUse = {},
): Promise<number[]> {
  const held = await heldResponses(db, scope.slug, use);
  if (!held) return matchingVersionIds(db, queryFilter(scope.slug, scope.filter));
  const query = queryFilter(scope.slug, scope.filter);
  const versions = new Set<number>();
  for (const response of held.records) {
    if (matchesQuery(response, query)) versions.add(response.versionId);
  }
  return [...versions].sort((a, b) => a - b);
}

/**
 * The places a survey's responses were recorded at, most responses first (for filter menus):
 * counted from the kept responses when the pages keep them, else in SQL. Ties are ordered here,
 * by code units, so both ways (and both databases, whatever their collation) give one order.
 */
export async function respondedLocations(db: Db, slug: string): Promise<string[]> {
  const key = JSON.stringify(["locations", slug]);
  const ordered = (rows: Iterable<{ location: string; count: number }>) =>
    [...rows]
      .sort(
        (a, b) =>
          b.count - a.count || (a.location < b.location ? -1 : a.location > b.location ? 1 : 0),
      )
      .map((row) => row.location);
  const held = await heldResponses(db, slug);
  if (!held) {
    return keptResult(db, key, await dataStamp(db, slug), async () =>
      ordered(await responseLocations(db, slug)),
    );
  }
  return keptResult(db, key, held.stamp, async () => {
    const counts = new Map<string, number>();
    for (const { location } of held.records) {
      if (location !== null) counts.set(location, (counts.get(location) ?? 0) + 1);
    }
    return ordered([...counts].map(([location, count]) => ({ location, count })));
  });
}

/**
 * The survey with a codebook for the scope's responses: the current version in the scope's
 * language, merged with the older versions those responses were answered on (their questions
 * and choices keep their labels instead of showing as unknown codes), and the versions.
 */
export async function loadScopedSurvey(
  db: Db,
  scope: ResultsScope,
  use: KeptUse = {},
): Promise<LoadedSurvey & { versions: number[] }> {
  const { survey, codebook } = await loadResultsSurvey(db, scope.slug, scope.language);
  const versions = await scopeVersions(db, scope, use);
  const older: SurveyCodebook[] = [];
  for (const id of versions.filter((v) => v !== survey.versionId).reverse()) {
    const version = await findVersion(db, id);
    if (!version) continue;
    const language = version.languages.includes(codebook.language) ? codebook.language : "en";
    older.push(describeSurvey(version.definition, language));
  }
  return { survey, codebook: mergeCodebooks(codebook, older), versions };
}

/** Translates the pure module's RangeErrors (unknown question, wrong kind…) into InputErrors. */
export function badRequest<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RangeError) throw new InputError(error.message);
    throw error;
  }
}
