// Slows down password guessing: failed logins are counted per account and per address.
import type { Request, RequestHandler, Response } from "express";
import { type AugmentedRequest, ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { Db } from "../db.ts";
import { normalizeEmail } from "../queries/staff-users.ts";
import { DatabaseRateStore } from "./rate-limit-store.ts";

export const LOGIN_WINDOW_MINUTES = 15;

export interface LoginLimitOptions {
  perAccount: number;
  perAddress: number;
  /** Renders the refusal (the login page with a message), status 429. */
  onLimited: (req: Request, res: Response, message: string) => void;
}

const accountOf = (req: Request) => {
  const email = (req.body as Record<string, unknown> | undefined)?.email;
  return typeof email === "string" ? normalizeEmail(email).slice(0, 254) : "";
};

/** Whole minutes until the lockout ends, at least 1. */
export function minutesUntil(resetTime: Date | undefined, now = Date.now()): number {
  const ms = resetTime ? resetTime.getTime() - now : LOGIN_WINDOW_MINUTES * 60_000;
  return Math.max(1, Math.ceil(ms / 60_000));
}

const inMinutes = (req: Request) => {
  const minutes = minutesUntil((req as AugmentedRequest).rateLimit?.resetTime);
  return minutes === 1 ? "in 1 minute" : `in ${minutes} minutes`;
};

/**
 * Two limiters, run in order after the form body is parsed. Successful logins do not count.
 * Counters are in the database: every server process sees them, and a restart keeps them.
 */
export function loginLimits(db: Db, options: LoginLimitOptions): RequestHandler[] {
  const windowMs = LOGIN_WINDOW_MINUTES * 60_000;
  const common = {
    windowMs,
    skipSuccessfulRequests: true,
    standardHeaders: "draft-8" as const,
    legacyHeaders: false,
  };
  return [
    rateLimit({
      ...common,
      limit: options.perAddress,
      store: new DatabaseRateStore(db, "login-address:"),
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? ""),
      handler: (req, res) =>
        options.onLimited(
          req,
          res,
          `Too many failed logins from this network. Try again ${inMinutes(req)}.`,
        ),
    }),
    rateLimit({
      ...common,
      limit: options.perAccount,
      store: new DatabaseRateStore(db, "login-account:"),
      keyGenerator: (req) => accountOf(req),
      handler: (req, res) =>
        options.onLimited(
          req,
          res,
          `Too many failed logins for this account. Try again ${inMinutes(req)}, or ask an admin to reset your password.`,
        ),
    }),
  ];
}
