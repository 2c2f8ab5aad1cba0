// Kiosk mode: a tablet in a branch taking responses from one person after another, offline too.
import { readFileSync } from "node:fs";
import path from "node:path";
import express, { type NextFunction, type Request, type Response, Router } from "express";
import { rateLimit } from "express-rate-limit";
import { ROOT_DIR } from "../config.ts";
import type { Db } from "../db.ts";
import { HttpError } from "../errors.ts";
import { findActiveLocation, listLocations } from "../kiosk/locations.ts";
import { acceptsKiosk, kioskPage, kioskTiming } from "../kiosk/page.ts";
import { hasKioskPin, verifyKioskPin } from "../kiosk/pin.ts";
import type { Kiosks } from "../kiosk/setup.ts";
import { chooseLanguage, locale, setPageLanguage } from "../middleware/locale.ts";
import { listSurveys } from "../queries/surveys.ts";
import { surveyView, takeableSurvey } from "../surveys/public-survey.ts";

export interface KioskRouterOptions {
  /** Wrong PIN attempts allowed per address in 15 minutes. */
  pinAttempts?: number;
}

const SERVICE_WORKER = path.join(ROOT_DIR, "public", "sw.js");

/** An error page with a specific message (the shared handler shows a generic text for 404s). */
function explain(res: Response, status: number, message: string): void {
  res.status(status).render("errors/error", { status, message });
}

export function kioskRouter(db: Db, kiosks: Kiosks, options: KioskRouterOptions = {}): Router {
  const router = Router();
  const serviceWorker = readFileSync(SERVICE_WORKER);

  const kiosksReady = async (_req: Request, _res: Response, next: NextFunction) => {
    await kiosks.ready();
    next();
  };

  // Served from /kiosk/ so that its scope covers every kiosk page; never cached, so updates apply.
  router.get("/kiosk/sw.js", (_req: Request, res: Response) => {
    res
      .type("text/javascript")
      .set("Cache-Control", "no-cache")
      .set("Service-Worker-Allowed", "/kiosk/")
      .send(serviceWorker);
  });

  // Where staff land after leaving kiosk mode: kiosk links and this device's waiting responses.
  router.get("/kiosk", kiosksReady, locale, async (_req: Request, res: Response) => {
    const lang = res.locals.lang as string;
    const [locations, surveys] = await Promise.all([
      listLocations(db),
      listSurveys(db, { status: "open", audience: "public" }),
    ]);
    res.render("kiosk/setup", {
      locations,
      surveys: surveys.filter(acceptsKiosk).map((s) => surveyView(s, lang)),
    });
  });

  router.get(
    "/kiosk/:slug",
    kiosksReady,
    locale,
    async (req: Request<{ slug: string }>, res: Response) => {
      const survey = await takeableSurvey(db, req.params.slug);
      const lang = chooseLanguage(req, survey.languages);
      setPageLanguage(res, lang, survey.languages);
      const t = res.locals.t as (key: string, params?: Record<string, string>) => string;
      if (survey.status !== "open")
        throw new HttpError(410, "This survey is closed", undefined, "error.surveyClosed");
      if (!acceptsKiosk(survey)) return explain(res, 404, t("kiosk.error.notOnKiosk"));
      const locationId = typeof req.query.location === "string" ? req.query.location : "";
      if (!locationId) return explain(res, 400, t("kiosk.error.noLocation"));
      const location = await findActiveLocation(db, locationId);
      if (!location) {
        const id = locationId.slice(0, 100);
        return explain(res, 404, t("kiosk.error.unknownLocation", { id }));
      }
      const timing = kioskTiming(req.query, kiosks.config);
      res.set("Cache-Control", "no-cache");
      res.render("kiosk/kiosk", { kiosk: kioskPage(survey, location, timing, lang) });
    },
  );

  const pinLimiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: options.pinAttempts ?? 10,
    skipSuccessfulRequests: true,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    message: { error: "Too many PIN attempts; wait a few minutes", details: [] },
  });

  const fail = (res: Response, status: number, error: string) =>
    res.status(status).json({ error, details: [] });

  // Leaving kiosk mode. JSON only: a cross-site form cannot post JSON without a CORS preflight.
  router.post(
    "/kiosk/exit",
    locale,
    pinLimiter,
    (req: Request, res: Response, next: NextFunction) => {
      if (!req.is("application/json")) fail(res, 415, "Send the PIN as JSON");
      else next();
    },
    express.json({ limit: "1kb" }),
    kiosksReady,
    async (req: Request, res: Response) => {
      const pin = typeof req.body?.pin === "string" ? req.body.pin : "";
      if (!(await hasKioskPin(db)))
        fail(res, 409, "No kiosk exit PIN has been set; an administrator must set one");
      else if (!(await verifyKioskPin(db, pin))) fail(res, 403, "That PIN is not right");
      else res.json({ ok: true });
    },
  );

  return router;
}
