// Builds the Express application; server/index.ts is the only place that listens.
import path from "node:path";
import compression from "compression";
import cookieParser from "cookie-parser";
import express, { type Express } from "express";
import helmet from "helmet";
import { createAssets } from "./assets.ts";
import { sessionMiddleware, withSessionCookie } from "./auth/session.ts";
import { type Config, ROOT_DIR } from "./config.ts";
import type { Db } from "./db.ts";
import { surveyjsStringsJson } from "./i18n/surveyjs-strings.ts";
import { createKiosks } from "./kiosk/setup.ts";
import { loadStaff } from "./middleware/auth.ts";
import { createCsrf } from "./middleware/csrf.ts";
import { errorHandler, notFound } from "./middleware/errors.ts";
import { locale } from "./middleware/locale.ts";
import { enableResponseCache } from "./reports/response-store.ts";
import { apiRouter } from "./routes/api.ts";
import { healthRouter } from "./routes/health.ts";
import { kioskRouter } from "./routes/kiosk.ts";
import { publicRouter } from "./routes/public.ts";
import { staffRouter } from "./routes/staff/index.ts";
import { isSafeLink } from "./safe-link.ts";

export interface AppOptions {
  db: Db;
  config: Config;
}

export function createApp({ db, config }: AppOptions): Express {
  const app = express();
  // Staff pages keep parsed responses and computed tables, checked against the database on use.
  if (config.resultsCacheResponses > 0) {
    enableResponseCache(db, { maxResponses: config.resultsCacheResponses });
  }
  // Express reads NODE_ENV itself for view caching and its fallback error page; use the config's.
  app.set("env", config.env);
  app.set("trust proxy", config.trustProxy);
  app.set("view engine", "ejs");
  app.set("views", path.join(ROOT_DIR, "views"));
  app.disable("x-powered-by");

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          // SurveyJS and Chart.js set element styles from script (CSSOM), never inline <style>.
          styleSrcAttr: ["'unsafe-inline'"],
          imgSrc: ["'self'", "data:"],
          connectSrc: ["'self'"],
          workerSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: config.env === "production" ? [] : null,
        },
      },
      // The survey page is meant to work over plain HTTP on a branch network too.
      strictTransportSecurity: config.env === "production",
    }),
  );
  app.use(compression());

  const assets = createAssets();
  app.locals.asset = assets.asset;
  app.locals.vendor = assets.vendor;
  app.locals.isSafeLink = isSafeLink;
  app.locals.surveyjsStringsJson = surveyjsStringsJson;
  app.use(assets.router);

  app.use(healthRouter(db));
  // Sessions only where staff log in, record responses or enrol a kiosk: public pages and the
  // kiosk's survey pages set no cookie (a kiosk keeps only its device cookie, set at enrolment).
  const csrf = createCsrf({
    secret: config.sessionSecret,
    cookieSecure: config.staff.cookieSecure,
  });
  const sessions = sessionMiddleware(db, {
    secret: config.sessionSecret,
    staff: config.staff,
    cleanup: config.env !== "test",
  });
  // Staff pages start sessions (the login form's); the API and kiosk pages only read one that a
  // staff login made, so requests there without the cookie (every public submission) skip it.
  app.use("/staff", sessions, cookieParser(), loadStaff(db));
  app.use(["/api", "/kiosk"], withSessionCookie(sessions), cookieParser(), loadStaff(db));
  const kiosks = createKiosks(db, config.kiosk);
  app.use(
    apiRouter(db, {
      submitRateLimit: config.submitRateLimit,
      // Staff channels (paper, event, interview) need a logged-in account and its CSRF token.
      isStaff: (req) => req.staff !== undefined && csrf.isValid(req),
      isKnownLocation: kiosks.isKnownLocation,
    }),
  );
  app.use(publicRouter(db));
  app.use(kioskRouter(db, kiosks, { cookieSecure: config.staff.cookieSecure }));
  app.use(staffRouter({ db, config, csrf }));

  app.use(locale, notFound);
  app.use(errorHandler);
  return app;
}
