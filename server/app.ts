// Builds the Express application; server/index.ts is the only place that listens.
import path from "node:path";
import compression from "compression";
import cookieParser from "cookie-parser";
import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  Router,
} from "express";
import helmet from "helmet";
import { createAssets } from "./assets.ts";
import { sessionMiddleware, withSessionCookie } from "./auth/session.ts";
import { type Config, ROOT_DIR } from "./config.ts";
import type { Db } from "./db.ts";
import { surveyjsStringsJson } from "./i18n/surveyjs-strings.ts";
import { createKiosks } from "./kiosk/setup.ts";
import { LibraryDatabases } from "./libraries/library-databases.ts";
import { loadStaff } from "./middleware/auth.ts";
import { createCsrf } from "./middleware/csrf.ts";
import { errorHandler, notFound } from "./middleware/errors.ts";
import { libraryFromUrl, staffLibrary, useDefaultLibrary } from "./middleware/library.ts";
import { locale } from "./middleware/locale.ts";
import { isDefaultLibrary, type Library } from "./queries/libraries.ts";
import { enableResponseCache, responseBudget } from "./reports/response-store.ts";
import { apiRouter } from "./routes/api.ts";
import { healthRouter } from "./routes/health.ts";
import { kioskRouter } from "./routes/kiosk.ts";
import { publicRouter } from "./routes/public.ts";
import { staffRouter } from "./routes/staff/index.ts";
import { isSafeLink } from "./safe-link.ts";

/** A library's pages, on its own database. */
export interface LibrarySite {
  publicPages: Router;
  staffPages: Router;
}

export interface AppOptions {
  db: Db;
  config: Config;
}

export function createApp({ db, config }: AppOptions): Express {
  const app = express();
  // Staff pages keep parsed responses and computed tables, checked against the database on use;
  // every library's handle draws on one budget, so the memory bound is the process's.
  const budget =
    config.resultsCacheResponses > 0
      ? responseBudget({ maxResponses: config.resultsCacheResponses })
      : undefined;
  if (budget) enableResponseCache(db, budget);
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
  const libraries = new LibraryDatabases(db, config.database, (libraryDb) => {
    if (budget) enableResponseCache(libraryDb, budget);
  });
  app.locals.libraries = libraries;

  // Each library's pages, built once on its own database: what a library's routes can reach is
  // fixed by the handle they are built with, not by a filter each query must remember.
  const sites = new Map<number, Promise<LibrarySite>>();
  const siteOf = (library: Library): Promise<LibrarySite> => {
    let site = sites.get(library.id);
    if (!site) {
      site = libraries.db(library).then((libraryDb) => {
        const kiosks = createKiosks(libraryDb, config.kiosk, isDefaultLibrary(library));
        const publicPages = Router();
        publicPages.use(
          apiRouter(libraryDb, {
            submitRateLimit: config.submitRateLimit,
            rateLimitDb: db,
            // Staff channels (paper, event, interview) need a logged-in account and its CSRF token.
            isStaff: (req) => req.staff !== undefined && csrf.isValid(req),
            isKnownLocation: kiosks.isKnownLocation,
          }),
        );
        publicPages.use(publicRouter(libraryDb));
        publicPages.use(
          kioskRouter(libraryDb, kiosks, { cookieSecure: config.staff.cookieSecure, library }),
        );
        const staffPages = staffRouter({
          db: libraryDb,
          instance: db,
          library,
          libraries,
          config,
          csrf,
        });
        return { publicPages, staffPages };
      });
      sites.set(library.id, site);
      site.catch(() => sites.delete(library.id));
    }
    return site;
  };
  // The route walk tests read each library's routes here.
  app.locals.librarySite = siteOf;
  const publicPages: RequestHandler = async (req, res, next) => {
    (await siteOf(req.library)).publicPages(req, res, next);
  };

  // Staff pages start sessions (the login form's); the API and kiosk pages only read one that a
  // staff login made, so requests there without the cookie (every public submission) skip it.
  app.use("/staff", sessions, cookieParser(), staffLibrary(db), loadStaff(db));
  app.use(
    "/l/:library",
    withSessionCookie(sessions),
    cookieParser(),
    libraryFromUrl(db),
    loadStaff(db),
    publicPages,
  );
  app.use(
    ["/api", "/kiosk"],
    withSessionCookie(sessions),
    cookieParser(),
    libraryFromUrl(db),
    loadStaff(db),
  );
  // The unprefixed URLs are the default library's (and /staff the session's library).
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    if (!req.library) await useDefaultLibrary(db, req, res);
    const site = await siteOf(req.library);
    const staffPath = req.path === "/staff" || req.path.startsWith("/staff/");
    (staffPath ? site.staffPages : site.publicPages)(req, res, next);
  });

  app.use(locale, notFound);
  app.use(errorHandler);
  return app;
}
