// GET /staff/maps/:measure.svg | .png | .csv: the maps as files (SVG for the web, PNG for board
// reports, the area table with GEOIDs as CSV): penetration and non-users from the latest
// usage-gap analysis; responses per 1,000 residents of ?survey=SLUG (every response). Staff;
// every download is audited.
import { type Request, type Response, Router } from "express";
import { InputError, NotFound } from "../../errors.ts";
import { auditedExport } from "../../exports/audited-export.ts";
import { mapPng } from "../../maps/map-png.ts";
import { requireRole, webUser } from "../../middleware/auth.ts";
import { GAP_MAP_MEASURES, gapMap, gapMapCsv, isGapMapMeasure } from "../../reports/gap-maps.ts";
import { responsesMap, responsesMapCsv } from "../../reports/response-maps.ts";
import { latestUsageGapReport } from "../../reports/usage-gaps.ts";
import type { StaffDeps } from "./pages.ts";

const TYPES = {
  svg: "image/svg+xml; charset=utf-8",
  png: "image/png",
  csv: "text/csv; charset=utf-8",
} as const;

export function mapRoutes({ db, config }: StaffDeps): Router {
  const router = Router();

  router.get("/staff/maps/:file", requireRole("staff"), async (req: Request, res: Response) => {
    const match = /^([a-z-]+)\.(svg|png|csv)$/.exec(String(req.params.file));
    const [, measure = "", format = ""] = match ?? [];
    if (!(isGapMapMeasure(measure) || measure === "responses") || !(format in TYPES)) {
      throw new NotFound(
        `There is no such map: maps are ${[...GAP_MAP_MEASURES, "responses"].map((m) => `${m}.svg`).join(", ")} (or .png, .csv)`,
      );
    }
    let svg: string;
    let csv: () => string;
    let fileName: string;
    if (measure === "responses") {
      const slug = typeof req.query.survey === "string" ? req.query.survey : "";
      if (!slug) throw new InputError("Say which survey: ?survey=SLUG");
      const map = await responsesMap(db, slug, config.suppressBelow);
      if (!map) {
        throw new NotFound(
          "No map: the survey needs a ZIP code question, ZIP code census data and their boundaries",
        );
      }
      svg = map.rendered.svg;
      csv = () => responsesMapCsv(map);
      fileName = `map-responses_${slug}.${format}`;
    } else {
      const report = await latestUsageGapReport(db);
      if (!report) throw new NotFound("No usage-gap analysis has been run yet");
      const map = await gapMap(db, report, measure);
      if (!map) {
        throw new NotFound("No area of the analysis has a boundary: import boundaries first");
      }
      svg = map.rendered.svg;
      csv = () => gapMapCsv(report, map);
      fileName = `map-${measure}_as-of-${report.asOf}.${format}`;
    }
    await auditedExport(db, webUser(req), { action: "export.map", target: null }, async () => ({
      fileName,
    }));
    res.type(TYPES[format as keyof typeof TYPES]);
    res.set("Cache-Control", "no-store");
    if (format !== "svg" || req.query.download === "1") res.attachment(fileName);
    if (format === "svg") res.send(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`);
    else if (format === "png") res.send(mapPng(svg));
    else res.send(csv());
  });

  return router;
}
