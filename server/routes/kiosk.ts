// Kiosk mode: a tablet in a branch taking responses from one person after another, offline too.
import { readFileSync } from "node:fs";
import path from "node:path";
import express, { type NextFunction, type Request, type Response, Router } from "express";
import { type AugmentedRequest, ipKeyGenerator, rateLimit } from "express-rate-limit";
import { ROOT_DIR } from "../config.ts";
import type { Db } from "../db.ts";
import { enrolDevice, findEnrolledDevice } from "../kiosk/enrolment.ts";
import { findActiveLocation, listLocations } from "../kiosk/locations.ts";
import { acceptsKiosk, kioskClosedPage, kioskPage, kioskTiming } from "../kiosk/page.ts";
import { hasKioskPin, verifyKioskPin } from "../kiosk/pin.ts";
import type { Kiosks } from "../kiosk/setup.ts";
import { chooseLanguage, locale, setPageLanguage } from "../middleware/locale.ts";
import { minutesUntil } from "../middleware/login-limits.ts";
import { DatabaseRateStore } from "../middleware/rate-limit-store.ts";
import { type KioskDevice, noteDeviceShowing } from "../queries/kiosk-enrolment.ts";
import { isDefaultLibrary, type Library } from "../queries/libraries.ts";
import { listSurveys } from "../queries/surveys.ts";
import { libraryPath } from "../surveys/public-address.ts";
import { surveyView, takeableSurvey } from "../surveys/public-survey.ts";

export interface KioskRouterOptions {
  /** Wrong PIN attempts allowed per kiosk device in 15 minutes. */
  pinAttempts?: number;
  /** The device cookie's Secure flag, as for staff cookies ("auto": when the request is HTTPS). */
  cookieSecure?: boolean | "auto";
  /** The library whose kiosks these are. */
  library: Pick<Library, "id" | "slug">;
}

/** The enrolled device's token. Identifies the tablet, never the person using it. */
const DEVICE_COOKIE = "opendoor.kiosk";

/**
 * The device cookie of a library's kiosks. One tablet may serve several libraries of a consortium
 * (a shared building, a travelling tablet): each library enrols it separately and keeps its own
 * cookie, named after the library and sent only to its pages, so enrolling for one library
 * neither replaces nor reveals another's. The default library keeps the name and path it had.
 */
export function deviceCookie(library: Pick<Library, "id" | "slug">): {
  name: string;
  path: string;
} {
  return isDefaultLibrary(library)
    ? { name: DEVICE_COOKIE, path: "/" }
    : { name: `${DEVICE_COOKIE}.${library.slug}`, path: libraryPath(library) };
}

/** The longest a browser keeps a cookie (Chrome caps at 400 days); then the kiosk is enrolled again. */
const DEVICE_COOKIE_DAYS = 400;
const LIMIT_WINDOW_MS = 15 * 60_000;

/**
 * A form posted from another site must not enrol this browser (login-CSRF, for kiosks). Browsers
 * say where a request comes from in Sec-Fetch-Site; older ones only in Origin, which is "null"
 * under our no-referrer policy, so that cannot be told apart and is let through.
 */
function fromThisSite(req: Request): boolean {
  const site = req.get("sec-fetch-site");
  if (site) return site === "same-origin" || site === "none";
  const origin = req.get("origin");
  return !origin || origin === "null" || origin === `${req.protocol}://${req.get("host")}`;
}

const SERVICE_WORKER = path.join(ROOT_DIR, "public", "sw.js");

/** An error page with a specific message (the shared handler shows a generic text for 404s). */
function explain(res: Response, status: number, message: string): void {
  res.status(status).render("errors/error", { status, message });
}

export function kioskRouter(db: Db, kiosks: Kiosks, options: KioskRouterOptions): Router {
  const router = Router();
  const serviceWorker = readFileSync(SERVICE_WORKER);
  const cookie = deviceCookie(options.library);
  /** Where this request's pages are: "" or /l/<slug> (/l/default too), so links stay in it. */
  const baseOf = (res: Response) => (res.locals.libraryBase as string | undefined) ?? "";

  const kiosksReady = async (_req: Request, _res: Response, next: NextFunction) => {
    await kiosks.ready();
    next();
  };

  /** Loads the enrolled device of this browser, if any, into res.locals.kioskDevice. */
  const device = async (req: Request, res: Response, next: NextFunction) => {
    const token = (req.cookies as Record<string, string> | undefined)?.[cookie.name];
    res.locals.kioskDevice = await findEnrolledDevice(db, token);
    next();
  };
  const deviceOf = (res: Response) => res.locals.kioskDevice as KioskDevice | undefined;

  // Served from the library's /kiosk/ so that its scope covers every kiosk page of that library
  // (and only those); never cached, so updates apply.
  router.get("/kiosk/sw.js", (_req: Request, res: Response) => {
    res
      .type("text/javascript")
      .set("Cache-Control", "no-cache")
      .set("Service-Worker-Allowed", `${baseOf(res)}/kiosk/`)
      .send(serviceWorker);
  });

  // Where staff land after leaving kiosk mode: kiosk links and this device's waiting responses.
  // Only an enrolled device sees the links; anyone else is asked for an enrolment code, and a
  // logged-in staff member can enrol the device with one button.
  async function renderSetup(req: Request, res: Response, status = 200, error?: string) {
    const lang = res.locals.lang as string;
    const enrolled = deviceOf(res);
    const [locations, surveys] = enrolled
      ? await Promise.all([
          listLocations(db),
          listSurveys(db, { status: "open", audience: "public" }),
        ])
      : [[], []];
    res.set("Cache-Control", "no-store");
    res.status(status).render("kiosk/setup", {
      enrolled,
      staffEmail: req.staff?.email,
      error,
      locations,
      surveys: surveys.filter(acceptsKiosk).map((s) => surveyView(s, lang)),
    });
  }

  router.get("/kiosk", kiosksReady, locale, device, (req: Request, res: Response) =>
    renderSetup(req, res),
  );

  const enrolLimiter = rateLimit({
    windowMs: LIMIT_WINDOW_MS,
    limit: 10,
    skipSuccessfulRequests: true,
    store: new DatabaseRateStore(db, "kiosk-enrol:"),
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ""),
    handler: (req, res) => {
      const t = res.locals.t as (key: string, params?: Record<string, number>) => string;
      const minutes = minutesUntil((req as AugmentedRequest).rateLimit?.resetTime);
      return renderSetup(req, res, 429, t("kiosk.enrol.tooMany", { minutes }));
    },
  });

  router.post(
    "/kiosk/enrol",
    locale,
    device,
    express.urlencoded({ extended: false, limit: "2kb" }),
    enrolLimiter,
    async (req: Request, res: Response) => {
      const t = res.locals.t as (key: string) => string;
      if (!fromThisSite(req)) return renderSetup(req, res, 403, t("kiosk.enrol.wrongCode"));
      const code = typeof req.body?.code === "string" ? req.body.code : "";
      const enrolled = req.staff
        ? await enrolDevice(db, { staff: { id: req.staff.id, email: req.staff.email } })
        : await enrolDevice(db, { code });
      if (!enrolled) return renderSetup(req, res, 403, t("kiosk.enrol.wrongCode"));
      const secure = options.cookieSecure === "auto" ? req.secure : (options.cookieSecure ?? false);
      res.cookie(cookie.name, enrolled.token, {
        httpOnly: true,
        sameSite: "lax",
        secure,
        path: cookie.path,
        maxAge: DEVICE_COOKIE_DAYS * 86_400_000,
      });
      const lang = encodeURIComponent(res.locals.lang as string);
      res.redirect(303, `${baseOf(res)}/kiosk?lang=${lang}`);
    },
  );

  router.get(
    "/kiosk/:slug",
    kiosksReady,
    locale,
    device,
    async (req: Request<{ slug: string }>, res: Response) => {
      const device = deviceOf(res);
      if (!device)
        return explain(
          res,
          403,
          (res.locals.t as (key: string, params: Record<string, string>) => string)(
            "kiosk.error.notEnrolled",
            { setup: `${baseOf(res)}/kiosk` },
          ),
        );
      const survey = await takeableSurvey(db, req.params.slug);
      const lang = chooseLanguage(req, survey.languages);
      setPageLanguage(res, lang, survey.languages);
      const t = res.locals.t as (key: string, params?: Record<string, string>) => string;
      // A closed survey keeps the tablet in kiosk mode on a friendly screen that checks again
      // every minute, instead of an error page with links out of the kiosk.
      if (survey.status !== "open") {
        res.set("Cache-Control", "no-cache");
        return res.status(410).render("kiosk/closed", { closed: kioskClosedPage(survey, lang) });
      }
      if (!acceptsKiosk(survey)) return explain(res, 404, t("kiosk.error.notOnKiosk"));
      const locationId = typeof req.query.location === "string" ? req.query.location : "";
      if (!locationId) return explain(res, 400, t("kiosk.error.noLocation"));
      const location = await findActiveLocation(db, locationId);
      if (!location) {
        const id = locationId.slice(0, 100);
        return explain(res, 404, t("kiosk.error.unknownLocation", { id }));
      }
      await noteDeviceShowing(db, device.id, survey.slug, location.id);
      const timing = kioskTiming(req.query, kiosks.config);
      res.set("Cache-Control", "no-cache");
      res.render("kiosk/kiosk", {
        kiosk: kioskPage(survey, location, timing, lang, baseOf(res)),
      });
    },
  );

  // Counted per kiosk device, not per address: one mistyping tablet must not lock out every kiosk
  // behind the library's shared public address. Only enrolled devices may try at all.
  const pinLimiter = rateLimit({
    windowMs: LIMIT_WINDOW_MS,
    limit: options.pinAttempts ?? 10,
    skipSuccessfulRequests: true,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    store: new DatabaseRateStore(db, "kiosk-pin:"),
    keyGenerator: (_req, res) => deviceOf(res)?.id ?? "",
    handler: (req, res) => {
      const minutes = minutesUntil((req as AugmentedRequest).rateLimit?.resetTime);
      res.status(429).json({
        error: `Too many PIN attempts on this kiosk; try again in ${minutes} minutes`,
        details: [],
        retryAfterMinutes: minutes,
      });
    },
  });

  const fail = (res: Response, status: number, error: string) =>
    res.status(status).json({ error, details: [] });

  // Leaving kiosk mode. JSON only: a cross-site form cannot post JSON without a CORS preflight.
  router.post(
    "/kiosk/exit",
    locale,
    device,
    (req: Request, res: Response, next: NextFunction) => {
      if (!deviceOf(res)) fail(res, 401, "This device is not set up as a kiosk");
      else if (!req.is("application/json")) fail(res, 415, "Send the PIN as JSON");
      else next();
    },
    pinLimiter,
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
