// CSRF protection for every state-changing staff request: a signed double-submit token
// (csrf-csrf) bound to the session id. Forms send it as the `_csrf` field, scripts as the
// X-CSRF-Token header. Multipart uploads are checked after the upload is parsed, only on the
// paths registered with `uploadRoute`; a multipart request anywhere else is refused.

import { doubleCsrf } from "csrf-csrf";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { Forbidden } from "../errors.ts";

export const CSRF_COOKIE = "opendoor.csrf";
export const CSRF_FIELD = "_csrf";

export interface Csrf {
  /** Rejects POST/PUT/PATCH/DELETE without a valid token (registered uploads are checked later). */
  protect: RequestHandler;
  /**
   * Registers an upload path (e.g. "/staff/imports/community") and returns the check to run after
   * the multipart body has been parsed.
   */
  uploadRoute(path: string): RequestHandler;
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
    new Forbidden(
      "This form has expired or did not come from Open Door. Go back, reload the page and try again.",
    );
  const unsafe = (req: Request) => !["GET", "HEAD", "OPTIONS"].includes(req.method);
  const uploadPaths = new Set<string>();
  const pathOf = (req: Request) => req.originalUrl.split("?")[0] ?? "";
  const verify = (req: Request, _res: Response, next: NextFunction) => {
    if (!unsafe(req) || validateRequest(req)) next();
    else next(forbidden());
  };

  return {
    protect(req: Request, _res: Response, next: NextFunction) {
      if (!unsafe(req) || validateRequest(req)) next();
      else if (isMultipart(req) && uploadPaths.has(pathOf(req))) next();
      else next(forbidden());
    },
    uploadRoute(path: string) {
      uploadPaths.add(path);
      return verify;
    },
    expose(req: Request, res: Response, next: NextFunction) {
      const secure = options.cookieSecure === "auto" ? req.secure : options.cookieSecure;
      res.locals.csrfToken = generateCsrfToken(req, res, { cookieOptions: { secure } });
      next();
    },
    isValid: (req) => validateRequest(req),
  };
}
