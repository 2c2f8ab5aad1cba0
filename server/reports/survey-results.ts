// Survey results for staff pages and the CLI: every table of a scope (overall, per group,
// weighted) and cross-tabs, from the responses in scope (survey-scope.ts), the weights
// (survey-weights.ts) and the open-answer tags (open-answer-tags.ts), handed to the pure results
// module (server/results). A staff page and `npm run export` call these same functions, so a
// number can never differ between them.

import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import type { StoredResponse } from "../queries/responses.ts";
import { NonUserRanking, type RankedChoices } from "../results/barriers.ts";
import { CrossTabAccumulator, type CrossTabResult, type Variable } from "../results/cross-tab.ts";
import { type GroupDimension, matchesFilter, type ResponseFilter } from "../results/groups.ts";
import type { SurveyResults } from "../results/table-types.ts";
import { SurveyTabulator } from "../results/tabulate.ts";
import type { SurveyCodebook } from "../results/types.ts";
import type { WeightingResult } from "../results/weighting.ts";
import { tagLookup } from "./open-answer-tags.ts";
import { accumulate, heldResponses, keptResult, matchesQuery } from "./response-store.ts";
import {
  badRequest,
  forEachScoped,
  loadScopedSurvey,
  queryFilter,
  type ResultsScope,
  surveyStamp,
} from "./survey-scope.ts";
import { computeWeights, type WeightingRequest } from "./survey-weights.ts";

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
      // Counts, integer sums and sorted numbers (estimates.ts): the same in any order.
      { anyOrder: true },
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
