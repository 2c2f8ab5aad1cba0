// One error handler: known errors become a message the user can act on; the rest are logged, never shown.
import type { NextFunction, Request, Response } from "express";
import { isDatabaseUnavailable } from "../db.ts";
import { HttpError } from "../errors.ts";
import { chooseLanguage, setPageLanguage } from "./locale.ts";

/** Seconds a client should wait before trying again when the database is busy or down. */
export const RETRY_AFTER_SECONDS = 5;

const wantsJson = (req: Request) =>
  req.path.startsWith("/api/") || req.accepts(["html", "json"]) === "json";

/** Errors thrown by express.json() and friends carry a status and a type. */
interface BodyParserError extends Error {
  status?: number;
  type?: string;
}

function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  const e = error as BodyParserError;
  // A malformed percent-escape in the address (/s/%E0%A4%A): Express cannot decode the parameter.
  if (error instanceof URIError)
    return new HttpError(400, "The address is not valid", undefined, "error.badAddress");
  if (e?.type === "entity.too.large") return new HttpError(413, "The request body is too large");
  if (e?.type === "entity.parse.failed")
    return new HttpError(400, `The request body is not valid JSON: ${e.message}`);
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported")
    return new HttpError(415, e.message);
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500)
    return new HttpError(e.status, e.message);
  if (isDatabaseUnavailable(error)) {
    return new HttpError(
      503,
      "The database is busy or unavailable; nothing was stored. Please try again shortly",
      [],
      undefined,
      { "Retry-After": String(RETRY_AFTER_SECONDS) },
    );
  }
  return undefined;
}

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new HttpError(404, "Not found"));
}

export function errorHandler(
  error: unknown,
  req: Request,
  res: Response,
  _next: NextFunction,
): void {
  const known = toHttpError(error);
  if (!known) console.error(`[error] ${req.method} ${req.originalUrl}:`, error);
  else if (known.status === 503)
    console.error(`[503] ${req.method} ${req.originalUrl}: ${(error as Error).message}`);
  const status = known?.status ?? 500;
  if (res.headersSent) return;
  if (known?.headers) res.set(known.headers);
  if (wantsJson(req)) {
    res
      .status(status)
      .json({ error: known?.message ?? "Internal server error", details: known?.details ?? [] });
    return;
  }
  // The error may come before the locale middleware ran (a parameter that cannot be decoded).
  if (typeof res.locals.t !== "function") setPageLanguage(res, chooseLanguage(req));
  const t = res.locals.t as (key: string) => string;
  const key =
    known?.messageKey ??
    (status === 404 ? "error.notFound.body" : status >= 500 ? "error.server" : undefined);
  const message = key ? t(key) : (known?.message ?? t("error.server"));
  res.status(status).render("errors/error", { status, message }, (renderError, html) => {
    if (!renderError) {
      res.send(html);
      return;
    }
    // Never Express's own page: in development it shows the stack trace and server paths.
    console.error(`[error] rendering the error page for ${req.originalUrl}:`, renderError);
    res.type("text/plain").send(message);
  });
}
