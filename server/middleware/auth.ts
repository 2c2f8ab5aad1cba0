// Who is logged in, and whether their role allows this page.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { hasRole } from "../auth/roles.ts";
import type { Db } from "../db.ts";
import { Forbidden, HttpError } from "../errors.ts";
import type { AuditBy } from "../queries/audit-log.ts";
import type { Role } from "../queries/staff-users.ts";
import { findStaffUser, type StaffUser } from "../queries/staff-users.ts";

declare global {
  namespace Express {
    interface Request {
      /** The logged-in, enabled staff account, when there is one. */
      staff?: StaffUser;
    }
  }
}

/**
 * Loads the account of the session on every request, so a disabled account or a changed role
 * takes effect at once rather than at the next login. A session from before the account's last
 * password, role or disabled change (or "sign out everywhere") has a lower epoch: it is ended.
 */
export function loadStaff(db: Db): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const userId = req.session?.userId;
    if (userId !== undefined) {
      const user = await findStaffUser(db, userId);
      if (user && !user.disabled && (req.session.epoch ?? 0) === user.sessionEpoch) {
        req.staff = user;
        res.locals.staff = user;
      } else {
        delete req.session.userId;
        delete req.session.epoch;
      }
    }
    next();
  };
}

/** A middleware that lets through `role` and the roles above it; the route walk test reads `requiredRole`. */
export type RoleGuard = RequestHandler & { requiredRole: Role };

export function requireRole(role: Role): RoleGuard {
  const guard = (req: Request, res: Response, next: NextFunction) => {
    if (!req.staff) {
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
    if (!hasRole(req.staff.role, role)) {
      next(
        new Forbidden(
          `This page needs the ${role} role; your account has the ${req.staff.role} role`,
        ),
      );
      return;
    }
    next();
  };
  return Object.assign(guard, { requiredRole: role });
}

/** The audit log's "who": the logged-in account. */
export function actorOf(req: Request): { id: number; email: string } | null {
  return req.staff ? { id: req.staff.id, email: req.staff.email } : null;
}

/** Who does an audited operation from a staff page: the logged-in account, on the web. */
export function webUser(req: Request): AuditBy {
  return { actor: actorOf(req), via: "web" };
}
