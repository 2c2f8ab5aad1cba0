// Who may read the consortium view: accounts with the instance-wide consortium role, whatever
// their libraries. Kept apart from requireRole (a library's roles): a library's admin is not a
// consortium reader, and a consortium reader is no member of a library by that role.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { Forbidden, HttpError } from "../errors.ts";

/** The guard; the route walk test reads `requiredRole` ("consortium"). */
export type ConsortiumGuard = RequestHandler & { requiredRole: "consortium" };

export function requireConsortium(): ConsortiumGuard {
  const guard = (req: Request, res: Response, next: NextFunction) => {
    if (!req.account) {
      if (
        (req.method === "GET" || req.method === "HEAD") &&
        req.accepts(["html", "json"]) === "html"
      ) {
        res.redirect(303, `/staff/login?next=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      next(new HttpError(401, "Please log in to the staff pages"));
      return;
    }
    if (!req.account.consortium) {
      next(new Forbidden("This page is for the consortium role; your account does not have it"));
      return;
    }
    next();
  };
  return Object.assign(guard, { requiredRole: "consortium" as const });
}
