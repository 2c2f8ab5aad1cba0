// GET /staff/gaps: the latest usage-gap analysis; POST /staff/gaps/run: a new run on the latest
// imports (saved, so the next one shows the change since).
import { type Request, type Response, Router } from "express";
import { Conflict } from "../../errors.ts";
import { requireRole, webUser } from "../../middleware/auth.ts";
import { gapMap } from "../../reports/gap-maps.ts";
import { gapsPage } from "../../reports/gaps-page.ts";
import { latestUsageGapReport, runUsageGapAnalysis } from "../../reports/usage-gaps.ts";
import { chartScripts, flash, type StaffDeps } from "./pages.ts";

export function gapsRoutes({ db, config }: StaffDeps): Router {
  const router = Router();

  router.get("/staff/gaps", requireRole("staff"), async (req: Request, res: Response) => {
    const report = await latestUsageGapReport(db);
    res.render("staff/gaps", {
      pageTitle: "Usage gaps",
      model: report ? gapsPage(report) : null,
      map: report
        ? await gapMap(db, report, req.query.map === "non-users" ? "non-users" : "penetration")
        : null,
      scripts: chartScripts(res),
    });
  });

  router.post("/staff/gaps/run", requireRole("staff"), async (req: Request, res: Response) => {
    try {
      const report = await runUsageGapAnalysis(db, {
        suppressBelow: config.suppressBelow,
        by: webUser(req),
      });
      flash(req, `Analysis run on the patron export as of ${report.asOf}.`);
      res.redirect(303, "/staff/gaps");
    } catch (error) {
      // No census data or no patron export yet: say so on the page.
      if (!(error instanceof Conflict)) throw error;
      res.status(409).render("staff/gaps", {
        pageTitle: "Usage gaps",
        model: null,
        problem: error.message,
        scripts: [],
      });
    }
  });

  return router;
}
