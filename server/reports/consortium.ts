// The consortium view (issue 23): member libraries compared on the questions of the standard
// surveys they adopted, library by library, by region and for the whole consortium, with small
// counts withheld at the consortium level.
//
// What a reader could try, and what stops it:
// - A library with fewer than SUPPRESS_BELOW respondents shows "fewer than N" and nothing else:
//   it is left out of every question table and of every region and consortium total, so no
//   total minus the libraries shown gives back its respondents or answers.
// - In each question's table (libraries × categories, with each row's "answered", region rows
//   and the consortium row), counts from 1 to N − 1 are withheld, and further counts are
//   withheld by the project's planner (server/analysis/plan-suppression.ts, FCSM Working Paper
//   22) until none of them follows from the rows (single choice: the categories add up to the
//   answered), the columns (the libraries of a region add up to the region, the regions and the
//   libraries to the consortium), or all of these at once.
// - A share is shown only beside its count and its row's answered count (a share and its base
//   would give the count back).
// The HTML page, the JSON and the CSV are made from this one model: none shows more.

import { planTableSuppression } from "../analysis/plan-suppression.ts";
import { isSmallCount } from "../analysis/small-count.ts";
import { suppressedText } from "../analysis/suppressed-text.ts";
import type { SuppressionReason } from "../analysis/usage-gap-types.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db.ts";
import type { LibraryDatabases } from "../libraries/library-databases.ts";
import { type Library, listLibraries } from "../queries/libraries.ts";
import { describeSurvey } from "../results/describe-survey.ts";
import type { SurveyCodebook } from "../results/types.ts";
import { loadStandardSurveys } from "../surveys/catalogue.ts";
import type { SurveyDefinition } from "../surveys/definition.ts";
import {
  type LibraryCounts,
  type LibrarySurveyCounts,
  libraryCounts,
} from "./consortium-counts.ts";

/** A count as published: the number, or why it is withheld. */
export interface PublishedCount {
  /** null when withheld. */
  count: number | null;
  withheld: SuppressionReason | null;
}

/** One category of one row of a question's table. */
export interface ComparisonCell extends PublishedCount {
  /** Respondents choosing the category ÷ the row's respondents who answered (0 to 1); null when not shown. */
  share: number | null;
}

export type RowKind = "library" | "region" | "consortium";

export interface ComparisonRow {
  kind: RowKind;
  /** A library's slug, a region's name ("" for no region), or "consortium". */
  key: string;
  label: string;
  /** The library's region (libraries only; null when it has none). */
  region?: string | null;
  /** Respondents of the row who answered the question. */
  answered: PublishedCount;
  /** One per category, in the question's order. */
  cells: ComparisonCell[];
}

export interface ComparisonQuestion {
  name: string;
  title: string;
  /** single: one answer each (ratings too), so a row's categories add up to its answered. */
  kind: "single" | "multiple";
  categories: { code: string; label: string }[];
  /** The libraries counted, then each region, then the consortium. */
  rows: ComparisonRow[];
}

export interface RespondentsRow {
  kind: RowKind;
  key: string;
  label: string;
  region?: string | null;
  /** Respondents; null for a library with fewer than SUPPRESS_BELOW ("fewer than N"). */
  respondents: number | null;
  /** Libraries counted in a region or the consortium. */
  libraries?: number;
}

export interface ConsortiumSurvey {
  slug: string;
  title: string;
  /** Every library that adopted the survey, then each region, then the consortium. */
  respondents: RespondentsRow[];
  /** Libraries that adopted it but have fewer than SUPPRESS_BELOW respondents (left out). */
  fewerThanThreshold: number;
  /** Libraries that have not adopted it, by name. */
  notAdopted: string[];
  questions: ComparisonQuestion[];
}

export interface ConsortiumReport {
  suppressBelow: number;
  /** Libraries in the instance. */
  libraries: number;
  /** What each number means, as the page, the JSON and the CSV state it. */
  definitions: Record<string, string>;
  surveys: ConsortiumSurvey[];
}

/** A library with its counts of one standard survey (undefined: it has not adopted it). */
export interface LibraryEntry {
  library: Pick<Library, "slug" | "name" | "region">;
  counts: LibrarySurveyCounts | undefined;
}

export const NO_REGION = "No region";

export function consortiumDefinitions(suppressBelow: number): Record<string, string> {
  return {
    respondents: "Respondents: people who submitted the survey at that library (all versions).",
    answered:
      "Answered: respondents of that library (region, consortium) who answered the question.",
    share:
      "Share: respondents of that library (region, consortium) who chose the category ÷ respondents who answered the question there.",
    multiple:
      "Questions allowing several answers: a respondent counts in each category chosen, so the shares add up to more than 100%.",
    region:
      "Region: the libraries of a region together, as recorded for each library; libraries without one form the group “No region”.",
    consortium: "Consortium: every library counted, together.",
    suppression: `Counts from 1 to ${suppressBelow - 1} read “${suppressedText("small", suppressBelow)}”; “${suppressedText("complementary", suppressBelow)}” hides another count so that a withheld one cannot be worked out by subtraction. A library with fewer than ${suppressBelow} respondents shows “fewer than ${suppressBelow}” and is left out of every question and every total.`,
  };
}

const regionKey = (region: string | null | undefined) => region ?? "";
const regionLabel = (key: string) => (key === "" ? NO_REGION : key);
/** Regions by name, "No region" last. */
const byRegion = (a: string, b: string) =>
  a === "" ? (b === "" ? 0 : 1) : b === "" ? -1 : a.localeCompare(b);

/**
 * The suppression of one question's table: every row's categories and answered count, linked by
 * the sums a reader knows. Returns per row (libraries, regions, consortium) and column
 * (categories, then answered) the published count.
 */
function planQuestion(
  matrix: number[][],
  respondents: number[],
  regionOf: number[],
  regionRows: number[],
  consortiumRow: number,
  kind: "single" | "multiple",
  suppressBelow: number,
): PublishedCount[][] {
  const width = (matrix[0]?.length ?? 1) - 1; // categories; the last column is answered
  const columns = width + 1;
  const index = (row: number, column: number) => row * columns + column;
  const values = matrix.flat();
  const equations: { parts: number[]; total: number }[] = [];
  const libraries = regionOf.map((_, i) => i);
  for (let column = 0; column < columns; column++) {
    regionRows.forEach((regionRow, r) => {
      const members = libraries.filter((i) => regionOf[i] === r);
      equations.push({
        parts: members.map((i) => index(i, column)),
        total: index(regionRow, column),
      });
    });
    equations.push({
      parts: regionRows.map((row) => index(row, column)),
      total: index(consortiumRow, column),
    });
    equations.push({
      parts: libraries.map((i) => index(i, column)),
      total: index(consortiumRow, column),
    });
  }
  // Single choice: each respondent who answered is in exactly one category.
  if (kind === "single") {
    matrix.forEach((_, row) => {
      equations.push({
        parts: Array.from({ length: width }, (_, c) => index(row, c)),
        total: index(row, width),
      });
    });
  }
  // An answered count equal to the row's respondents (shown) is known already: never withheld.
  // Nor, for single choice, is the one category such a row has respondents in (zeros are shown).
  const locked: number[] = [];
  matrix.forEach((row, i) => {
    if ((row[width] ?? 0) !== respondents[i]) return;
    locked.push(index(i, width));
    const positive = row.slice(0, width).flatMap((count, c) => (count > 0 ? [c] : []));
    if (kind === "single" && positive.length === 1) locked.push(index(i, positive[0] as number));
  });
  const margins = [
    ...matrix.map((_, row) => index(row, width)),
    ...[...regionRows, consortiumRow].flatMap((row) =>
      Array.from({ length: width }, (_, c) => index(row, c)),
    ),
  ];
  const plan = planTableSuppression({ values, equations, locked, margins }, suppressBelow);
  return matrix.map((row, i) =>
    row.map((count, column) => {
      const withheld = plan[index(i, column)] ?? null;
      return { count: withheld ? null : count, withheld };
    }),
  );
}

/** Shares of a row's shown counts, when its answered count is shown and not zero. */
function withShares(cells: PublishedCount[], answered: PublishedCount): ComparisonCell[] {
  return cells.map((cell) => ({
    ...cell,
    share:
      cell.count !== null && answered.count !== null && answered.count > 0
        ? cell.count / answered.count
        : null,
  }));
}

/**
 * One standard survey compared across libraries, by region and for the consortium (pure: the
 * counts come from consortium-counts.ts, the questions from the standard file's codebook).
 *
 * @example
 * compareLibraries({ slug, title, codebook, entries }, 10).questions[0].rows.at(-1); // the consortium row
 */
export function compareLibraries(
  survey: { slug: string; title: string; codebook: SurveyCodebook; entries: LibraryEntry[] },
  suppressBelow: number,
): ConsortiumSurvey {
  const adopted = survey.entries
    .filter((e): e is LibraryEntry & { counts: LibrarySurveyCounts } => e.counts !== undefined)
    .sort(
      (a, b) =>
        byRegion(regionKey(a.library.region), regionKey(b.library.region)) ||
        a.library.name.localeCompare(b.library.name) ||
        a.library.slug.localeCompare(b.library.slug),
    );
  const counted = adopted.filter((e) => !isSmallCount(e.counts.respondents, suppressBelow));
  const regions = [...new Set(counted.map((e) => regionKey(e.library.region)))].sort(byRegion);
  const regionOf = counted.map((e) => regions.indexOf(regionKey(e.library.region)));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const libraryRespondents = counted.map((e) => e.counts.respondents);
  const regionRespondents = regions.map((_, r) =>
    sum(libraryRespondents.filter((_, i) => regionOf[i] === r)),
  );
  const total = sum(libraryRespondents);

  const respondents: RespondentsRow[] = [
    ...adopted.map((e) => ({
      kind: "library" as const,
      key: e.library.slug,
      label: e.library.name,
      region: e.library.region,
      respondents: isSmallCount(e.counts.respondents, suppressBelow) ? null : e.counts.respondents,
    })),
    ...regions.map((key, r) => ({
      kind: "region" as const,
      key,
      label: regionLabel(key),
      respondents: regionRespondents[r] ?? 0,
      libraries: regionOf.filter((x) => x === r).length,
    })),
    {
      kind: "consortium",
      key: "consortium",
      label: "Consortium",
      respondents: total,
      libraries: counted.length,
    },
  ];

  const questions: ComparisonQuestion[] = [];
  for (const question of survey.codebook.questions) {
    if (question.kind !== "single" && question.kind !== "rating" && question.kind !== "multiple")
      continue;
    const kind = question.kind === "multiple" ? "multiple" : "single";
    const categories = question.choices.map((c) => ({ code: c.code, label: c.label }));
    if (question.kind !== "rating" && question.other)
      categories.push({ code: question.other.code, label: question.other.label });
    const listed = new Set(categories.map((c) => c.code));
    // Codes only an older version (or one library's version) has: counted, never dropped.
    const extra = new Set<string>();
    for (const e of counted) {
      for (const code of Object.keys(e.counts.questions[question.name]?.chosen ?? {}))
        if (!listed.has(code)) extra.add(code);
    }
    for (const code of [...extra].sort()) categories.push({ code, label: code });

    const libraryMatrix = counted.map((e) => {
      const q = e.counts.questions[question.name];
      return [...categories.map((c) => q?.chosen[c.code] ?? 0), q?.answered ?? 0];
    });
    const add = (rows: number[][]) =>
      categories
        .map((_, c) => sum(rows.map((row) => row[c] ?? 0)))
        .concat([sum(rows.map((row) => row[categories.length] ?? 0))]);
    const regionMatrix = regions.map((_, r) =>
      add(libraryMatrix.filter((_, i) => regionOf[i] === r)),
    );
    const consortiumCounts = add(libraryMatrix);
    const matrix = [...libraryMatrix, ...regionMatrix, consortiumCounts];
    const regionRows = regions.map((_, r) => counted.length + r);
    const consortiumRow = counted.length + regions.length;
    const plan = planQuestion(
      matrix,
      [...libraryRespondents, ...regionRespondents, total],
      regionOf,
      regionRows,
      consortiumRow,
      kind,
      suppressBelow,
    );
    const row = (i: number, kind: RowKind, key: string, label: string, region?: string | null) => {
      const published = plan[i] as PublishedCount[];
      const answered = published[categories.length] as PublishedCount;
      return {
        kind,
        key,
        label,
        ...(kind === "library" ? { region } : {}),
        answered,
        cells: withShares(published.slice(0, categories.length), answered),
      };
    };
    questions.push({
      name: question.name,
      title: question.title,
      kind,
      categories,
      rows: [
        ...counted.map((e, i) =>
          row(i, "library", e.library.slug, e.library.name, e.library.region),
        ),
        ...regions.map((key, r) => row(counted.length + r, "region", key, regionLabel(key))),
        row(consortiumRow, "consortium", "consortium", "Consortium"),
      ],
    });
  }

  return {
    slug: survey.slug,
    title: survey.title,
    respondents,
    fewerThanThreshold: adopted.length - counted.length,
    notAdopted: survey.entries
      .filter((e) => e.counts === undefined)
      .map((e) => e.library.name)
      .sort((a, b) => a.localeCompare(b)),
    questions,
  };
}

/** Runs `work` on every item, at most `limit` at a time, keeping the order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Codebooks of the standard files by hash: describing a survey builds a SurveyJS model. */
const codebooks = new Map<string, SurveyCodebook>();

function codebookOf(definition: SurveyDefinition): SurveyCodebook {
  let codebook = codebooks.get(definition.hash);
  if (!codebook) {
    codebook = describeSurvey(definition.json, "en");
    codebooks.set(definition.hash, codebook);
  }
  return codebook;
}

/** The last report per instance, with the stamps it was made from. */
const reports = new WeakMap<Db, { key: string; report: ConsortiumReport }>();

/** How many libraries' stamps are read (and counts made) at once. */
const PARALLEL_LIBRARIES = 4;

/**
 * Every standard survey compared across the instance's libraries. Each library's counts are
 * kept under its data stamp (consortium-counts.ts), and the whole report under all the stamps,
 * so a request reads one small row per library and recounts only what changed.
 */
export async function consortiumReport(
  libraries: Pick<LibraryDatabases, "instance" | "db">,
  config: Pick<Config, "surveysDir" | "standardSurveysDir" | "suppressBelow">,
): Promise<ConsortiumReport> {
  const members = await listLibraries(libraries.instance);
  const standard = loadStandardSurveys(config);
  const slugs = standard.map((d) => d.slug);
  const counts: LibraryCounts[] = await mapLimited(members, PARALLEL_LIBRARIES, async (library) =>
    libraryCounts(await libraries.db(library), slugs),
  );
  const key = JSON.stringify([
    config.suppressBelow,
    standard.map((d) => d.hash),
    members.map((m, i) => [m.slug, m.name, m.region, counts[i]?.stamp]),
  ]);
  const kept = reports.get(libraries.instance);
  if (kept?.key === key) return kept.report;
  const report: ConsortiumReport = {
    suppressBelow: config.suppressBelow,
    libraries: members.length,
    definitions: consortiumDefinitions(config.suppressBelow),
    surveys: standard.map((definition) => {
      const codebook = codebookOf(definition);
      return compareLibraries(
        {
          slug: definition.slug,
          title: codebook.title || definition.slug,
          codebook,
          entries: members.map((library, i) => ({
            library,
            counts: counts[i]?.surveys.get(definition.slug),
          })),
        },
        config.suppressBelow,
      );
    }),
  };
  reports.set(libraries.instance, { key, report });
  return report;
}

/** What a published count reads as text: the number, "<10" or "suppressed". */
export function countText(cell: PublishedCount, suppressBelow: number): string {
  return cell.withheld ? suppressedText(cell.withheld, suppressBelow) : String(cell.count ?? "");
}

const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });

/** A cell as the page shows it: "42% (21)", "<10", "suppressed", or the count alone without a share. */
export function cellText(cell: ComparisonCell, suppressBelow: number): string {
  if (cell.withheld || cell.count === null) return countText(cell, suppressBelow);
  return cell.share === null ? String(cell.count) : `${percent.format(cell.share)} (${cell.count})`;
}

/** The report as CSV rows (header first): one row per respondents figure and per cell. */
export function* consortiumCsvRows(report: ConsortiumReport): Generator<(string | number)[]> {
  const t = report.suppressBelow;
  yield [
    "survey",
    "question",
    "question_title",
    "row_kind",
    "row",
    "region",
    "category_code",
    "category_label",
    "count",
    "answered",
    "share_percent",
  ];
  for (const survey of report.surveys) {
    for (const row of survey.respondents) {
      yield [
        survey.slug,
        "(respondents)",
        "",
        row.kind,
        row.label,
        row.kind === "library" ? regionLabel(regionKey(row.region)) : "",
        "",
        "",
        row.respondents === null ? `fewer than ${t}` : row.respondents,
        "",
        "",
      ];
    }
    for (const question of survey.questions) {
      for (const row of question.rows) {
        for (const [c, category] of question.categories.entries()) {
          const cell = row.cells[c] as ComparisonCell;
          yield [
            survey.slug,
            question.name,
            question.title,
            row.kind,
            row.label,
            row.kind === "library" ? regionLabel(regionKey(row.region)) : "",
            category.code,
            category.label,
            countText(cell, t),
            countText(row.answered, t),
            cell.share === null ? "" : Math.round(cell.share * 1000) / 10,
          ];
        }
      }
    }
  }
}
