// The staff pages: every route here is behind a login and a role (see test/staff/authorization).
import express, { type NextFunction, type Request, type Response, Router } from "express";
import { NotFound } from "../../errors.ts";
import { accountRoutes } from "./account.ts";
import { auditRoutes } from "./audit.ts";
import { consortiumRoutes } from "./consortium.ts";
import { demoMarker, demoRoutes } from "./demo.ts";
import { exportRoutes } from "./exports.ts";
import { fieldworkRoutes } from "./fieldwork.ts";
import { gapsRoutes } from "./gaps.ts";
import { importRoutes } from "./imports.ts";
import { kioskRoutes } from "./kiosks.ts";
import { languageRoutes } from "./languages.ts";
import { libraryRoutes } from "./libraries.ts";
import { mapRoutes } from "./maps.ts";
import { overviewRoutes } from "./overview.ts";
import { type StaffDeps, staffLocals } from "./pages.ts";
import { resultsRoutes } from "./results.ts";
import { rubricRoutes } from "./rubric.ts";
import { surveyRoutes } from "./surveys.ts";
import { translationRoutes } from "./translations.ts";
import { userRoutes } from "./users.ts";

export function staffRouter(deps: StaffDeps): Router {
  const router = Router();
  // Order matters: session, cookies and the account are loaded in app.ts; then forms are parsed,
  // views get a CSRF token, unsafe requests without a valid one are refused.
  router.use(
    "/staff",
    express.urlencoded({ extended: false, limit: "200kb" }),
    deps.csrf.expose,
    deps.csrf.protect,
    staffLocals(deps.config.suppressBelow),
    demoMarker(deps),
  );
  router.use(accountRoutes(deps));
  router.use(consortiumRoutes(deps));
  router.use(libraryRoutes(deps));
  router.use(overviewRoutes(deps));
  router.use(surveyRoutes(deps));
  router.use(fieldworkRoutes(deps));
  router.use(resultsRoutes(deps));
  router.use(gapsRoutes(deps));
  router.use(mapRoutes(deps));
  router.use(translationRoutes(deps));
  router.use(languageRoutes(deps));
  router.use(exportRoutes(deps));
  router.use(importRoutes(deps));
  router.use(kioskRoutes(deps));
  router.use(rubricRoutes(deps));
  router.use(userRoutes(deps));
  router.use(auditRoutes(deps));
  router.use(demoRoutes(deps));
  router.use("/staff", (_req: Request, _res: Response, next: NextFunction) =>
    next(new NotFound("There is no such staff page")),
  );
  return router;
}
