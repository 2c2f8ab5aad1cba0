// CSRF protection for every state-changing staff request: a signed double-submit token
// (csrf-csrf) bound to the session id. Forms send it as the `_csrf` field, scripts as the
// X-CSRF-Token header. Multipart uploads are checked after the upload is parsed (`verifyCsrf`).

import { doubleCsrf } from "csrf-csrf";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { HttpError } from "../errors.ts";

export const CSRF_COOKIE = "opendoor.csrf";
export const CSRF_FIELD = "_csrf";

export interface Csrf {
  /** Rejects POST/PUT/PATCH/DELETE without a valid token (multipart requests are left to verifyCsrf). */
  protect: RequestHandler;
  /** For multipart routes, after the body is parsed. */
  verify: RequestHandler;
  /** Puts a token in res.locals.csrfToken (and its cookie) for the page's forms and scripts. */
  expose: RequestHandler;
  /** Whether this request carries a valid token (used by the public API for staff channels). */
  isValid(req: Request): boolean;
}

const isMultipart = (req: Request) => Boolean(req.is("multipart/form-data"));

export function createCsrf(options: { secret: string; cookieSecure: boolean | "auto" }): Csrf {
  const { generateCsrfToken, validateRequest } = doubleCsrf({
    getSecret: () => options.secret,
    getSessionIdentifier: (req) => req.session?.id ?? "",
    cookieName: CSRF_COOKIE,
    cookieOptions: { sameSite: "strict", path: "/", httpOnly: true, secure: false },
    // One place per kind of request, never a fallthrough between them.
    getCsrfTokenFromRequest: (req) => {
      if (req.is("application/json")) return req.get("x-csrf-token");
      const value = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
      return typeof value === "string" ? value : undefined;
    },
  });

  const forbidden = () =>
    new HttpError(
      403,
      "This form has expired or did not come from Open Door. Go back, reload the page and try again.",
    );
  const unsafe = (req: Request) => !["GET", "HEAD", "OPTIONS"].includes(req.method);

  return {
    protect(req: Request, _res: Response, next: NextFunction) {
      if (!unsafe(req) || isMultipart(req) || validateRequest(req)) next();
      else next(forbidden());
    },
    verify(req: Request, _res: Response, next: NextFunction) {
      if (!unsafe(req) || validateRequest(req)) next();
      else next(forbidden());
    },
    expose(req: Request, res: Response, next: NextFunction) {
      const secure = options.cookieSecure === "auto" ? req.secure : options.cookieSecure;
      res.locals.csrfToken = generateCsrfToken(req, res, { cookieOptions: { secure } });
      next();
    },
    isValid: (req) => validateRequest(req),
  };
}
