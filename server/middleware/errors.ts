// The one place errors become HTTP responses. Product modules throw the problems of
// server/errors.ts; this maps each kind to a status, then answers in the request's shape: JSON
// `{ error, details }` for the API and JSON requests, the staff layout's error page under /staff,
// the public error page elsewhere. Unknown errors are logged, never shown.
import type { NextFunction, Request, Response } from "express";
import { isDatabaseUnavailable } from "../db.ts";
import {
  Conflict,
  type Detail,
  Forbidden,
  Gone,
  HttpError,
  InputError,
  MethodNotAllowed,
  NotFound,
  type ProductError,
  TooSmallToShow,
  type Translatable,
  Unavailable,
} from "../errors.ts";
import { chooseLanguage, setPageLanguage } from "./locale.ts";

/** Seconds a client should wait before trying again when the database is busy or down. */
export const RETRY_AFTER_SECONDS = 5;

/** A known problem, ready to send. */
interface Answer {
  status: number;
  message: string;
  details: ReadonlyArray<Detail>;
  translation?: Translatable;
  headers?: Record<string, string>;
}

/** The status of each kind of problem. Privacy refusals are 400, as any request to change. */
const STATUS: ReadonlyArray<[new (...args: never[]) => ProductError, number]> = [
  [InputError, 400],
  [TooSmallToShow, 400],
  [Forbidden, 403],
  [NotFound, 404],
  [MethodNotAllowed, 405],
  [Conflict, 409],
  [Gone, 410],
  [Unavailable, 503],
];

/** Errors thrown by express.json() and friends carry a status and a type. */
interface BodyParserError extends Error {
  status?: number;
  type?: string;
}

const DATABASE_UNAVAILABLE = new Unavailable(
  "The database is busy or unavailable; nothing was stored. Please try again shortly",
  RETRY_AFTER_SECONDS,
);

/** The problem an error stands for, or undefined for a bug. */
function problemOf(error: unknown, staffPage: boolean): ProductError | undefined {
  const e = error as BodyParserError;
  // A malformed percent-escape in the address (/s/%E0%A4%A): Express cannot decode the parameter.
  if (error instanceof URIError)
    return new InputError("The address is not valid", {}, { key: "error.badAddress" });
  if (e?.type === "entity.too.large")
    return new HttpError(
      413,
      staffPage ? "The form is too large" : "The request body is too large",
    );
  if (e?.type === "entity.parse.failed")
    return new InputError(`The request body is not valid JSON: ${e.message}`);
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported")
    return new HttpError(415, e.message);
  if (error instanceof HttpError || STATUS.some(([kind]) => error instanceof kind))
    return error as ProductError;
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500)
    return new HttpError(e.status, e.message);
  if (isDatabaseUnavailable(error)) return DATABASE_UNAVAILABLE;
  return undefined;
}

function answerTo(problem: ProductError): Answer {
  const status =
    problem instanceof HttpError
      ? problem.status
      : (STATUS.find(([kind]) => problem instanceof kind)?.[1] ?? 500);
  const headers: Record<string, string> | undefined =
    problem instanceof MethodNotAllowed
      ? { Allow: problem.allowed.join(", ") }
      : problem instanceof Unavailable
        ? { "Retry-After": String(problem.retryAfterSeconds) }
        : undefined;
  return {
    status,
    message: problem.message,
    details: problem.details,
    translation: problem.translation,
    headers,
  };
}

/** The HTTP status a problem is answered with (for routes that render a form again with it). */
export function statusOf(problem: ProductError): number {
  return answerTo(problem).status;
}

const isStaffPath = (req: Request) => /^\/staff(\/|$|\?)/.test(req.originalUrl);

/** The API's URLs: /api/… for the default library, /l/:library/api/… for the others. */
const API_PATH = /^(\/l\/[^/?]+)?\/api\//;

const wantsJson = (req: Request) =>
  API_PATH.test(req.originalUrl) || req.accepts(["html", "json"]) === "json";

/** Staff pages answer in the staff layout, unless the request is JSON either way. */
const wantsStaffPage = (req: Request) =>
  isStaffPath(req) && req.accepts(["html", "json"]) !== "json" && !req.is("json");

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new NotFound("Not found"));
}

export function errorHandler(
  error: unknown,
  req: Request,
  res: Response,
  _next: NextFunction,
): void {
  const staffPage = wantsStaffPage(req);
  const problem = problemOf(error, staffPage);
  const answer = problem && answerTo(problem);
  if (!answer) console.error(`[error] ${req.method} ${req.originalUrl}:`, error);
  else if (answer.status === 503)
    console.error(`[503] ${req.method} ${req.originalUrl}: ${(error as Error).message}`);
  const status = answer?.status ?? 500;
  if (res.headersSent) return;
  if (answer?.headers) res.set(answer.headers);
  if (wantsJson(req)) {
    res
      .status(status)
      .json({ error: answer?.message ?? "Internal server error", details: answer?.details ?? [] });
    return;
  }
  if (staffPage) {
    // Staff pages are in English, in the staff layout.
    const message =
      answer?.message ?? "Something went wrong on our side. The error has been logged.";
    const pageTitle =
      status === 404 ? "Page not found" : status === 403 ? "Not allowed" : "Something went wrong";
    sendPage(req, res, status, "staff/error", { pageTitle, status, message }, message);
    return;
  }
  // The error may come before the locale middleware ran (a parameter that cannot be decoded).
  if (typeof res.locals.t !== "function") setPageLanguage(res, chooseLanguage(req));
  const t = res.locals.t as (key: string, params?: Translatable["params"]) => string;
  const translation: Translatable | undefined =
    answer?.translation ??
    (status === 404
      ? { key: "error.notFound.body" }
      : status >= 500
        ? { key: "error.server" }
        : undefined);
  const message = translation
    ? t(translation.key, translation.params)
    : (answer?.message ?? t("error.server"));
  sendPage(req, res, status, "errors/error", { status, message }, message);
}

function sendPage(
  req: Request,
  res: Response,
  status: number,
  view: string,
  locals: Record<string, unknown>,
  message: string,
): void {
  // Never Express's own page: in development it shows the stack trace and server paths.
  const plain = (renderError: unknown) => {
    console.error(`[error] rendering the error page for ${req.originalUrl}:`, renderError);
    res.type("text/plain").send(message);
  };
  try {
    res.status(status).render(view, locals, (renderError, html) => {
      if (renderError) plain(renderError);
      else res.send(html);
    });
  } catch (renderError) {
    // A view that cannot even be looked up throws before the callback.
    plain(renderError);
  }
}
