// Who is logged in, and whether their role allows this page.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { hasRole } from "../auth/roles.ts";
import type { Db } from "../db.ts";
import { Forbidden, HttpError } from "../errors.ts";
import type { AuditBy } from "../queries/audit-log.ts";
import { type Library, listMemberships } from "../queries/libraries.ts";
import type { Role } from "../queries/staff-users.ts";
import { findStaffAccount, type StaffAccount, type StaffUser } from "../queries/staff-users.ts";

declare global {
  namespace Express {
    interface Request {
      /** The library this request is about (server/middleware/library.ts). */
      library: Library;
      /** The logged-in, enabled account, whatever its libraries. */
      account?: StaffAccount;
      /** The logged-in account as a member of this request's library, with its role there. */
      staff?: StaffUser;
    }
  }
}

/**
 * Loads the account of the session on every request, and its role in the request's library, so a
 * disabled account or a changed role takes effect at once rather than at the next login. A
 * session from before the account's last password, role or disabled change (or "sign out
 * everywhere") has a lower epoch: it is ended. Accounts live in the instance database.
 */
export function loadStaff(instance: Db): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const userId = req.session?.userId;
    if (userId !== undefined) {
      const account = await findStaffAccount(instance, userId);
      if (account && !account.disabled && (req.session.epoch ?? 0) === account.sessionEpoch) {
        req.account = account;
        res.locals.account = account;
        // Every library of the account: its role here, and the header's "switch library" link.
        const memberships = await listMemberships(instance, account.id);
        res.locals.memberships = memberships;
        const role = memberships.find((m) => m.library.id === req.library.id)?.role;
        if (role) {
          req.staff = { ...account, role };
          res.locals.staff = req.staff;
        }
      } else {
        delete req.session.userId;
        delete req.session.epoch;
      }
    }
    next();
  };
}

/**
 * What a page needs: a role in the request's library (and the roles above it), any logged-in
 * account whatever its libraries ("logged-in": logging out, one's own account, the library
 * chooser), the super-admin role ("super-admin": adding libraries), or the consortium role
 * ("consortium": the consortium view, server/middleware/consortium.ts).
 */
export type Requirement = Role | "logged-in" | "super-admin" | "consortium";

/** A middleware that lets through what `requiredRole` names; the route walk test reads it. */
export type RoleGuard = RequestHandler & { requiredRole: Requirement };

/** Nobody is logged in: a page asks for the login form, anything else gets 401. */
function askToLogIn(req: Request, res: Response, next: NextFunction): void {
  if ((req.method === "GET" || req.method === "HEAD") && req.accepts(["html", "json"]) === "html") {
    res.redirect(303, `/staff/login?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  next(new HttpError(401, "Please log in to the staff pages"));
}

/** Any logged-in account, a member of no library included (a consortium or super-admin account). */
export function requireLogin(): RoleGuard {
  const guard = (req: Request, res: Response, next: NextFunction) => {
    if (!req.account) askToLogIn(req, res, next);
    else next();
  };
  return Object.assign(guard, { requiredRole: "logged-in" as const });
}

/** An account with the super-admin role, whatever its libraries. */
export function requireSuperAdmin(): RoleGuard {
  const guard = (req: Request, res: Response, next: NextFunction) => {
    if (!req.account) askToLogIn(req, res, next);
    else if (!req.account.superAdmin)
      next(new Forbidden("This needs the super-admin role, which your account does not have"));
    else next();
  };
  return Object.assign(guard, { requiredRole: "super-admin" as const });
}

export function requireRole(role: Role): RoleGuard {
  const guard = (req: Request, res: Response, next: NextFunction) => {
    if (!req.staff) {
      if (req.account) {
        next(
          new Forbidden(
            // Not even the library's name: a non-member learns nothing of it here.
            "Your account is not a member of this library: choose one of your libraries on /staff/libraries",
          ),
        );
        return;
      }
      askToLogIn(req, res, next);
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
  return req.account ? { id: req.account.id, email: req.account.email } : null;
}

/** Who does an audited operation from a staff page: the logged-in account, on the web. */
export function webUser(req: Request): AuditBy {
  return { actor: actorOf(req), via: "web" };
}
