// Optional weighting of respondents to the community: raking (iterative proportional fitting,
// server/analysis/rake.ts) to the census margins of the service area by age band, language
// spoken at home and area (ZIP code), with bounded weights (bounded raking, rake.ts), the effective
// sample size and design effect, and each margin's final deviation; a margin missed by more than
// 1 percentage point is listed in `missedMargins` so that pages say so.
//
// Which question is which dimension: `openDoor.profile` in the survey file ({ "age": "age_band",
// "language": "home_languages", "area": "zip" } are the defaults; see profileQuestions).
// How survey answers meet census categories:
// - age: the survey's bands (codes such as under_18, 18_24, 75_plus) and the census age
//   categories ("Under 5 years" … "85 years and over") are re-banded to their finest common
//   partition (server/analysis/common-age-partition.ts); ages only one side covers are left out
//   (census people younger than the survey asks about are not a target; a survey band the
//   census does not cover leaves its respondents unknown on age);
// - language: each language chosen is read as an ACS language group (server/analysis/language-group.ts);
//   a respondent who chose any language other than English counts in the first such group in the
//   question's order (the ACS counts a person who speaks Spanish and English at home as Spanish);
//   one who chose only English counts as "English only"; an "other" text is read the same way,
//   and an unrecognised one counts as "Other and unspecified";
// - area: the ZIP code answer is matched to the census ZCTAs of the margins.
//
// "Prefer not to say", a blank answer, an age outside the census bands or a ZIP code outside the
// service area leave the respondent unknown on that variable: raking then applies that margin to
// the respondents who are known on it and keeps their total weight, so the unknown keep their
// share (see rake.ts). A census category no respondent is in cannot be met, so it is merged: an
// age band with its older neighbour (else its younger one), a language group or area into one
// pooled category with the other empty ones (and, if no respondent is in the pool, with the
// smallest category that has respondents). Each merge is reported.
import { parseAgeInterval } from "../analysis/age-interval.ts";
import { commonAgePartition } from "../analysis/common-age-partition.ts";
import { formatAgeInterval } from "../analysis/format-age-interval.ts";
import { languageGroup } from "../analysis/language-group.ts";
import { rake } from "../analysis/rake.ts";
import type { Translate } from "../i18n/messages.ts";
import { normalisePatronGeography } from "../imports/geography.ts";
import type { QuestionSpec, SurveyCodebook } from "./types.ts";

export const RAKING_DIMENSIONS = ["age", "language", "area"] as const;
export type RakingDimension = (typeof RAKING_DIMENSIONS)[number];

/** Community counts per category for one dimension, over the whole service area. */
export type MarginCounts = ReadonlyArray<{ category: string; count: number }>;
export type CommunityMargins = Partial<Record<RakingDimension, MarginCounts>>;

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

export const DEFAULT_RAKING_QUESTIONS: Record<RakingDimension, string> = {
  age: "age_band",
  language: "home_languages",
  area: "zip",
};
/**
 * The survey question behind each census dimension: the defaults, then the survey's own
 * `openDoor.profile`, then the caller's override. Raking and the fieldwork guide both read this,
 * so a survey maps its profile questions to the census in one place.
 */
export function profileQuestions(
  codebook: SurveyCodebook,
  override: Partial<Record<RakingDimension, string>> = {},
): Record<RakingDimension, string> {
  return { ...DEFAULT_RAKING_QUESTIONS, ...codebook.profile, ...override };
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

type Mapper = (data: Record<string, unknown>) => string | null;

const ENGLISH_ONLY = "English only";
const OTHER_LANGUAGES = "Other and unspecified";

/** [lo, hi) of a canonical age label, for ordering and merging bands. */
function ageInterval(label: string): { lo: number; hi: number | null } {
  return parseAgeInterval(label) ?? { lo: 0, hi: null };
}

function choiceCodes(question: QuestionSpec): { code: string; label: string }[] {
  return question.kind === "single" || question.kind === "multiple" ? question.choices : [];
}

/**
 * Age: survey bands and census bands re-banded to their finest common partition, over the ages
 * the survey asks only. A survey band that starts at 0 ("Under 18") does not say how young its
 * respondents are (nobody aged 3 answers a survey), so it is not raked: its respondents count
 * as unknown on age and census people in it are not a target, rather than raking teenagers to
 * a target that counts babies.
 */
function ageMapping(
  question: QuestionSpec,
  margin: MarginCounts,
): { map: Mapper; margin: Map<string, number>; notes: string[] } | string {
  const choices = choiceCodes(question);
  const openLower = choices.filter((c) => parseAgeInterval(c.code)?.lo === 0);
  const codes = choices.filter((c) => !openLower.includes(c)).map((c) => c.code);
  // Census bands below the survey's youngest age are dropped; a band it falls inside is split
  // there, its count shared in proportion to the years on each side (ages assumed evenly
  // spread within the band), so the targets cover exactly the ages the survey asks.
  const surveyYoungest = Math.min(
    ...codes.map((code) => parseAgeInterval(code)?.lo ?? Number.POSITIVE_INFINITY),
  );
  const splits: string[] = [];
  const census: { category: string; count: number }[] = [];
  for (const m of margin) {
    const interval = parseAgeInterval(m.category);
    if (!interval || !Number.isFinite(surveyYoungest) || interval.lo >= surveyYoungest) {
      census.push(m);
    } else if (interval.hi !== null && interval.hi > surveyYoungest) {
      const category = formatAgeInterval({ lo: surveyYoungest, hi: interval.hi });
      census.push({
        category,
        count: (m.count * (interval.hi - surveyYoungest)) / (interval.hi - interval.lo),
      });
      splits.push(`"${m.category}" → "${category}"`);
    }
  }
  const partition = commonAgePartition(
    census.map((m) => m.category),
    codes,
    { leftName: "census", rightName: "survey" },
  );
  const sharedCells = partition.cells.filter((c) => c.left.length > 0 && c.right.length > 0);
  const shared = new Set(sharedCells.map((c) => c.label));
  if (shared.size < 2) {
    return `the survey's answers to "${question.name}" and the census age bands share fewer than two age bands`;
  }
  const targets = new Map<string, number>();
  for (const m of census) {
    const cell = partition.leftCell.get(m.category);
    if (cell && shared.has(cell)) targets.set(cell, (targets.get(cell) ?? 0) + m.count);
  }
  const youngest = Math.min(...sharedCells.map((c) => c.interval.lo));
  const oldest = sharedCells.some((c) => c.interval.hi === null)
    ? null
    : Math.max(...sharedCells.map((c) => c.interval.hi ?? 0));
  const span = formatAgeInterval({ lo: youngest, hi: oldest });
  const notes = [
    `Census age targets are restricted to the ages the survey asks (${span}); census people outside them are not a target.`,
    ...(splits.length > 0
      ? [
          `Census bands split at age ${surveyYoungest}, their count shared by years (ages assumed evenly spread within a band): ${splits.join(", ")}.`,
        ]
      : []),
    ...openLower.map(
      (c) =>
        `The survey's band "${c.label}" does not say how young its respondents are, so it is not raked: its respondents count as unknown on age, and the census people it would cover (including young children) are not a target.`,
    ),
  ];
  return {
    map: (data) => {
      const value = data[question.name];
      if (typeof value !== "string" && typeof value !== "number") return null;
      const cell = partition.rightCell.get(String(value));
      return cell && shared.has(cell) ? cell : null;
    },
    margin: targets,
    notes,
  };
}

/** Language: the respondent's ACS language group (see the module comment). */
function languageMapping(
  question: QuestionSpec,
  margin: MarginCounts,
  commentSuffix: string,
): { map: Mapper; margin: Map<string, number> } | string {
  const targets = new Map<string, number>();
  for (const m of margin) {
    const group = languageGroup(m.category);
    if (group) targets.set(group, (targets.get(group) ?? 0) + m.count);
  }
  if (targets.size === 0) return "the community language categories are not ACS language groups";
  const order = choiceCodes(question).map((c) => c.code);
  const otherCode =
    question.kind === "single" || question.kind === "multiple" ? question.other?.code : undefined;
  const groupOfAnswer = (code: string, data: Record<string, unknown>): string | null => {
    if (code === otherCode) {
      const text = data[question.name + commentSuffix];
      return (typeof text === "string" ? languageGroup(text) : null) ?? OTHER_LANGUAGES;
    }
    return languageGroup(code);
  };
  return {
    map: (data) => {
      const value = data[question.name];
      const codes = (
        Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]
      ).map(String);
      codes.sort((a, b) => {
        const rank = (code: string) =>
          order.indexOf(code) === -1 ? order.length : order.indexOf(code);
        return rank(a) - rank(b);
      });
      const groups = codes
        .map((code) => groupOfAnswer(code, data))
        .filter((g): g is string => Boolean(g));
      return (
        groups.find((g) => g !== ENGLISH_ONLY) ??
        (groups.includes(ENGLISH_ONLY) ? ENGLISH_ONLY : null)
      );
    },
    margin: targets,
  };
}

/** Area: the ZIP code answer as a ZCTA geoid. */
function areaMapping(
  question: QuestionSpec,
  margin: MarginCounts,
): { map: Mapper; margin: Map<string, number> } {
  const targets = new Map<string, number>();
  for (const m of margin) targets.set(m.category, (targets.get(m.category) ?? 0) + m.count);
  return {
    map: (data) => {
      const value = data[question.name];
      if (typeof value !== "string" && typeof value !== "number") return null;
      const geoid = normalisePatronGeography(String(value), "zip");
      return geoid ? geoid : null;
    },
    margin: targets,
  };
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

/** One profile question read as census categories: answers → category, and the census counts. */
export interface ProfileMapping {
  dimension: RakingDimension;
  question: string;
  /** The census category of a respondent's answers, or null when not known. */
  map: Mapper;
  /** Census count per category, over the ages/areas the survey asks. */
  margin: Map<string, number>;
  notes: string[];
}

/**
 * How each profile question meets its census dimension (the rules in this module's comment):
 * the mapping raking uses, and the one the fieldwork guide compares respondents with.
 *
 * @returns the dimensions that can be compared, and those that cannot with the reason
 */
export function profileMappings(
  codebook: SurveyCodebook,
  margins: CommunityMargins,
  options: Pick<WeightingOptions, "questions" | "dimensions"> = {},
): { used: ProfileMapping[]; skipped: { dimension: RakingDimension; reason: string }[] } {
  const questions = profileQuestions(codebook, options.questions);
  const wanted = options.dimensions ?? RAKING_DIMENSIONS;
  const skipped: { dimension: RakingDimension; reason: string }[] = [];
  const used: ProfileMapping[] = [];
  for (const dimension of wanted) {
    const question = codebook.questions.find((q) => q.name === questions[dimension]);
    const margin = margins[dimension];
    if (!question) {
      skipped.push({ dimension, reason: `the survey has no question "${questions[dimension]}"` });
      continue;
    }
    if (!margin || margin.length === 0) {
      skipped.push({
        dimension,
        reason: `no community ${dimension} data has been imported for the service area`,
      });
      continue;
    }
    const mapping =
      dimension === "age"
        ? ageMapping(question, margin)
        : dimension === "language"
          ? languageMapping(question, margin, codebook.commentSuffix)
          : areaMapping(question, margin);
    if (typeof mapping === "string") {
      skipped.push({ dimension, reason: mapping });
      continue;
    }
    used.push({ dimension, question: question.name, notes: [], ...mapping });
  }
  return { used, skipped };
}

/**
 * Raking weights for a set of respondents, to the community margins given.
 *
 * @param codebook the survey described (any language)
 * @param respondents id and answers of every respondent to weight
 * @param margins community counts per category for each dimension, over the service area
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
    const raw = respondents.map((r) => {
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
    report.categories = Object.entries(margin).map(([category, count]) => {
      let inCategory = 0;
      let weight = 0;
      categories.forEach((c, i) => {
        if (c !== category) return;
        inCategory++;
        weight += result.weights[i] ?? 0;
      });
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
