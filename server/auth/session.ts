// Staff sessions, stored in the database so several server processes share them.
import { ConnectSessionKnexStore } from "connect-session-knex";
import type { RequestHandler } from "express";
import session from "express-session";
import type { StaffConfig } from "../config.ts";
import type { Db } from "../db.ts";

declare module "express-session" {
  interface SessionData {
    /** The logged-in staff account. */
    userId?: number;
    /** The account's session epoch at login; when the account's moves on, this session has ended. */
    epoch?: number;
    /** Set when the login page is shown, so the CSRF token of the login form has a session to bind to. */
    loginStarted?: number;
    /** A one-time message shown on the next page ("Account added"). */
    flash?: string;
  }
}

export const SESSION_COOKIE = "opendoor.sid";

/**
 * Runs `middleware` only for requests that carry the session cookie. Where no route starts a
 * session (the public API, kiosk pages), a request without one cannot belong to a logged-in
 * account, and express-session would still make and sign a session id for it that is never
 * stored: about 15% of the server's CPU time for public survey submissions (bench/README.md).
 */
export function withSessionCookie(middleware: RequestHandler): RequestHandler {
  const marker = `${SESSION_COOKIE}=`;
  return (req, res, next) => {
    if (req.headers.cookie?.includes(marker)) middleware(req, res, next);
    else next();
  };
}

export function sessionMiddleware(
  db: Db,
  options: { secret: string; staff: StaffConfig; cleanup: boolean },
): RequestHandler {
  const store = new ConnectSessionKnexStore({
    knex: db,
    tableName: "sessions",
    // The table comes from a migration, identical on SQLite and PostgreSQL.
    createTable: false,
    cleanupInterval: options.cleanup ? 15 * 60_000 : 0,
    onDbCleanupError: (error) =>
      console.error("[sessions] cleaning expired sessions failed:", error),
  });
  return session({
    name: SESSION_COOKIE,
    secret: options.secret,
    store,
    resave: false,
    saveUninitialized: false,
    // Each request extends the session: it ends after sessionIdleMinutes of inactivity.
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: "lax",
      secure: options.staff.cookieSecure,
      path: "/",
      maxAge: options.staff.sessionIdleMinutes * 60_000,
    },
  });
}
