// The public JSON API: survey definitions and response submission.
import express, { type NextFunction, type Request, type Response, Router } from "express";
import { rateLimit } from "express-rate-limit";
import type { Db } from "../db.ts";
import { HttpError, MethodNotAllowed } from "../errors.ts";
import { DatabaseRateStore } from "../middleware/rate-limit-store.ts";
import { clientDefinition, takeableSurvey } from "../surveys/public-survey.ts";
import { submitResponse } from "../surveys/submit.ts";

export interface ApiOptions {
  /** Where the count per address is kept: the instance's, so one address has one count. */
  rateLimitDb?: Db;
  /** Submissions per minute from one address; 0 turns the limit off. */
  submitRateLimit: number;
  /** Whether the request comes from a logged-in staff member (paper/event/interview channels). */
  isStaff?: (req: Request) => boolean;
  /** Whether a response's `location` names a known place (kiosk locations); absent → any id. */
  isKnownLocation?: (id: string) => Promise<boolean>;
}

/** 415 unless the body is declared as JSON, before anything is parsed. */
function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is("application/json")) {
    next(new HttpError(415, "Send the response as JSON with Content-Type: application/json"));
    return;
  }
  next();
}

/**
 * The answer for any other method on an API route: 405 with the methods it takes (OPTIONS gets
 * them too, with 204).
 */
function onlyMethods(...methods: string[]) {
  const allow = [...methods, "OPTIONS"].join(", ");
  return (req: Request, res: Response, next: NextFunction): void => {
    res.set("Allow", allow);
    if (req.method === "OPTIONS") {
      res.status(204).end();
      return;
    }
    next(
      new MethodNotAllowed(`${req.method} is not allowed here; use ${methods.join(" or ")}`, [
        ...methods,
        "OPTIONS",
      ]),
    );
  };
}

export function apiRouter(db: Db, options: ApiOptions): Router {
  const router = Router();

  router.get("/api/surveys/:slug", async (req: Request<{ slug: string }>, res: Response) => {
    const survey = await takeableSurvey(db, req.params.slug);
    res.json({
      slug: survey.slug,
      status: survey.status,
      version: survey.hash,
      languages: survey.languages,
      definition: clientDefinition(survey),
    });
  });
  router.all("/api/surveys/:slug", onlyMethods("GET", "HEAD"));

  const limiter =
    options.submitRateLimit > 0
      ? rateLimit({
          windowMs: 60_000,
          limit: options.submitRateLimit,
          standardHeaders: "draft-8",
          legacyHeaders: false,
          // Counted in the database: every server process shares one count per address.
          store: new DatabaseRateStore(options.rateLimitDb ?? db, "submit:"),
          message: {
            error: "Too many responses from this address; please try again in a minute",
            details: [],
          },
        })
      : (_req: Request, _res: Response, next: NextFunction) => next();

  router.post(
    "/api/surveys/:slug/responses",
    limiter,
    requireJson,
    // Not strict: `null`, `123` or `"x"` are JSON too, and get "the body must be a JSON object"
    // from submitResponse rather than "not valid JSON".
    express.json({ limit: "200kb", strict: false }),
    async (req: Request<{ slug: string }>, res: Response) => {
      const result = await submitResponse(db, req.params.slug, req.body, {
        staff: options.isStaff?.(req) ?? false,
        isKnownLocation: options.isKnownLocation,
      });
      res
        .status(result.status)
        .json(result.duplicate ? { id: result.id, duplicate: true } : { id: result.id });
    },
  );
  router.all("/api/surveys/:slug/responses", onlyMethods("POST"));

  return router;
}
