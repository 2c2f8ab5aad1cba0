// The demo marker on every staff page, and GET /staff/demo + POST /staff/demo/remove: what the
// demo holds and the admin's button that removes it (asked twice, audit-logged).
import type { NextFunction, Request, Response } from "express";
import { Router } from "express";
import { InputError } from "../../errors.ts";
import { removeDemoData } from "../../imports/demo.ts";
import { DEMO_COUNTY_NAME } from "../../imports/demo-data.ts";
import { actorOf, requireRole } from "../../middleware/auth.ts";
import { countDemoRows, hasDemoRows } from "../../queries/demo.ts";
import { flash, type StaffDeps } from "./pages.ts";

/** Sets res.locals.demo (the county's name) on logged-in pages while demo rows are stored. */
export function demoMarker({ db }: StaffDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    res.locals.demo = req.staff && (await hasDemoRows(db)) ? DEMO_COUNTY_NAME : null;
    next();
  };
}

export function demoRoutes({ db }: StaffDeps): Router {
  const router = Router();

  router.get("/staff/demo", requireRole("admin"), async (_req: Request, res: Response) => {
    res.render("staff/demo", {
      pageTitle: "Demo data",
      counts: await countDemoRows(db),
      county: DEMO_COUNTY_NAME,
    });
  });

  router.post("/staff/demo/remove", requireRole("admin"), async (req: Request, res: Response) => {
    if (req.body?.confirm !== "remove") {
      throw new InputError('Tick "Yes, remove all demo data" to remove it');
    }
    const removed = await removeDemoData(db, { actor: actorOf(req), via: "web" });
    flash(
      req,
      `Demo data removed: ${removed.imports} imports, ${removed.responses} survey responses, ${removed.assessments} self-assessments and ${removed.analyses} ${removed.analyses === 1 ? "analysis" : "analyses"}. Your own data was not touched. Next: import your census tables.`,
    );
    res.redirect(303, "/staff");
  });

  return router;
}
