// GET /staff/languages (.csv, .json): the language-access ranking from the census, beside the
// open surveys' languages and responses. ?geography= picks the level (tract, zcta, …).
import { pipeline } from "node:stream/promises";
import { type Request, type Response, Router } from "express";
import { auditedExport } from "../../exports/audited-export.ts";
import { requireRole, webUser } from "../../middleware/auth.ts";
import {
  languageAccessCsv,
  languageAccessReport,
  languageNames,
} from "../../reports/language-access.ts";
import type { StaffDeps } from "./pages.ts";

export function languageRoutes({ db, config }: StaffDeps): Router {
  const router = Router();
  const load = (req: Request) =>
    languageAccessReport(db, {
      suppressBelow: config.suppressBelow,
      geography: typeof req.query.geography === "string" ? req.query.geography : undefined,
    });

  router.get("/staff/languages", requireRole("staff"), async (req: Request, res: Response) => {
    res.render("staff/languages", {
      pageTitle: "Languages",
      report: await load(req),
      languageNames,
    });
  });

  router.get("/staff/languages.json", requireRole("staff"), async (req, res) => {
    const report = await load(req);
    if (!report) {
      res.status(409).json({ error: "No language table (ACS C16001 or B16001) is imported yet." });
      return;
    }
    res.json(report);
  });

  router.get("/staff/languages.csv", requireRole("staff"), async (req, res) => {
    const report = await load(req);
    if (!report) {
      res
        .status(409)
        .type("text/plain")
        .send("No language table (ACS C16001 or B16001) is imported yet.");
      return;
    }
    const file = await auditedExport(
      db,
      webUser(req),
      { action: "export.languages", target: null },
      async () => ({
        fileName: `language-access_${report.geography}.csv`,
        stream: languageAccessCsv(report),
      }),
    );
    res.type("text/csv; charset=utf-8").attachment(file.fileName);
    await pipeline(file.stream, res);
  });

  return router;
}
