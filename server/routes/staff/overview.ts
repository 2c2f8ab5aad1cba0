// GET /staff: the overview, with the getting-started checklist until every step is done.
import { type Request, type Response, Router } from "express";
import { requireRole } from "../../middleware/auth.ts";
import { buildChecklist } from "../../reports/getting-started.ts";
import { buildOverview } from "../../reports/overview.ts";
import { chartScripts, type StaffDeps } from "./pages.ts";

export function overviewRoutes({ db, config }: StaffDeps): Router {
  const router = Router();
  router.get("/staff", requireRole("staff"), async (_req: Request, res: Response) => {
    const overview = await buildOverview(db, { suppressBelow: config.suppressBelow });
    res.render("staff/overview", {
      pageTitle: "Overview",
      overview,
      checklist: await buildChecklist(db),
      scripts: chartScripts(res),
    });
  });
  return router;
}
