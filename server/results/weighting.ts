// Optional weighting of respondents to the community: raking (iterative proportional fitting,
// server/analysis/rake.ts) to the census margins of the service area by age band, language
// spoken at home and area (ZIP code), with bounded weights (bounded raking, rake.ts), the effective
// sample size and design effect, and each margin's final deviation; a margin missed by more than
// 1 percentage point is listed in `missedMargins` so that pages say so.
//
// Respondents are read as census categories by profile-mappings.ts. A respondent unknown on a
// dimension ("prefer not to say", blank, outside the census bands or the service area) is left
// out of that margin: raking applies it to the respondents who are known on it and keeps their
// total weight, so the unknown keep their share (see rake.ts). A census category no respondent is
// in cannot be met, so it is merged: an age band with its older neighbour (else its younger one),
// a language group or area into one pooled category with the other empty ones (and, if no
// respondent is in the pool, with the smallest category that has respondents). Each merge is
// reported.
import { formatAgeInterval } from "../analysis/format-age-interval.ts";
import { rake } from "../analysis/rake.ts";
import type { Translate } from "../i18n/messages.ts";
import {
  ageInterval,
  type CommunityMargins,
  profileMappings,
  type RakingDimension,
} from "./profile-mappings.ts";
import type { SurveyCodebook } from "./types.ts";

export interface WeightingOptions {
  /** The survey question behind each dimension, over the survey's profile (see profileQuestions). */
  questions?: Partial<Record<RakingDimension, string>>;
  /** Dimensions to rake on (default: every one with a question and a margin). */
  dimensions?: readonly RakingDimension[];
  /** Weight bounds as multiples of the mean weight (default [0.2, 5]); null for no trimming. */
  trim?: readonly [number, number] | null;
  /** Convergence tolerance on the margins' shares (default 1e-6) and pass limit (default 100). */
  tolerance?: number;
  maxIterations?: number;
}

export const DEFAULT_TRIM: readonly [number, number] = [0.2, 5];
/** A margin missed by more than 1 percentage point is reported as missed. */
export const MISSED_MARGIN = 0.01;

export interface RakingCategory {
  category: string;
  /** Share of the community (the target). */
  target: number;
  /** Respondents in the category. */
  respondents: number;
  /** Share of the known respondents before weighting, and after. */
  sampleShare: number;
  weightedShare: number;
}

export interface RakingDimensionReport {
  dimension: RakingDimension;
  question: string;
  categories: RakingCategory[];
  /** Respondents unknown on this dimension (prefer not to say, blank, outside the margin). */
  unknown: number;
  /** Census categories merged because no respondent was in them. */
  merged: { categories: string[]; into: string }[];
  /** Largest |weighted share − target| over the categories after raking. */
  maxDeviation: number;
  /** What the targets cover, in sentences (e.g. the age span the survey asks). */
  notes: string[];
}

export interface WeightingResult {
  /** Weight per response id, mean 1. */
  weights: Map<string, number>;
  respondents: number;
  effectiveSampleSize: number;
  designEffect: number;
  converged: boolean;
  iterations: number;
  maxDeviation: number;
  /**
   * Margins missed by more than MISSED_MARGIN after raking (bounds that cannot be met), with
   * the largest deviation of a category share in each: weighted results must say so.
   */
  missedMargins: { dimension: RakingDimension; deviation: number }[];
  trim: readonly [number, number] | null;
  dimensions: RakingDimensionReport[];
  /** Dimensions left out, and why. */
  skipped: { dimension: RakingDimension; reason: string }[];
  minWeight: number;
  maxWeight: number;
}

interface RespondentAnswers {
  id: string;
  data: Record<string, unknown>;
}

/**
 * Merges census categories that no respondent is in (or that have respondents but no
 * population). Age bands merge with a neighbour; other categories pool together.
 */
function mergeEmpty(
  dimension: RakingDimension,
  targets: Map<string, number>,
  respondents: Map<string, number>,
): {
  targets: Map<string, number>;
  rename: Map<string, string>;
  merged: { categories: string[]; into: string }[];
} {
  const rename = new Map<string, string>();
  const merged: { categories: string[]; into: string }[] = [];
  let current = new Map(
    [...targets].filter(([category, target]) => target > 0 || (respondents.get(category) ?? 0) > 0),
  );
  const counts = new Map(respondents);
  const isEmpty = (category: string) =>
    (counts.get(category) ?? 0) === 0 || (current.get(category) ?? 0) === 0;
  const mergeInto = (from: string[], into: string) => {
    const next = new Map<string, number>();
    for (const [category, target] of current) {
      const key = from.includes(category) ? into : category;
      next.set(key, (next.get(key) ?? 0) + target);
    }
    current = next;
    let moved = 0;
    for (const category of from) moved += counts.get(category) ?? 0;
    for (const category of from) counts.delete(category);
    counts.set(into, (counts.get(into) ?? 0) + moved);
    for (const [original, target] of rename) if (from.includes(target)) rename.set(original, into);
    for (const category of from) if (category !== into) rename.set(category, into);
    merged.push({ categories: from, into });
  };
  if (dimension === "age") {
    for (let guard = 0; guard < 100; guard++) {
      const bands = [...current.keys()].sort((a, b) => ageInterval(a).lo - ageInterval(b).lo);
      const index = bands.findIndex(isEmpty);
      if (index === -1 || bands.length < 2) break;
      const neighbour = (index + 1 < bands.length ? bands[index + 1] : bands[index - 1]) as string;
      const [first, second] = [bands[index] as string, neighbour].sort(
        (a, b) => ageInterval(a).lo - ageInterval(b).lo,
      ) as [string, string];
      mergeInto(
        [first, second],
        formatAgeInterval({ lo: ageInterval(first).lo, hi: ageInterval(second).hi }),
      );
    }
  } else {
    const empty = [...current.keys()].filter(isEmpty);
    if (empty.length > 0) {
      const pool = empty.length === 1 ? (empty[0] as string) : `Pooled: ${empty.join("; ")}`;
      if (empty.length > 1) mergeInto(empty, pool);
      if (isEmpty(pool)) {
        const smallest = [...current.keys()]
          .filter((c) => c !== pool && !isEmpty(c))
          .sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0))[0];
        if (smallest) mergeInto([pool, smallest], `${smallest} (with ${empty.join("; ")})`);
      }
    }
  }
  return { targets: current, rename, merged };
}

/**
 * Raking weights for a set of respondents, to the community margins given.
 *
 * @param codebook the survey described (any language)
 * @param respondents id and answers of every respondent to weight
 * @param margins community counts per category for each dimension, over the service area
 * @param read each respondent's census category per dimension (null = unknown), in respondent
 *   order, when the caller has already read them through profileMappings with the same
 *   options (the fieldwork guide's trend rakes nested samples); the others are read here
 * @returns weights by response id (mean 1), convergence, n_eff, design effect and per-dimension
 *   targets against the sample before and after weighting
 * @throws {RangeError} when no dimension can be used (no question, no margin, no overlap)
 * @example
 * const result = rakingWeights(codebook, respondents, { age: [{ category: "Under 5 years", count: 310 }, …] });
 * result.weights.get(id); result.effectiveSampleSize;
 */
export function rakingWeights(
  codebook: SurveyCodebook,
  respondents: readonly RespondentAnswers[],
  margins: CommunityMargins,
  options: WeightingOptions = {},
  read: Partial<Record<RakingDimension, readonly (string | null)[]>> = {},
): WeightingResult {
  if (respondents.length === 0) throw new RangeError("weighting needs at least one respondent");
  const { used, skipped } = profileMappings(codebook, margins, options);
  if (used.length === 0) {
    throw new RangeError(
      `no raking variable can be used: ${skipped.map((s) => `${s.dimension}: ${s.reason}`).join("; ")}`,
    );
  }

  const reports: RakingDimensionReport[] = [];
  const rakeMargins: Record<string, Record<string, number>> = {};
  const categoriesByDimension = new Map<RakingDimension, (string | null)[]>();
  for (const entry of used) {
    const raw =
      read[entry.dimension]?.slice(0, respondents.length) ??
      respondents.map((r) => {
        const category = entry.map(r.data);
        return category !== null && entry.margin.has(category) ? category : null;
      });
    const counts = new Map<string, number>();
    for (const category of raw) if (category) counts.set(category, (counts.get(category) ?? 0) + 1);
    const { targets, rename, merged } = mergeEmpty(entry.dimension, entry.margin, counts);
    const categories = raw.map((c) => (c === null ? null : (rename.get(c) ?? c)));
    if (targets.size < 2 || categories.every((c) => c === null)) {
      skipped.push({
        dimension: entry.dimension,
        reason: "fewer than two categories have both respondents and population",
      });
      continue;
    }
    categoriesByDimension.set(entry.dimension, categories);
    rakeMargins[entry.dimension] = Object.fromEntries(targets);
    reports.push({
      dimension: entry.dimension,
      question: entry.question,
      categories: [],
      unknown: categories.filter((c) => c === null).length,
      merged,
      maxDeviation: 0,
      notes: entry.notes,
    });
  }
  if (reports.length === 0) {
    throw new RangeError(
      `no raking variable can be used: ${skipped.map((s) => `${s.dimension}: ${s.reason}`).join("; ")}`,
    );
  }

  const rakingRespondents = respondents.map((_, index) =>
    Object.fromEntries(
      reports.map((report) => [
        report.dimension,
        categoriesByDimension.get(report.dimension)?.[index] ?? null,
      ]),
    ),
  );
  const trim = options.trim === undefined ? DEFAULT_TRIM : options.trim;
  const result = rake(rakingRespondents, rakeMargins, {
    trim,
    tolerance: options.tolerance,
    maxIterations: options.maxIterations,
  });

  for (const report of reports) {
    report.maxDeviation = result.marginDeviations[report.dimension] ?? 0;
    const margin = rakeMargins[report.dimension] ?? {};
    const total = Object.values(margin).reduce((sum, v) => sum + v, 0);
    const categories = categoriesByDimension.get(report.dimension) ?? [];
    const known = categories.filter((c) => c !== null).length;
    let knownWeight = 0;
    categories.forEach((c, i) => {
      if (c !== null) knownWeight += result.weights[i] ?? 0;
    });
    // One pass for every category (each category's weights still added in respondent order).
    const byCategory = new Map<string, { respondents: number; weight: number }>();
    categories.forEach((c, i) => {
      if (c === null) return;
      const entry = byCategory.get(c) ?? { respondents: 0, weight: 0 };
      entry.respondents++;
      entry.weight += result.weights[i] ?? 0;
      byCategory.set(c, entry);
    });
    report.categories = Object.entries(margin).map(([category, count]) => {
      const inCategory = byCategory.get(category)?.respondents ?? 0;
      const weight = byCategory.get(category)?.weight ?? 0;
      return {
        category,
        target: count / total,
        respondents: inCategory,
        sampleShare: known > 0 ? inCategory / known : 0,
        weightedShare: knownWeight > 0 ? weight / knownWeight : 0,
      };
    });
  }

  const weights = new Map(respondents.map((r, i) => [r.id, result.weights[i] ?? 1]));
  return {
    weights,
    respondents: respondents.length,
    effectiveSampleSize: result.effectiveSampleSize,
    designEffect: result.designEffect,
    converged: result.converged,
    iterations: result.iterations,
    maxDeviation: result.maxDeviation,
    missedMargins: reports
      .filter((report) => report.maxDeviation > MISSED_MARGIN)
      .map((report) => ({ dimension: report.dimension, deviation: report.maxDeviation })),
    trim,
    dimensions: reports,
    skipped,
    minWeight: result.weights.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY),
    maxWeight: result.weights.reduce((a, b) => Math.max(a, b), 0),
  };
}

/**
 * One margin's final deviation in words, from the message catalogues: "missed by up to 4.2
 * percentage points …" above MISSED_MARGIN, else "within 0.3 percentage points".
 */
export function marginSentence(
  t: Translate,
  dimension: RakingDimension,
  deviation: number,
): string {
  const points = deviation * 100 < 0.05 ? "<0.1" : (deviation * 100).toFixed(1);
  const name = t(`weighting.dimension.${dimension}`);
  return t(deviation > MISSED_MARGIN ? "weighting.missedMargin" : "weighting.marginDeviation", {
    dimension: name,
    points,
  });
}
