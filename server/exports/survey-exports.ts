// Exports of one survey, ready to stream: responses (wide or long), codebook, results tables,
// cross-tabs and syntax files. The CLI (scripts/export.ts) and the staff download routes call
// these; each returns a file name that names the survey, version(s) and filters, and a stream.
import type { Readable } from "node:stream";
import { csvStream } from "../csv-stream.ts";
import type { Db } from "../db.ts";
import { InputError, TooSmallToShow } from "../errors.ts";
import { translator } from "../i18n/messages.ts";
import { surveyCrossTab, surveyResults } from "../reports/survey-results.ts";
import {
  loadResultsSurvey,
  loadScopedSurvey,
  type ResultsScope,
  scopedResponses,
  scopeVersions,
} from "../reports/survey-scope.ts";
import { computeWeights, type WeightingRequest } from "../reports/survey-weights.ts";
import { checkSurveyView } from "../reports/view-privacy.ts";
import type { Variable } from "../results/cross-tab.ts";
import { groupTests } from "../results/group-tests.ts";
import type { GroupDimension, ResponseFilter } from "../results/groups.ts";
import type { SurveyCodebook } from "../results/types.ts";
import type { ExportColumn } from "./column-kinds.ts";
import { crossTabRows } from "./crosstab-csv.ts";
import { csvTexts } from "./csv-statistics.ts";
import { describeFilter, exportFileName } from "./file-name.ts";
import { wideLayout } from "./layout.ts";
import { codebookRows, longFormatRows, wideRows } from "./responses-csv.ts";
import { resultsRows } from "./results-csv.ts";
import { rScript, spssSyntax } from "./syntax.ts";

export interface ExportRequest {
  slug: string;
  /** Language of question texts and labels; with `labels` cells hold labels instead of codes. */
  language?: string;
  labels?: boolean;
  filter?: ResponseFilter;
  /** Rake respondents to the community margins (adds a weight column / weights the tables). */
  weighting?: WeightingRequest;
  bom?: boolean;
  /** Called once per response written (responses exports), e.g. for a progress bar. */
  onResponse?: () => void;
}

export interface ExportFile {
  fileName: string;
  versions: number[];
  stream: Readable;
}

export interface ExportText {
  fileName: string;
  versions: number[];
  content: string;
}

const scopeOf = (request: ExportRequest): ResultsScope => ({
  slug: request.slug,
  language: request.language,
  filter: request.filter,
});

/**
 * Aggregate exports of a filtered view follow the results page: a view with too few responses,
 * or one that differs from a wider view by a few people, is refused with the reason (400).
 */
async function requireShownView(db: Db, request: ExportRequest, suppressBelow: number) {
  const { codebook } = await loadResultsSurvey(db, request.slug);
  const check = await checkSurveyView(
    db,
    request.slug,
    codebook.useStatus,
    request.filter ?? {},
    suppressBelow,
  );
  if (!check.shown) {
    const t = translator(request.language ?? "en");
    throw new TooSmallToShow(t(check.refusal.key, check.refusal.params));
  }
}

/**
 * The codebook for an export: the current version in the chosen language, merged with older
 * versions the exported responses were answered on.
 */
/** Kept responses are used when the pages already keep them; otherwise the export streams. */
const STREAM = { fill: false } as const;

export async function exportCodebookFor(
  db: Db,
  request: ExportRequest,
): Promise<{ codebook: SurveyCodebook; versions: number[] }> {
  // Exports stream: a survey the server does not keep yet is not read whole into memory first.
  const { codebook, versions } = await loadScopedSurvey(db, scopeOf(request), STREAM);
  return { codebook, versions };
}

async function layoutFor(
  db: Db,
  request: ExportRequest,
): Promise<{ codebook: SurveyCodebook; columns: ExportColumn[]; versions: number[] }> {
  const { codebook, versions } = await exportCodebookFor(db, request);
  return {
    codebook,
    versions,
    columns: wideLayout(codebook, { weighted: Boolean(request.weighting) }),
  };
}

/**
 * Responses, one row per response (wide) or one row per answered value (long).
 *
 * @example
 * const file = await exportResponses(db, { slug: "community-needs", format: "wide", bom: true });
 * file.stream.pipe(createWriteStream(file.fileName));
 */
export async function exportResponses(
  db: Db,
  request: ExportRequest & { format?: "wide" | "long" },
): Promise<ExportFile> {
  const format = request.format ?? "wide";
  const { codebook, columns, versions } = await layoutFor(db, request);
  const weights = request.weighting
    ? (await computeWeights(db, scopeOf(request), request.weighting)).weights
    : undefined;
  const onResponse = request.onResponse;
  const scoped = scopedResponses(db, request.slug, codebook, request.filter, STREAM);
  const responses = onResponse
    ? (async function* counted() {
        for await (const response of scoped) {
          onResponse();
          yield response;
        }
      })()
    : scoped;
  const rows =
    format === "wide"
      ? wideRows(columns, responses, { labels: request.labels, weights })
      : longFormatRows(codebook, responses, { labels: request.labels });
  return {
    fileName: exportFileName({
      slug: request.slug,
      versions,
      kind: `responses-${format}`,
      labels: request.labels ? codebook.language : undefined,
      weighted: Boolean(weights) && format === "wide",
      filter: request.filter,
      extension: "csv",
    }),
    versions,
    stream: csvStream(rows, { bom: request.bom }),
  };
}

/** The codebook: column, question, question text, type, value type, code, label. */
export async function exportCodebook(db: Db, request: ExportRequest): Promise<ExportFile> {
  const { codebook, columns, versions } = await layoutFor(db, request);
  return {
    fileName: exportFileName({
      slug: request.slug,
      versions,
      kind: "codebook",
      labels: codebook.language,
      weighted: Boolean(request.weighting),
      filter: request.filter,
      extension: "csv",
    }),
    versions,
    stream: csvStream(codebookRows(columns), { bom: request.bom }),
  };
}

/**
 * An R script or SPSS syntax file for the wide responses CSV named `csvFile` (codes, same
 * filters and weighting).
 */
export async function exportSyntax(
  db: Db,
  request: ExportRequest & { syntax: "r" | "spss"; csvFile: string },
): Promise<ExportText> {
  const { codebook, columns, versions } = await layoutFor(db, { ...request, labels: false });
  const context = {
    csvFile: request.csvFile,
    slug: request.slug,
    title: codebook.title || request.slug,
    versions,
    filters: describeFilter(request.filter),
    exportedAt: new Date(),
  };
  const isR = request.syntax === "r";
  return {
    fileName: request.csvFile.replace(/\.csv$/i, "") + (isR ? ".R" : ".sps"),
    versions,
    content: isR ? rScript(columns, context) : spssSyntax(columns, context),
  };
}

/**
 * Every results table (overall and, with `groupBy`, per group with a test across groups), the
 * barriers ranked among non-users, small-cell suppressed below `suppressBelow`.
 */
export async function exportResults(
  db: Db,
  request: ExportRequest & { groupBy?: GroupDimension; suppressBelow: number },
): Promise<ExportFile> {
  await requireShownView(db, request, request.suppressBelow);
  const report = await surveyResults(db, scopeOf(request), {
    groupBy: request.groupBy,
    weighting: request.weighting,
  });
  if (request.weighting && report.weightingError) {
    throw new InputError(report.weightingError);
  }
  const rows = resultsRows(report.results, {
    threshold: request.suppressBelow,
    texts: csvTexts(request.suppressBelow, translator(report.language)),
    tests: groupTests(report.results),
    barriers: report.barriers,
    weighting: report.weighting,
  });
  return {
    fileName: exportFileName({
      slug: request.slug,
      versions: report.versions,
      kind: request.groupBy ? `results-by-${request.groupBy}` : "results",
      labels: report.language,
      weighted: Boolean(report.weighting),
      filter: request.filter,
      extension: "csv",
    }),
    versions: report.versions,
    stream: csvStream(rows, { bom: request.bom }),
  };
}

/** A cross-tab of two variables with its test, small-cell suppressed. */
export async function exportCrossTab(
  db: Db,
  request: ExportRequest & { rows: Variable; columns: Variable; suppressBelow: number },
): Promise<ExportFile> {
  await requireShownView(db, request, request.suppressBelow);
  const result = await surveyCrossTab(db, scopeOf(request), request.rows, request.columns, {
    weighting: request.weighting,
  });
  if (result.n > 0 && result.n < request.suppressBelow) {
    const t = translator(request.language ?? "en");
    throw new TooSmallToShow(t("privacy.view.tooFew", { n: request.suppressBelow }));
  }
  const versions = await scopeVersions(db, scopeOf(request));
  return {
    fileName: exportFileName({
      slug: request.slug,
      versions,
      kind: `crosstab-${result.rowVariable.name}-by-${result.columnVariable.name}`,
      labels: request.language ?? "en",
      weighted: Boolean(request.weighting),
      filter: request.filter,
      extension: "csv",
    }),
    versions,
    stream: csvStream(
      crossTabRows(result, {
        threshold: request.suppressBelow,
        texts: csvTexts(request.suppressBelow, translator(request.language ?? "en")),
      }),
      {
        bom: request.bom,
      },
    ),
  };
}
