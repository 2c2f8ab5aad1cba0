// Slows down password guessing: failed logins are counted per account and per address.
import type { Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { normalizeEmail } from "../queries/staff-users.ts";

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

/** Two limiters, run in order after the form body is parsed. Successful logins do not count. */
export function loginLimits(options: LoginLimitOptions): RequestHandler[] {
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
      keyGenerator: (req) => `address:${ipKeyGenerator(req.ip ?? "")}`,
      handler: (req, res) =>
        options.onLimited(
          req,
          res,
          `Too many failed logins from this network. Try again in ${LOGIN_WINDOW_MINUTES} minutes.`,
        ),
    }),
    rateLimit({
      ...common,
      limit: options.perAccount,
      keyGenerator: (req) => `account:${accountOf(req)}`,
      handler: (req, res) =>
        options.onLimited(
          req,
          res,
          `Too many failed logins for this account. Try again in ${LOGIN_WINDOW_MINUTES} minutes, or ask an admin.`,
        ),
    }),
  ];
}
