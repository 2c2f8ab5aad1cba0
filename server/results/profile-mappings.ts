// How the survey's profile questions meet the census dimensions (age, language, area): which
// question is which dimension, and how its answers are read as census categories. Raking
// (weighting.ts) and the fieldwork guide (fieldwork.ts) both read respondents through this.
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
// "Prefer not to say", a blank answer, an age outside the census bands or a ZIP code outside the
// service area leave the respondent unknown on that dimension.
import { parseAgeInterval } from "../analysis/age-interval.ts";
import { commonAgePartition } from "../analysis/common-age-partition.ts";
import { formatAgeInterval } from "../analysis/format-age-interval.ts";
import { languageGroup } from "../analysis/language-group.ts";
import { normalisePatronGeography } from "../imports/geography.ts";
import type { QuestionSpec, SurveyCodebook } from "./types.ts";

export const RAKING_DIMENSIONS = ["age", "language", "area"] as const;
export type RakingDimension = (typeof RAKING_DIMENSIONS)[number];

/** Community counts per category for one dimension, over the whole service area. */
export type MarginCounts = ReadonlyArray<{ category: string; count: number }>;
export type CommunityMargins = Partial<Record<RakingDimension, MarginCounts>>;

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

type Mapper = (data: Record<string, unknown>) => string | null;

const ENGLISH_ONLY = "English only";
const OTHER_LANGUAGES = "Other and unspecified";

/** [lo, hi) of a canonical age label, for ordering and merging bands. */
export function ageInterval(label: string): { lo: number; hi: number | null } {
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
  options: {
    questions?: Partial<Record<RakingDimension, string>>;
    dimensions?: readonly RakingDimension[];
  } = {},
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
