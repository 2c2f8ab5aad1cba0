// npm run export -- responses|codebook|results|crosstab|gaps --survey SLUG [--labels LANG]
//                   [--format wide|long|r|spss] [--weights] [--by DIM] [--bom] [--out FILE] [filters]
import { createWriteStream, existsSync, statSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { loadConfig } from "../server/config.ts";
import type { Db } from "../server/db.ts";
import { Conflict } from "../server/errors.ts";
import { UsageError } from "../server/exit-message.ts";
import { auditedExport } from "../server/exports/audited-export.ts";
import {
  type ExportFile,
  type ExportRequest,
  exportCodebook,
  exportCrossTab,
  exportResponses,
  exportResults,
  exportSyntax,
} from "../server/exports/survey-exports.ts";
import { LANGUAGES } from "../server/i18n/languages.ts";
import {
  checkOutput,
  cliOption,
  LIBRARY_FLAG,
  LIBRARY_HELP,
  parseCliArgs,
  progressBar,
  runCli,
} from "../server/imports/cli.ts";
import { commandLine } from "../server/queries/audit-log.ts";
import { countMatchingResponses } from "../server/queries/response-export.ts";
import { queryFilter } from "../server/reports/survey-scope.ts";
import { gapsCsv } from "../server/reports/usage-gaps.ts";
import { parseCrossTabVariable } from "../server/results/cross-tab-variable.ts";
import { parseFilterOptions } from "../server/results/filter-options.ts";
import { parseGroupBy } from "../server/results/group-by-option.ts";
import { GROUP_DIMENSIONS, type ResponseFilter, USE_STATUSES } from "../server/results/groups.ts";

const KINDS = ["responses", "codebook", "results", "crosstab", "gaps"] as const;
type Kind = (typeof KINDS)[number];
const LANGUAGE_CODES = LANGUAGES.map((l) => l.code);

const HELP = `Usage: npm run export -- responses|codebook|results|crosstab|gaps --survey SLUG [options]

Writes a CSV export of a survey in DATABASE_URL (UTF-8, streamed), every cell made safe for
spreadsheets (text starting with = + - @ or a tab gets a leading apostrophe).

  responses          one row per response (--format wide, the default: one column per question,
                     one 0/1 column per option of a multi-select question, one per matrix row,
                     _other_text columns), or one row per answered value (--format long).
                     With --out FILE.csv and the wide format, FILE.R and FILE.sps are written
                     beside it so the labels arrive in R and SPSS.
  codebook           every column of the wide export: question text, type, codes and labels
  results            every table (counts, shares with margins of error, means, ranks), per group
                     with --by and a test of the difference between groups, and the barriers
                     ranked among non-users; counts under SUPPRESS_BELOW are hidden
  crosstab           --rows VAR --columns VAR: a cross-tab with chi-square, p-value, Cramér's V
                     (Fisher's exact test for small 2 × 2 tables); small cells hidden
  gaps               the usage-gap analysis (census and patron data; no --survey)

Options:
  --survey SLUG      the survey (its file name in surveys/ without .json)
  --labels LANG      question texts and labels in LANG (${LANGUAGE_CODES.join(", ")}); responses then
                     hold labels instead of codes (default: codes, English texts)
  --format FORMAT    responses: wide, long, r (the R script only) or spss (the SPSS syntax only)
  --weights          rake respondents to the community's age, language and ZIP code margins:
                     adds a weight column to responses, weights the results tables
  --by DIMENSION     results: also every table by ${GROUP_DIMENSIONS.join(", ")}
  --rows VAR, --columns VAR
                     crosstab variables: QUESTION (single choice, rating, yes/no),
                     QUESTION:CHOICE (one option of a multi-select question), QUESTION:ROW (a
                     matrix row) or group:DIMENSION (${GROUP_DIMENSIONS.join(", ")}); the
                     cross-tab page's rows= and cols= take the same text
  --language LIST, --channel LIST, --location LIST
                     only responses answered in these languages / channels / locations (a
                     location id, or - for responses with no location); as on the results pages
  --use LIST         only ${USE_STATUSES.join(", ")} (library-use status from the use question)
  --from YYYY-MM-DD, --to YYYY-MM-DD
                     only responses submitted in this date range (UTC, both days included)
  --bom              start with a byte-order mark so Excel reads UTF-8
${LIBRARY_HELP}
  --out FILE         write to FILE, or into FILE when it is a folder (under the export's own
                     name, which names the survey, versions and filters); default: standard output
  -h, --help         this help

Exit status: 0 written, 1 bad input or no data (the message says what), 2 unexpected failure.`;

const { values, positionals } = parseCliArgs({
  allowPositionals: true,
  options: {
    survey: { type: "string" },
    labels: { type: "string" },
    format: { type: "string" },
    weights: { type: "boolean", default: false },
    by: { type: "string" },
    rows: { type: "string" },
    columns: { type: "string" },
    language: { type: "string", multiple: true },
    channel: { type: "string", multiple: true },
    location: { type: "string", multiple: true },
    use: { type: "string", multiple: true },
    from: { type: "string" },
    to: { type: "string" },
    bom: { type: "boolean", default: false },
    out: { type: "string" },
    ...LIBRARY_FLAG,
    help: { type: "boolean", short: "h" },
  },
});
// `npm run export -- … | head` closes standard output early: stop quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

/** The filter options, read by the one parser the results pages use. */
function filterFromOptions(): ResponseFilter {
  return cliOption(() =>
    parseFilterOptions(
      {
        language: values.language,
        channel: values.channel,
        location: values.location,
        use: values.use,
        from: values.from,
        to: values.to,
      },
      (field) => `--${field}`,
    ),
  );
}

/** Where the export goes: a file (or a file in a folder), or standard output. */
function destination(fileName: string): string | undefined {
  const out = values.out;
  if (!out) return undefined;
  return existsSync(out) && statSync(out).isDirectory() ? path.join(out, fileName) : out;
}

async function write(stream: Readable, target: string | undefined): Promise<void> {
  if (!target) {
    try {
      await pipeline(stream, process.stdout);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
    }
    return;
  }
  try {
    await pipeline(stream, createWriteStream(target));
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
}

function responseProgress(total: number) {
  if (total < 1000) return { tick() {}, stop() {} };
  const bar = progressBar("Exporting", "responses");
  bar.update(0, total);
  let done = 0;
  return {
    tick() {
      done++;
      if (done % 200 === 0 || done === total) bar.update(done, total);
    },
    stop: bar.stop,
  };
}

async function exportSurvey(db: Db, kind: Exclude<Kind, "gaps">): Promise<void> {
  const slug = values.survey;
  if (!slug) throw new UsageError(`${kind} needs --survey SLUG.`);
  if (values.labels !== undefined && !LANGUAGE_CODES.includes(values.labels)) {
    throw new UsageError(`--labels takes ${LANGUAGE_CODES.join(", ")} (got "${values.labels}").`);
  }
  const filter = filterFromOptions();
  const request: ExportRequest = {
    slug,
    language: values.labels ?? "en",
    labels: values.labels !== undefined,
    filter,
    weighting: values.weights ? {} : undefined,
    bom: values.bom,
  };
  const suppressBelow = loadConfig().suppressBelow;
  const format = values.format ?? "wide";
  if (kind !== "responses" && values.format !== undefined) {
    throw new UsageError("--format applies to responses only.");
  }
  // Read by the parser the results page uses for its `group`.
  const groupBy = cliOption(() => parseGroupBy(values.by, "by"));
  // Each export writes its one audit entry, as on the staff pages.
  const audited = <F extends { fileName: string }>(
    action: `export.${string}`,
    make: () => Promise<F>,
  ) =>
    auditedExport(
      db,
      commandLine(),
      { action, target: slug, survey: { filter, weighted: Boolean(request.weighting) } },
      make,
    );

  let file: ExportFile;
  switch (kind) {
    case "responses": {
      if (!["wide", "long", "r", "spss"].includes(format)) {
        throw new UsageError(`--format takes wide, long, r or spss (got "${format}").`);
      }
      if (format === "r" || format === "spss") {
        const csvFile = (await exportResponses(db, { ...request, labels: false })).fileName;
        const syntax = await audited("export.syntax", () =>
          exportSyntax(db, { ...request, syntax: format, csvFile }),
        );
        const target = destination(syntax.fileName);
        if (target) await writeFile(target, syntax.content);
        else process.stdout.write(syntax.content);
        if (target) console.error(`Wrote ${target} (reads ${csvFile}).`);
        return;
      }
      const total = await countMatchingResponses(db, queryFilter(slug, filter));
      const progress = responseProgress(total);
      file = await audited("export.responses", () =>
        exportResponses(db, {
          ...request,
          format: format as "wide" | "long",
          onResponse: progress.tick,
        }),
      );
      const target = destination(file.fileName);
      try {
        await write(file.stream, target);
      } finally {
        progress.stop();
      }
      if (target && format === "wide" && !request.labels) {
        const csvFile = path.basename(target);
        for (const syntax of ["r", "spss"] as const) {
          const text = await exportSyntax(db, { ...request, syntax, csvFile });
          await writeFile(path.join(path.dirname(target), text.fileName), text.content);
        }
      }
      if (target)
        console.error(
          `Wrote ${target}${format === "wide" && !request.labels ? " with its .R and .sps files" : ""}.`,
        );
      return;
    }
    case "codebook":
      file = await audited("export.codebook", () => exportCodebook(db, request));
      break;
    case "results":
      file = await audited("export.results", () =>
        exportResults(db, {
          ...request,
          groupBy,
          suppressBelow,
        }),
      );
      break;
    case "crosstab":
      file = await audited("export.crosstab", () =>
        exportCrossTab(db, {
          ...request,
          // Read by the parser the cross-tab page uses.
          rows: cliOption(() => parseCrossTabVariable(values.rows, "rows")),
          columns: cliOption(() => parseCrossTabVariable(values.columns, "columns")),
          suppressBelow,
        }),
      );
      break;
  }
  const target = destination(file.fileName);
  await write(file.stream, target);
  if (target) console.error(`Wrote ${target}.`);
}

async function exportGaps(db: Db): Promise<void> {
  let stream: Readable;
  try {
    ({ stream } = await auditedExport(
      db,
      commandLine(),
      { action: "export.gaps", target: null },
      async () => ({
        fileName: "usage-gaps.csv",
        stream: await gapsCsv(
          db,
          { by: commandLine(), suppressBelow: loadConfig().suppressBelow },
          { bom: values.bom },
        ),
      }),
    ));
  } catch (error) {
    if (error instanceof Conflict) {
      throw new Conflict(
        `no usage-gap analysis yet: import community and patron data first (${error.message})`,
      );
    }
    throw error;
  }
  const target = destination("usage-gaps.csv");
  await write(stream, target);
  if (target) console.error(`Wrote ${target}.`);
}

await runCli({ library: values.library }, async (db) => {
  const [kind, ...extra] = positionals;
  if (!kind || !KINDS.includes(kind as Kind) || extra.length > 0) {
    throw new UsageError(`Name one export: ${KINDS.join(", ")}.`);
  }
  if (values.out !== undefined) checkOutput("--out", values.out);
  if (kind === "gaps") await exportGaps(db);
  else await exportSurvey(db, kind as Exclude<Kind, "gaps">);
});
