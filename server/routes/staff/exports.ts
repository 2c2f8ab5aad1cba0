// Downloads (DESIGN.md): /staff/exports/:slug/responses.csv (analyst, admin), codebook.csv,
// results.csv, /staff/exports/gaps.csv, plus the long responses file, R and SPSS syntax and a
// cross-tab. ?lang= sets the language of labels. Every download is written to the audit log.
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Request, type Response, Router } from "express";
import type { Role } from "../../auth/roles.ts";
import type { Db } from "../../db.ts";
import { HttpError } from "../../errors.ts";
import { describeFilter, exportFileName } from "../../exports/file-name.ts";
import {
  type ExportRequest,
  exportCodebook,
  exportCrossTab,
  exportResponses,
  exportResults,
  exportSyntax,
} from "../../exports/survey-exports.ts";
import { LANGUAGES } from "../../i18n/languages.ts";
import { actorOf, requireRole } from "../../middleware/auth.ts";
import { appendAudit } from "../../queries/audit-log.ts";
import { listSurveys } from "../../queries/surveys.ts";
import { loadResultsSurvey, scopeVersions } from "../../reports/survey-results.ts";
import { gapsCsv, latestUsageGapReport } from "../../reports/usage-gaps.ts";
import { GROUP_DIMENSIONS, type GroupDimension } from "../../results/groups.ts";
import { localized } from "../../surveys/definition.ts";
import type { StaffDeps } from "./index.ts";
import { parseVariable, type ResultsQuery, resultsQuery, toFilter } from "./results.ts";
import { staffSurvey } from "./surveys.ts";

type SlugRequest = Request<{ slug: string }>;

/** The export options of a request: the results page's filters plus lang, labels, bom, weight. */
async function exportRequest(
  db: Db,
  req: SlugRequest,
): Promise<ExportRequest & { query: ResultsQuery }> {
  const survey = await staffSurvey(db, req.params.slug);
  const query = resultsQuery(req);
  const lang = typeof req.query.lang === "string" ? req.query.lang : (query.labels ?? "en");
  return {
    slug: survey.slug,
    language: survey.languages.includes(lang) ? lang : "en",
    labels: req.query.labels === "1",
    bom: req.query.bom === "1",
    filter: toFilter(query),
    weighting: query.weight ? {} : undefined,
    query,
  };
}

async function send(
  res: Response,
  file: { fileName: string; stream?: Readable; content?: string },
  type: string,
): Promise<void> {
  res.type(type).attachment(file.fileName);
  res.set("Cache-Control", "no-store");
  if (file.content !== undefined) {
    res.send(file.content);
    return;
  }
  if (!file.stream) return;
  const sent = pipeline(file.stream, res);
  // The compressor (Brotli for browsers) holds megabytes before its first output, so a large
  // export's first byte waited for a fifth of the file: flush once after the first chunk.
  file.stream.once("data", () => setImmediate(() => (res as { flush?: () => void }).flush?.()));
  await sent;
}

export function exportRoutes({ db, config }: StaffDeps): Router {
  const router = Router();
  const k = config.suppressBelow;

  /** Registers a download for a survey: its role, what it makes, and what the audit log says. */
  function download(
    path: string,
    role: Role,
    action: string,
    make: (
      request: ExportRequest & { query: ResultsQuery },
      req: SlugRequest,
    ) => Promise<{
      fileName: string;
      stream?: Readable;
      content?: string;
    }>,
    type = "text/csv; charset=utf-8",
  ) {
    router.get(path, requireRole(role), async (req: SlugRequest, res: Response) => {
      const request = await exportRequest(db, req);
      const file = await make(request, req);
      await appendAudit(db, {
        actor: actorOf(req),
        action,
        target: request.slug,
        details: {
          file: file.fileName,
          filters: describeFilter(request.filter) || "none",
          weighted: Boolean(request.weighting),
        },
      });
      await send(res, file, type);
    });
  }

  download("/staff/exports/:slug/responses.csv", "analyst", "export.responses", (r) =>
    exportResponses(db, { ...r, format: "wide" }),
  );
  download("/staff/exports/:slug/responses-long.csv", "analyst", "export.responses", (r) =>
    exportResponses(db, { ...r, format: "long" }),
  );
  /** The name of the wide responses file (codes) the syntax file reads. */
  const wideCsvName = async (r: ExportRequest) =>
    exportFileName({
      slug: r.slug,
      versions: await scopeVersions(db, { slug: r.slug, filter: r.filter }),
      kind: "responses-wide",
      weighted: Boolean(r.weighting),
      filter: r.filter,
      extension: "csv",
    });
  for (const [extension, syntax] of [
    ["R", "r"],
    ["sps", "spss"],
  ] as const) {
    download(
      `/staff/exports/:slug/responses.${extension}`,
      "analyst",
      "export.syntax",
      async (r) => exportSyntax(db, { ...r, syntax, csvFile: await wideCsvName(r) }),
      "text/plain; charset=utf-8",
    );
  }
  download("/staff/exports/:slug/codebook.csv", "staff", "export.codebook", (r) =>
    exportCodebook(db, r),
  );
  download("/staff/exports/:slug/results.csv", "staff", "export.results", (r) =>
    exportResults(db, {
      ...r,
      suppressBelow: k,
      groupBy: (GROUP_DIMENSIONS as readonly string[]).includes(r.query.group ?? "")
        ? (r.query.group as GroupDimension)
        : undefined,
    }),
  );
  download("/staff/exports/:slug/crosstab.csv", "staff", "export.crosstab", async (r, req) => {
    const { codebook } = await loadResultsSurvey(db, r.slug, r.language);
    const rows = parseVariable(req.query.rows, codebook);
    const columns = parseVariable(req.query.cols, codebook);
    if (!rows || !columns) throw new HttpError(400, "rows and cols: choose two variables");
    return exportCrossTab(db, { ...r, rows, columns, suppressBelow: k });
  });

  router.get(
    "/staff/exports/gaps.csv",
    requireRole("staff"),
    async (req: Request, res: Response) => {
      const stream = await gapsCsv(db, { suppressBelow: k }, { bom: req.query.bom === "1" });
      const latest = await latestUsageGapReport(db);
      const fileName = `usage-gaps_as-of-${latest?.asOf ?? "latest"}.csv`;
      await appendAudit(db, {
        actor: actorOf(req),
        action: "export.gaps",
        details: { file: fileName },
      });
      await send(res, { fileName, stream }, "text/csv; charset=utf-8");
    },
  );

  router.get("/staff/exports", requireRole("staff"), async (_req: Request, res: Response) => {
    const surveys = await listSurveys(db);
    res.render("staff/exports", {
      pageTitle: "Exports",
      surveys: surveys.map((s) => ({
        slug: s.slug,
        title: localized(s.definition.title, "en") || s.slug,
        languages: LANGUAGES.filter((l) => s.languages.includes(l.code)),
      })),
      hasGaps: (await latestUsageGapReport(db)) !== null,
    });
  });

  return router;
}
