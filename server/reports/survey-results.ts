// Survey results for staff pages and the CLI: reads responses (streamed, filtered), community
// margins and open-answer tags through the query modules, and hands them to the pure results
// module (server/results). A staff page and `npm run export` call these same functions, so a
// number can never differ between them.
import type { Db } from "../db.ts";
import { InputError, NotFound } from "../errors.ts";
import { communityDimensions, populationBy } from "../queries/community.ts";
import { addTag, listSurveyTags, removeTag } from "../queries/open-answer-tags.ts";
import {
  matchingVersionIds,
  type ResponseQueryFilter,
  responseLocations,
  streamResponses,
} from "../queries/response-export.ts";
import { findResponse, type StoredResponse } from "../queries/responses.ts";
import { findSurvey, findVersion, type SurveyRow } from "../queries/surveys.ts";
import { NonUserRanking, type RankedChoices } from "../results/barriers.ts";
import { CrossTabAccumulator, type CrossTabResult, type Variable } from "../results/cross-tab.ts";
import { describeSurvey } from "../results/describe-survey.ts";
import { type GroupDimension, matchesFilter, type ResponseFilter } from "../results/groups.ts";
import { mergeCodebooks } from "../results/merge-codebooks.ts";
import {
  normalizeTag,
  OpenAnswerCollector,
  type OpenAnswerPage,
  type OpenAnswerQuery,
  openAnswerSources,
} from "../results/open-answers.ts";
import {
  type CommunityMargins,
  type MarginCounts,
  profileQuestions,
  RAKING_DIMENSIONS,
  type RakingDimension,
} from "../results/profile-mappings.ts";
import { type SurveyResults, SurveyTabulator, type TagLookup } from "../results/tabulate.ts";
import type { SurveyCodebook } from "../results/types.ts";
import {
  rakingWeights,
  type WeightingOptions,
  type WeightingResult,
} from "../results/weighting.ts";
import {
  accumulate,
  dataStamp,
  heldResponses,
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

/** Weighting settings: raking options plus the census geography kinds the margins come from. */
export interface WeightingRequest extends WeightingOptions {
  /** Census geography kinds to sum age and language over (default: see communityMargins). */
  kinds?: readonly string[];
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
  return { survey, codebook: describeSurvey(survey.definition, language) };
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
): AsyncGenerator<StoredResponse> {
  const held = await heldScope(db, slug, codebook, filter);
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
): Promise<StoredResponse[] | undefined> {
  const held = await heldResponses(db, slug);
  if (!held) return undefined;
  const query = queryFilter(slug, filter);
  return held.records.filter(
    (response) =>
      matchesQuery(response, query) &&
      (!filter.useStatus?.length || matchesFilter(response, filter, codebook.useStatus)),
  );
}

/** Calls `each` for every response in scope, without a promise per response when they are kept. */
async function forEachScoped(
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
export async function scopeVersions(db: Db, scope: ResultsScope): Promise<number[]> {
  const held = await heldResponses(db, scope.slug);
  if (!held) return matchingVersionIds(db, queryFilter(scope.slug, scope.filter));
  const query = queryFilter(scope.slug, scope.filter);
  const versions = new Set<number>();
  for (const response of held.records) {
    if (matchesQuery(response, query)) versions.add(response.versionId);
  }
  return [...versions].sort((a, b) => a - b);
}

/** The places a survey's responses were recorded at, most responses first (for filter menus). */
export async function respondedLocations(db: Db, slug: string): Promise<string[]> {
  return keptResult(db, JSON.stringify(["locations", slug]), await dataStamp(db, slug), () =>
    responseLocations(db, slug),
  );
}

/**
 * The survey with a codebook for the scope's responses: the current version in the scope's
 * language, merged with the older versions those responses were answered on (their questions
 * and choices keep their labels instead of showing as unknown codes), and the versions.
 */
export async function loadScopedSurvey(
  db: Db,
  scope: ResultsScope,
): Promise<LoadedSurvey & { versions: number[] }> {
  const { survey, codebook } = await loadResultsSurvey(db, scope.slug, scope.language);
  const versions = await scopeVersions(db, scope);
  const older: SurveyCodebook[] = [];
  for (const id of versions.filter((v) => v !== survey.versionId).reverse()) {
    const version = await findVersion(db, id);
    if (!version) continue;
    const language = version.languages.includes(codebook.language) ? codebook.language : "en";
    older.push(describeSurvey(version.definition, language));
  }
  return { survey, codebook: mergeCodebooks(codebook, older), versions };
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

/** Tags of a survey's open answers, as a lookup for tables and listings. */
export async function tagLookup(db: Db, slug: string): Promise<TagLookup> {
  const byAnswer = new Map<string, string[]>();
  for (const tag of await listSurveyTags(db, slug)) {
    const key = `${tag.responseId}\u0000${tag.question}`;
    const list = byAnswer.get(key) ?? [];
    list.push(tag.tag);
    byAnswer.set(key, list);
  }
  return (responseId, answerKey) => byAnswer.get(`${responseId}\u0000${answerKey}`) ?? [];
}

export interface SurveyResultsReport {
  slug: string;
  title: string;
  language: string;
  languages: string[];
  /** Versions of the survey the counted responses were answered on. */
  versions: number[];
  filter: ResponseFilter;
  codebook: SurveyCodebook;
  results: SurveyResults;
  /** The weights' summary when weighting was asked for and possible. */
  weighting: Omit<WeightingResult, "weights"> | null;
  /** Why weighting was asked for but not applied (the tables are then unweighted). */
  weightingError: string | null;
  /** The barriers question ranked among non-users, when the survey has one and a use rule. */
  barriers: RankedChoices | null;
}

/** Translates the pure module's RangeErrors (unknown question, wrong kind…) into InputErrors. */
function badRequest<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RangeError) throw new InputError(error.message);
    throw error;
  }
}

/**
 * Every table of a survey for a scope: overall and per group, optionally weighted, with the
 * barriers ranked among non-users and tag counts on open answers.
 *
 * @example
 * const report = await surveyResults(db, { slug: "community-needs", language: "es",
 *   filter: { channels: ["kiosk"] } }, { groupBy: "useStatus", weighting: {} });
 */
export async function surveyResults(
  db: Db,
  scope: ResultsScope,
  options: {
    groupBy?: GroupDimension;
    weighting?: WeightingRequest;
    barriersQuestion?: string;
  } = {},
): Promise<SurveyResultsReport> {
  const key = JSON.stringify(["results", scope, options]);
  return keptResult(db, key, await surveyStamp(db, scope.slug), () =>
    computeSurveyResults(db, scope, options),
  );
}

async function computeSurveyResults(
  db: Db,
  scope: ResultsScope,
  options: { groupBy?: GroupDimension; weighting?: WeightingRequest; barriersQuestion?: string },
): Promise<SurveyResultsReport> {
  const loaded = await loadScopedSurvey(db, scope);
  const { survey, codebook } = loaded;
  let weighting: WeightingResult | null = null;
  let weightingError: string | null = null;
  if (options.weighting) {
    try {
      weighting = await computeWeights(db, scope, options.weighting, loaded);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      weightingError = error.message;
    }
  }
  const weights = weighting?.weights;
  const tags = await tagLookup(db, scope.slug);
  const barriersQuestion = options.barriersQuestion ?? "barriers";
  const hasBarriers =
    Boolean(codebook.useStatus) &&
    codebook.questions.some((q) => q.name === barriersQuestion && q.kind === "multiple");
  const start = () => ({
    tabulator: new SurveyTabulator(codebook, { groupBy: options.groupBy, weights, tags }),
    ranking: hasBarriers
      ? badRequest(() => new NonUserRanking(codebook, { question: barriersQuestion, weights }))
      : null,
  });
  const add = (state: ReturnType<typeof start>, response: StoredResponse) => {
    state.tabulator.add(response);
    state.ranking?.add(response);
  };
  // Unweighted tables only gain the new responses' counts: kept tabulators take just those.
  // Weights change with every respondent, so weighted tables are counted again.
  const held = weights ? undefined : await heldResponses(db, scope.slug);
  let state: ReturnType<typeof start>;
  if (held) {
    const query = queryFilter(scope.slug, scope.filter);
    const filter = scope.filter ?? {};
    state = accumulate(
      db,
      held,
      JSON.stringify(["tabulator", scope, options]),
      JSON.stringify([loaded.versions, codebook.language]),
      start,
      (kept, response) => {
        if (!matchesQuery(response, query)) return;
        if (filter.useStatus?.length && !matchesFilter(response, filter, codebook.useStatus))
          return;
        add(kept, response);
      },
    );
  } else {
    const fresh = start();
    await forEachScoped(db, scope.slug, codebook, scope.filter, (response) => add(fresh, response));
    state = fresh;
  }
  const { tabulator, ranking } = state;
  const summary = weighting ? (({ weights: _w, ...rest }) => rest)(weighting) : null;
  return {
    slug: survey.slug,
    title: codebook.title || survey.slug,
    language: codebook.language,
    languages: survey.languages,
    versions: loaded.versions,
    filter: scope.filter ?? {},
    codebook,
    results: tabulator.result(),
    weighting: summary,
    weightingError,
    barriers: ranking?.result() ?? null,
  };
}

/**
 * A cross-tab of two variables over a scope (see server/results/cross-tab.ts for variables).
 * With `weighting`, counts are weighted and the test corrected for the weights.
 *
 * @example
 * await surveyCrossTab(db, { slug: "community-needs" }, { question: "feel_welcome" }, { group: "useStatus" });
 */
export async function surveyCrossTab(
  db: Db,
  scope: ResultsScope,
  rows: Variable,
  columns: Variable,
  options: { weighting?: WeightingRequest } = {},
): Promise<CrossTabResult & { weighting: Omit<WeightingResult, "weights"> | null }> {
  const key = JSON.stringify(["crosstab", scope, rows, columns, options]);
  return keptResult(db, key, await surveyStamp(db, scope.slug), () =>
    computeCrossTab(db, scope, rows, columns, options),
  );
}

async function computeCrossTab(
  db: Db,
  scope: ResultsScope,
  rows: Variable,
  columns: Variable,
  options: { weighting?: WeightingRequest },
): Promise<CrossTabResult & { weighting: Omit<WeightingResult, "weights"> | null }> {
  const loaded = await loadScopedSurvey(db, scope);
  const weighting = options.weighting
    ? await computeWeights(db, scope, options.weighting, loaded)
    : null;
  const accumulator = badRequest(
    () => new CrossTabAccumulator(loaded.codebook, rows, columns, weighting?.weights),
  );
  await forEachScoped(db, scope.slug, loaded.codebook, scope.filter, (response) =>
    accumulator.add(response),
  );
  const summary = weighting ? (({ weights: _w, ...rest }) => rest)(weighting) : null;
  return { ...accumulator.result(), weighting: summary };
}

/**
 * Open answers of a scope with their tags: searchable, filterable by question or tag, paged.
 *
 * @example
 * await surveyOpenAnswers(db, { slug: "community-needs" }, { search: "bus", limit: 20 });
 */
export async function surveyOpenAnswers(
  db: Db,
  scope: ResultsScope,
  query: OpenAnswerQuery = {},
): Promise<OpenAnswerPage> {
  const { codebook } = await loadScopedSurvey(db, scope);
  const tags = await tagLookup(db, scope.slug);
  const tagged = badRequest(() => new OpenAnswerCollector(codebook, query, tags));
  await forEachScoped(db, scope.slug, codebook, scope.filter, (response) => tagged.add(response));
  return tagged.page();
}

/** Checks that an answer exists, belongs to the survey and is an open answer; returns the tag. */
async function checkTagTarget(
  db: Db,
  input: { slug: string; responseId: string; question: string; tag: string },
): Promise<string> {
  const { codebook } = await loadResultsSurvey(db, input.slug);
  const source = openAnswerSources(codebook).find((s) => s.key === input.question);
  if (!source) {
    throw new InputError(`"${input.question}" is not an open answer of the survey "${input.slug}"`);
  }
  const response = await findResponse(db, input.responseId);
  if (!response || response.surveySlug !== input.slug) {
    throw new NotFound(`The survey "${input.slug}" has no response ${input.responseId}`);
  }
  if (typeof response.data[input.question] !== "string" || response.data[input.question] === "") {
    throw new InputError(
      `Response ${input.responseId} has no answer to "${input.question}" to tag`,
    );
  }
  return badRequest(() => normalizeTag(input.tag));
}

/**
 * Tags one open answer (by its response id and answer key, e.g. "comment" or
 * "barriers-Comment"). Tagging twice is harmless: `added` says whether it was new.
 */
export async function tagOpenAnswer(
  db: Db,
  input: {
    slug: string;
    responseId: string;
    question: string;
    tag: string;
    createdBy?: number | null;
  },
): Promise<{ tag: string; added: boolean }> {
  const tag = await checkTagTarget(db, input);
  const added = await addTag(db, { ...input, tag });
  return { tag, added };
}

/** Removes a tag from an open answer; `removed` says whether it was there. */
export async function untagOpenAnswer(
  db: Db,
  input: { slug: string; responseId: string; question: string; tag: string },
): Promise<{ tag: string; removed: boolean }> {
  const tag = badRequest(() => normalizeTag(input.tag));
  const removed = await removeTag(db, {
    responseId: input.responseId,
    question: input.question,
    tag,
  });
  return { tag, removed };
}
