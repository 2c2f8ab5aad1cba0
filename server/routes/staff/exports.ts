// Downloads (DESIGN.md): /staff/exports/:slug/responses.csv (analyst, admin), codebook.csv,
// results.csv, /staff/exports/gaps.csv, plus the long responses file, R and SPSS syntax and a
// cross-tab. ?lang= sets the language of labels. Every download is written to the audit log.
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Request, type Response, Router } from "express";
import type { Db } from "../../db.ts";
import { auditedExport } from "../../exports/audited-export.ts";
import { exportFileName } from "../../exports/file-name.ts";
import {
  type ExportRequest,
  exportCodebook,
  exportCrossTab,
  exportResponses,
  exportResults,
  exportSyntax,
} from "../../exports/survey-exports.ts";
import { LANGUAGES } from "../../i18n/languages.ts";
import { requireRole, webUser } from "../../middleware/auth.ts";
import type { Role } from "../../queries/staff-users.ts";
import { listSurveys } from "../../queries/surveys.ts";
import { scopeVersions } from "../../reports/survey-scope.ts";
import { gapsCsv, latestUsageGapReport } from "../../reports/usage-gaps.ts";
import {
  crossTabVariables,
  type ResultsQuery,
  resultsQuery,
  toFilter,
} from "../../results/results-query.ts";
import { localized } from "../../surveys/definition.ts";
import { type StaffDeps, staffSurvey } from "./pages.ts";

type SlugRequest = Request<{ slug: string }>;

/** The export options of a request: the results page's filters plus lang, labels, bom, weight. */
async function exportRequest(
  db: Db,
  req: SlugRequest,
): Promise<ExportRequest & { query: ResultsQuery }> {
  const survey = await staffSurvey(db, req.params.slug);
  const query = resultsQuery(req.query);
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
    action: `export.${string}`,
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
      const entry = {
        action,
        target: request.slug,
        survey: { filter: request.filter, weighted: Boolean(request.weighting) },
      };
      const file = await auditedExport(db, webUser(req), entry, () => make(request, req));
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
      groupBy: r.query.group,
    }),
  );
  download("/staff/exports/:slug/crosstab.csv", "staff", "export.crosstab", async (r, req) => {
    const { rows, columns } = crossTabVariables(req.query);
    return exportCrossTab(db, { ...r, rows, columns, suppressBelow: k });
  });

  router.get(
    "/staff/exports/gaps.csv",
    requireRole("staff"),
    async (req: Request, res: Response) => {
      const file = await auditedExport(
        db,
        webUser(req),
        { action: "export.gaps", target: null },
        async () => {
          const stream = await gapsCsv(
            db,
            { by: webUser(req), suppressBelow: k },
            { bom: req.query.bom === "1" },
          );
          const latest = await latestUsageGapReport(db);
          return { fileName: `usage-gaps_as-of-${latest?.asOf ?? "latest"}.csv`, stream };
        },
      );
      await send(res, file, "text/csv; charset=utf-8");
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
