// The language-access ranking (/staff/languages, .csv, .json): which languages the community
// speaks at home by people who speak English less than "very well" (ACS C16001/B16001), for the
// service area and each area, beside whether each open survey is offered in them and how many
// responses came in them. Census counts are public estimates and shown as published; response
// counts are the library's own and follow the small-cell rule.
import { aggregateMarginOfError } from "../analysis/aggregate-margin-of-error.ts";
import { isReliableEstimate } from "../analysis/is-reliable-estimate.ts";
import { languageGroup } from "../analysis/language-group.ts";
import { proportionMarginOfError } from "../analysis/proportion-margin-of-error.ts";
import { safeHarborThreshold } from "../analysis/safe-harbor-threshold.ts";
import { csvStream } from "../csv-stream.ts";
import type { Db } from "../db.ts";
import { findLanguage, LANGUAGES } from "../i18n/languages.ts";
import { LIMITED_ENGLISH_DIMENSION } from "../imports/acs-tables.ts";
import { ACS_LANGUAGE_GROUPS } from "../imports/languages.ts";
import { communityDimensions, type PopulationCell, populationBy } from "../queries/community.ts";
import { countResponsesBy } from "../queries/response-summary.ts";
import { listSurveys } from "../queries/surveys.ts";
import { publicLanguages } from "../surveys/translation-status.ts";
import { type CountCell, presentCount } from "./suppression.ts";

/** Said on the page, in the CSV and in the JSON: the threshold is guidance, not a legal test. */
export const SAFE_HARBOR_NOTE =
  'The U.S. Department of Justice\'s LEP guidance (67 Fed. Reg. 41455, 2002) treats written translation of vital documents for each language group of people who speak English less than "very well" that numbers 1,000 people or 5% of the population served, whichever is less, as strong evidence of compliance ("safe harbor"). This is guidance to help decide which languages to offer, not legal advice; the threshold is applied to the census estimate (residents 5 years and over), and an estimate whose 90% interval straddles it is marked "near".';

export type SafeHarbor = "meets" | "near" | "below";

export interface RankedLanguage {
  group: string;
  /** Residents 5+ who speak a language of the group at home. */
  speakers: number;
  speakersMoe: number | null;
  /** Of them, those who speak English less than "very well". */
  limitedEnglish: number;
  limitedEnglishMoe: number | null;
  /** limitedEnglish ÷ residents 5+ (a fraction). */
  share: number | null;
  shareMoe: number | null;
  /** CV ≤ 30%; null when the margin is unknown. */
  reliable: boolean | null;
  safeHarbor: SafeHarbor;
}

export interface LanguageRanking {
  population: number;
  populationMoe: number | null;
  safeHarborThreshold: number;
  languages: RankedLanguage[];
}

type Cell = Pick<PopulationCell, "category" | "count" | "moe">;

function sumCells(cells: readonly Cell[]): { count: number; moe: number | null } {
  const count = cells.reduce((sum, cell) => sum + cell.count, 0);
  const margins = cells.map((cell) => cell.moe);
  const moe = margins.every((m): m is number => m !== null)
    ? aggregateMarginOfError(
        margins,
        cells.map((cell) => cell.count),
      )
    : null;
  return { count, moe };
}

function safeHarborOf(estimate: number, moe: number | null, threshold: number): SafeHarbor {
  const meets = estimate >= threshold;
  if (moe !== null && (meets ? estimate - moe < threshold : estimate + moe >= threshold)) {
    return "near";
  }
  return meets ? "meets" : "below";
}

/**
 * Ranks the language groups of some areas by residents who speak English less than "very
 * well": sums over the areas with margins √ΣMOE² (ACS handbook, ch. 8, zero-estimate rule),
 * the share of residents 5+ with the derived-proportion MOE, reliability (CV ≤ 30%) and the
 * safe-harbor test against min(1,000, 5%) of residents 5+. Ties rank by group order in C16001.
 */
export function rankLanguages(
  speakers: readonly Cell[],
  limitedEnglish: readonly Cell[],
): LanguageRanking {
  const population = sumCells(speakers);
  const threshold = safeHarborThreshold(population.count);
  const languages = ACS_LANGUAGE_GROUPS.filter((group) => group !== "English only").flatMap(
    (group): RankedLanguage[] => {
      const lep = limitedEnglish.filter((cell) => cell.category === group);
      if (lep.length === 0) return [];
      const own = sumCells(speakers.filter((cell) => cell.category === group));
      const { count, moe } = sumCells(lep);
      const share = population.count > 0 ? count / population.count : null;
      const shareMoe =
        share !== null && moe !== null && population.moe !== null
          ? proportionMarginOfError(count, moe, population.count, population.moe)
          : null;
      return [
        {
          group,
          speakers: own.count,
          speakersMoe: own.moe,
          limitedEnglish: count,
          limitedEnglishMoe: moe,
          share,
          shareMoe,
          reliable: isReliableEstimate(count, moe),
          safeHarbor: safeHarborOf(count, moe, threshold),
        },
      ];
    },
  );
  const order = (group: string) => (ACS_LANGUAGE_GROUPS as readonly string[]).indexOf(group);
  languages.sort((a, b) => b.limitedEnglish - a.limitedEnglish || order(a.group) - order(b.group));
  return {
    population: population.count,
    populationMoe: population.moe,
    safeHarborThreshold: threshold,
    languages,
  };
}

export interface SurveyReach {
  slug: string;
  title: string;
  /** Open Door languages of the group the survey is offered in to the public. */
  offered: string[];
  responses: CountCell;
  /** Responses per 1,000 speakers of the group (service area); null when hidden or no speakers. */
  per1000Speakers: number | null;
}

export interface ServiceAreaLanguage extends RankedLanguage {
  /** Open Door languages that belong to the group. */
  openDoorLanguages: string[];
  surveys: SurveyReach[];
}

export interface LanguageAccessReport {
  geography: string;
  kinds: string[];
  serviceArea: Omit<LanguageRanking, "languages"> & { languages: ServiceAreaLanguage[] };
  areas: ({ geoid: string; name: string | null } & LanguageRanking)[];
  surveys: { slug: string; title: string }[];
  suppressBelow: number;
  note: string;
}

/** Open Door language codes by the C16001 group they belong to ("ht" → French, Haitian, or Cajun). */
export function openDoorLanguagesOf(group: string): string[] {
  return LANGUAGES.filter((l) => languageGroup(l.code) === group).map((l) => l.code);
}

export interface OpenSurvey {
  slug: string;
  title: string;
  /** Languages shown to the public (approved, or drafts staff allow). */
  languages: readonly string[];
}

const GEOGRAPHY_PREFERENCE = ["tract", "zcta", "zip", "blockgroup", "place", "county", "custom"];

function titleOf(definition: Record<string, unknown>, slug: string): string {
  const title = definition.title;
  if (typeof title === "string") return title;
  if (title && typeof title === "object") {
    const text = (title as Record<string, unknown>).default;
    if (typeof text === "string") return text;
  }
  return slug;
}

/**
 * The language-access report at one geography level (default: the level with the most areas
 * that has C16001/B16001 counts). Null when no language table with the "less than very well"
 * rows has been imported.
 */
export async function languageAccessReport(
  db: Db,
  options: {
    suppressBelow: number;
    geography?: string;
  },
): Promise<LanguageAccessReport | null> {
  const coverage = (await communityDimensions(db)).filter(
    (entry) => entry.dimension === LIMITED_ENGLISH_DIMENSION,
  );
  if (coverage.length === 0) return null;
  const kinds = coverage.map((entry) => entry.kind);
  const kind =
    options.geography && kinds.includes(options.geography)
      ? options.geography
      : (GEOGRAPHY_PREFERENCE.find((k) => kinds.includes(k)) ?? (kinds[0] as string));
  const speakerCells = await populationBy(db, { dimension: "language", kinds: [kind] });
  const lepCells = await populationBy(db, { dimension: LIMITED_ENGLISH_DIMENSION, kinds: [kind] });
  // Only areas with both counts, so the shares' numerators and denominators agree.
  const withLep = new Set(lepCells.map((cell) => cell.geoid));
  const speakers = speakerCells.filter((cell) => withLep.has(cell.geoid));
  const serviceArea = rankLanguages(speakers, lepCells);

  const open = await listSurveys(db, { status: "open", audience: "public" });
  const surveys: OpenSurvey[] = [];
  for (const survey of open) {
    surveys.push({
      slug: survey.slug,
      title: titleOf(survey.definition, survey.slug),
      languages: await publicLanguages(db, survey),
    });
  }
  const counts = await countResponsesBy(db, ["survey_slug", "language"]);
  const responsesIn = (slug: string, codes: readonly string[]) =>
    counts
      .filter((c) => c.key.survey_slug === slug && codes.includes(c.key.language ?? ""))
      .reduce((sum, c) => sum + c.count, 0);

  const areaIds = [...new Set(lepCells.map((cell) => cell.geoid))];
  return {
    geography: kind,
    kinds: [kind],
    serviceArea: {
      ...serviceArea,
      languages: serviceArea.languages.map((language) => {
        const codes = openDoorLanguagesOf(language.group);
        return {
          ...language,
          openDoorLanguages: codes,
          surveys: surveys.map((survey) => {
            const responses = presentCount(responsesIn(survey.slug, codes), options.suppressBelow);
            return {
              slug: survey.slug,
              title: survey.title,
              offered: codes.filter((code) => survey.languages.includes(code)),
              responses,
              per1000Speakers:
                responses.value !== null && language.speakers > 0
                  ? (1000 * responses.value) / language.speakers
                  : null,
            };
          }),
        };
      }),
    },
    areas: areaIds.map((geoid) => ({
      geoid,
      name: lepCells.find((cell) => cell.geoid === geoid)?.name ?? null,
      ...rankLanguages(
        speakers.filter((cell) => cell.geoid === geoid),
        lepCells.filter((cell) => cell.geoid === geoid),
      ),
    })),
    surveys: surveys.map(({ slug, title }) => ({ slug, title })),
    suppressBelow: options.suppressBelow,
    note: SAFE_HARBOR_NOTE,
  };
}

const round = (value: number | null, digits: number) =>
  value === null ? "" : String(Math.round(value * 10 ** digits) / 10 ** digits);

/**
 * The report as CSV: one row per area (service area first) and language group; the survey
 * columns are filled on the service-area rows (responses carry no area).
 */
export function languageAccessCsv(report: LanguageAccessReport) {
  const header = [
    "area_geoid",
    "area_name",
    "language_group",
    "rank",
    "speakers",
    "speakers_moe",
    "speak_english_less_than_very_well",
    "moe",
    "share",
    "share_moe",
    "reliable",
    "safe_harbor_guidance",
    "safe_harbor_threshold",
    ...report.surveys.flatMap((s) => [
      `${s.slug}_offered_in`,
      `${s.slug}_responses`,
      `${s.slug}_per_1000_speakers`,
    ]),
  ];
  const rows: unknown[][] = [header];
  const push = (
    geoid: string,
    name: string,
    ranking: LanguageRanking,
    extra?: (language: RankedLanguage, index: number) => unknown[],
  ) => {
    ranking.languages.forEach((language, index) => {
      rows.push([
        geoid,
        name,
        language.group,
        index + 1,
        language.speakers,
        round(language.speakersMoe, 1),
        language.limitedEnglish,
        round(language.limitedEnglishMoe, 1),
        round(language.share, 4),
        round(language.shareMoe, 4),
        language.reliable === null ? "unknown" : language.reliable ? "yes" : "no",
        language.safeHarbor,
        round(ranking.safeHarborThreshold, 1),
        ...(extra ? extra(language, index) : report.surveys.flatMap(() => ["", "", ""])),
      ]);
    });
  };
  push("service area", "", report.serviceArea, (_, index) =>
    (report.serviceArea.languages[index]?.surveys ?? []).flatMap((s) => [
      s.offered.join(" "),
      s.responses.display,
      round(s.per1000Speakers, 1),
    ]),
  );
  for (const area of report.areas) push(area.geoid, area.name ?? "", area);
  return csvStream(rows);
}

/** Names for the page: the Open Door language codes as "Somali (so)". */
export function languageNames(codes: readonly string[]): string {
  return codes.map((code) => `${findLanguage(code)?.englishName ?? code} (${code})`).join(", ");
}
