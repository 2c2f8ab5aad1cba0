// The fieldwork guide of a survey (issue 18): GET /staff/surveys/:slug/fieldwork (.json, .csv),
// and the forms that set its targets and planned end date.
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Request, type Response, Router } from "express";
import { csvStream } from "../../csv-stream.ts";
import { InputError } from "../../errors.ts";
import { auditedExport } from "../../exports/audited-export.ts";
import { requireRole, webUser } from "../../middleware/auth.ts";
import { fieldworkReport } from "../../reports/fieldwork.ts";
import { fieldworkCharts, fieldworkCsvRows } from "../../reports/fieldwork-tables.ts";
import { responsesMap } from "../../reports/response-maps.ts";
import { setFieldworkEndDate, setFieldworkTargets } from "../../results/fieldwork-plan.ts";
import { parseTargetRequest } from "../../results/fieldwork-targets.ts";
import { chartScripts, flash, type StaffDeps } from "./pages.ts";

type SlugRequest = Request<{ slug: string }>;

export function fieldworkRoutes({ db, config }: StaffDeps): Router {
  const router = Router();
  const staff = requireRole("staff");
  const report = (slug: string) =>
    fieldworkReport(db, slug, { suppressBelow: config.suppressBelow });
  const page = (slug: string) => `/staff/surveys/${encodeURIComponent(slug)}/fieldwork`;

  router.get("/staff/surveys/:slug/fieldwork", staff, async (req: SlugRequest, res: Response) => {
    const model = await report(req.params.slug);
    res.render("staff/fieldwork", {
      pageTitle: `Fieldwork guide: ${model.title}`,
      model,
      slug: req.params.slug,
      responsesMap: await responsesMap(db, req.params.slug, config.suppressBelow),
      charts: fieldworkCharts(model),
      scripts: chartScripts(res),
    });
  });

  router.get(
    "/staff/surveys/:slug/fieldwork.json",
    staff,
    async (req: SlugRequest, res: Response) => {
      res.json(await report(req.params.slug));
    },
  );

  router.get(
    "/staff/surveys/:slug/fieldwork.csv",
    staff,
    async (req: SlugRequest, res: Response) => {
      const model = await report(req.params.slug);
      const file = await auditedExport(
        db,
        webUser(req),
        { action: "export.fieldwork", target: model.slug },
        async () => ({
          fileName: `${model.slug}_fieldwork_${model.asOf}.csv`,
          stream: csvStream(fieldworkCsvRows(model)) as Readable,
        }),
      );
      res.type("text/csv; charset=utf-8").attachment(file.fileName);
      await pipeline(file.stream, res);
    },
  );

  router.post(
    "/staff/surveys/:slug/fieldwork/targets",
    staff,
    async (req: SlugRequest, res: Response) => {
      const model = await report(req.params.slug);
      const body = req.body as Record<string, unknown>;
      const dimension = model.dimensions.find((d) => d.dimension === body.dimension);
      if (!dimension) {
        throw new InputError(`dimension: "${String(body.dimension)}" is not compared on this page`);
      }
      let request: ReturnType<typeof parseTargetRequest>;
      try {
        request = parseTargetRequest(
          body,
          dimension.categories.map((c) => c.category),
        );
      } catch (error) {
        if (error instanceof RangeError) throw new InputError(error.message);
        throw error;
      }
      const rows =
        request.mode === "clear"
          ? []
          : request.mode === "proportional"
            ? [{ category: null, target: request.total }]
            : request.targets;
      await setFieldworkTargets(
        db,
        { slug: model.slug, dimension: dimension.dimension, targets: rows, request },
        webUser(req),
      );
      flash(req, `Targets for ${dimension.label.toLowerCase()} saved.`);
      res.redirect(303, `${page(model.slug)}#targets-${dimension.dimension}`);
    },
  );

  router.post(
    "/staff/surveys/:slug/fieldwork/end-date",
    staff,
    async (req: SlugRequest, res: Response) => {
      const model = await report(req.params.slug);
      const value = String((req.body as Record<string, unknown>).endDate ?? "").trim();
      if (value !== "" && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))) {
        throw new InputError(`End date: give a date as YYYY-MM-DD (got "${value}")`);
      }
      await setFieldworkEndDate(db, model.slug, value || null, webUser(req));
      flash(req, value ? `Fieldwork planned to end on ${value}.` : "End date cleared.");
      res.redirect(303, page(model.slug));
    },
  );

  return router;
}
