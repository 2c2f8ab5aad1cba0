// The staff overview: responses per survey over time, by language, channel and location, and how
// many non-users were heard. Every count passes through the suppression presenter.

import { planTableSuppression } from "../analysis/plan-suppression.ts";
import type { Db } from "../db.ts";
import { getLanguage } from "../i18n/languages.ts";
import { listImports } from "../queries/imports.ts";
import { listLocationRows } from "../queries/kiosk-locations.ts";
import {
  countByAnswer,
  countResponsesBy,
  countResponsesByDay,
} from "../queries/response-summary.ts";
import { listSurveys, type SurveyRow } from "../queries/surveys.ts";
import { listUsageGapRuns } from "../queries/usage-gap-runs.ts";
import { type CellStatus, suppressTable } from "../results/suppress.ts";
import { localized, type SurveyMeta, surveyMeta } from "../surveys/definition.ts";
import { type ChartTable, countTable } from "./chart-table.ts";
import { dataStamp, keptResult } from "./response-store.ts";
import { type CountCell, plannedCount, presentShare, suppressCounts } from "./suppression.ts";

export const CHANNEL_LABELS: Readonly<Record<string, string>> = {
  web: "Web link",
  kiosk: "Kiosk",
  paper: "Paper",
  event: "Community event",
  interview: "Interview",
};

export interface SurveySummary {
  slug: string;
  title: string;
  status: string;
  audience: string;
  responses: CountCell;
  /** Null when the survey has no library-use question. */
  nonUsers: { count: CountCell; share: string } | null;
  lastResponse: string | null;
}

export interface OverviewModel {
  suppressBelow: number;
  surveys: SurveySummary[];
  overTime: ChartTable;
  byLanguage: ChartTable;
  byChannel: ChartTable;
  byLocation: ChartTable;
  nonUsers: ChartTable | null;
  /** The latest imports and usage-gap analyses, newest first. */
  latest: Array<{ date: string; what: string; detail: string; href: string }>;
}

const IMPORT_KINDS: Readonly<Record<string, string>> = {
  community: "Census table",
  circulation: "Patron export",
  crosswalk: "Crosswalk",
};

/** Monday of the ISO week of a YYYY-MM-DD day, as YYYY-MM-DD. */
export function weekOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const offset = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - offset);
  return date.toISOString().slice(0, 10);
}

function surveyTitle(survey: SurveyRow): string {
  return localized(survey.definition.title, "en") || survey.slug;
}

function useStatusOf(survey: SurveyRow): SurveyMeta["useStatus"] {
  return surveyMeta(survey.definition)?.useStatus;
}

/** Consecutive weeks from the first week with a response to the last, at most `maxWeeks`. */
function weekRange(weeks: string[], maxWeeks: number): string[] {
  if (weeks.length === 0) return [];
  const sorted = [...weeks].sort();
  const last = new Date(`${sorted[sorted.length - 1]}T00:00:00Z`);
  const first = new Date(`${sorted[0]}T00:00:00Z`);
  const out: string[] = [];
  for (let d = last; d >= first && out.length < maxWeeks; d = new Date(d.getTime() - 7 * 86400000))
    out.unshift(d.toISOString().slice(0, 10));
  return out;
}

export async function buildOverview(
  db: Db,
  options: { suppressBelow: number; maxWeeks?: number },
): Promise<OverviewModel> {
  const k = options.suppressBelow;
  const surveys = await listSurveys(db);
  const titles = new Map(surveys.map((s) => [s.slug, surveyTitle(s)]));
  // The response counts are kept while no response changes (server/reports/response-store.ts).
  const stamp = await dataStamp(db);
  const [[bySurvey, byLanguage, byChannel, byLocation, days], locations, imports, runs] =
    await Promise.all([
      keptResult(db, JSON.stringify(["overview-counts"]), stamp, () =>
        Promise.all([
          countResponsesBy(db, ["survey_slug"]),
          countResponsesBy(db, ["language"]),
          countResponsesBy(db, ["channel"]),
          countResponsesBy(db, ["location"]),
          countResponsesByDay(db),
        ]),
      ),
      listLocationRows(db, { includeRetired: true }),
      listImports(db),
      listUsageGapRuns(db, 5),
    ]);
  const latest = [
    ...imports.slice(0, 5).map((i) => ({
      date: i.createdAt.slice(0, 10),
      what: `${IMPORT_KINDS[i.kind] ?? i.kind} imported: ${i.fileName}`,
      detail: `${i.rowsAccepted.toLocaleString("en-US")} rows accepted${i.asOf ? `, as of ${i.asOf}` : ""}`,
      href: "/staff/imports",
    })),
    ...runs.map((r) => ({
      date: r.createdAt.slice(0, 10),
      what: "Usage-gap analysis run",
      detail: `patron export as of ${r.asOf}`,
      href: "/staff/gaps",
    })),
  ]
    .sort((a, b) => b.date.localeCompare(a.date))
    .slice(0, 6);

  const surveyCounts = new Map(bySurvey.map((r) => [r.key.survey_slug, r.count]));
  const lastDay = new Map<string, string>();
  for (const d of days)
    if ((lastDay.get(d.surveySlug) ?? "") < d.day) lastDay.set(d.surveySlug, d.day);

  const nonUserRows: Array<{ label: string; nonUsers: number; users: number }> = [];
  const summaries: SurveySummary[] = [];
  // Survey totals add up to the total of the language, channel and location tables.
  // Survey totals add up to the total of the language, channel and location tables. A survey
  // with 10 or more responses shows its count on its own results page, so those stay shown;
  // when a small survey could then be recovered, the grand total is withheld instead.
  const surveyCountList = surveys.map((s) => surveyCounts.get(s.slug) ?? 0);
  const grandTotal = surveyCountList.reduce((a, b) => a + b, 0);
  const surveyReasons = planTableSuppression(
    {
      values: [...surveyCountList, grandTotal],
      equations: [{ parts: surveyCountList.map((_, i) => i), total: surveyCountList.length }],
      locked: surveyCountList.flatMap((count, i) => (count >= k ? [i] : [])),
      margins: [surveyCountList.length],
    },
    k,
  );
  const surveyStatus: CellStatus[] = surveyReasons.map((reason) => reason ?? "shown");
  const grandStatus = surveyStatus[surveyCountList.length] ?? "shown";
  const surveyPlan = surveyCountList.map((count, i) =>
    plannedCount(count, surveyStatus[i] ?? "shown", k),
  );
  for (const [surveyIndex, survey] of surveys.entries()) {
    const useStatus = useStatusOf(survey);
    let nonUsers: SurveySummary["nonUsers"] = null;
    if (useStatus) {
      const question = useStatus.question;
      const answers = await keptResult(
        db,
        JSON.stringify(["overview-answers", survey.slug, question]),
        stamp,
        () => countByAnswer(db, survey.slug, question),
      );
      const non = answers
        .filter((a) => a.value !== null && useStatus.nonUserValues.includes(a.value))
        .reduce((sum, a) => sum + a.count, 0);
      const answered = answers.filter((a) => a.value !== null).reduce((s, a) => s + a.count, 0);
      const { cells, total: answeredCell } = suppressCounts([non, answered - non], k);
      nonUsers = {
        count: cells[0] as CountCell,
        share: presentShare(cells[0] as CountCell, answeredCell),
      };
      if (answered > 0)
        nonUserRows.push({ label: surveyTitle(survey), nonUsers: non, users: answered - non });
    }
    summaries.push({
      slug: survey.slug,
      title: surveyTitle(survey),
      status: survey.status,
      audience: survey.audience,
      responses: surveyPlan[surveyIndex] as CountCell,
      nonUsers,
      lastResponse: lastDay.get(survey.slug) ?? null,
    });
  }

  // Weekly counts per survey, each week's row suppressed with its total.
  const perWeek = new Map<string, Map<string, number>>();
  for (const d of days) {
    const week = weekOf(d.day);
    const row = perWeek.get(week) ?? new Map<string, number>();
    row.set(d.surveySlug, (row.get(d.surveySlug) ?? 0) + d.count);
    perWeek.set(week, row);
  }
  const seriesSlugs = surveys.map((s) => s.slug).filter((slug) => surveyCounts.has(slug));
  const weeks = weekRange([...perWeek.keys()], options.maxWeeks ?? 26);
  // Weeks × surveys with each week's total: when every week is listed, a survey's column adds up
  // to its total in the table above, which keeps the status it has there.
  const everyWeek = weeks.length === weekRange([...perWeek.keys()], Number.MAX_SAFE_INTEGER).length;
  const weekPlan = suppressTable(
    weeks.map((week) => seriesSlugs.map((slug) => perWeek.get(week)?.get(slug) ?? 0)),
    k,
    {
      rowTotals: true,
      columnTotals: everyWeek,
      columnMargins: everyWeek
        ? seriesSlugs.map(
            (slug) => surveyStatus[surveys.findIndex((s) => s.slug === slug)] ?? "shown",
          )
        : undefined,
    },
  );
  const overTime: ChartTable = {
    id: "responses-over-time",
    title: "Responses per week",
    caption: "Responses received each week (weeks start on Monday), by survey.",
    kind: "stacked",
    categoryLabel: "Week of",
    series: seriesSlugs.map((slug) => titles.get(slug) ?? slug),
    rows: weeks.map((week, i) => {
      const row = perWeek.get(week);
      const counts = seriesSlugs.map((slug) => row?.get(slug) ?? 0);
      return {
        label: week,
        cells: counts.map((count, j) => plannedCount(count, weekPlan.cells[i]?.[j] ?? "shown", k)),
        total: plannedCount(
          counts.reduce((a, b) => a + b, 0),
          weekPlan.rowTotals[i] ?? "shown",
          k,
        ),
      };
    }),
  };

  const languageTable = countTable({
    id: "responses-by-language",
    title: "Responses by language",
    caption: "The language each response was given in.",
    categoryLabel: "Language",
    entries: byLanguage
      .map((r) => ({ label: getLanguage(r.key.language ?? "en").englishName, count: r.count }))
      .sort((a, b) => b.count - a.count),
    suppressBelow: k,
    totalStatus: grandStatus,
  });
  const channelTable = countTable({
    id: "responses-by-channel",
    title: "Responses by channel",
    caption: "How responses reached us: web link, kiosk, paper, community event or interview.",
    categoryLabel: "Channel",
    entries: byChannel
      .map((r) => ({
        label: CHANNEL_LABELS[r.key.channel ?? ""] ?? String(r.key.channel),
        count: r.count,
      }))
      .sort((a, b) => b.count - a.count),
    suppressBelow: k,
    totalStatus: grandStatus,
  });
  const locationNames = new Map(locations.map((l) => [l.id, l.name]));
  const locationTable = countTable({
    id: "responses-by-location",
    title: "Responses by location",
    caption:
      "Where kiosk, paper and event responses were collected; web responses have no location.",
    categoryLabel: "Location",
    entries: byLocation
      .map((r) => ({
        label:
          r.key.location === null
            ? "No location (web link)"
            : (locationNames.get(r.key.location) ?? r.key.location),
        count: r.count,
      }))
      .sort((a, b) => b.count - a.count),
    suppressBelow: k,
    totalStatus: grandStatus,
  });

  const nonUsersTable: ChartTable | null = nonUserRows.length
    ? {
        id: "non-users-heard",
        title: "Non-users heard",
        caption:
          "Respondents who said they have not used the library in the last 12 months, beside those who have.",
        kind: "stacked",
        horizontal: true,
        categoryLabel: "Survey",
        series: ["Non-users", "Library users"],
        rows: nonUserRows.map((r) => {
          const { cells, total } = suppressCounts([r.nonUsers, r.users], k);
          return { label: r.label, cells, total };
        }),
      }
    : null;

  return {
    suppressBelow: k,
    surveys: summaries,
    overTime,
    byLanguage: languageTable,
    byChannel: channelTable,
    byLocation: locationTable,
    nonUsers: nonUsersTable,
    latest,
  };
}
