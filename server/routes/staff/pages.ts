// What every staff page shares: its dependencies, the navigation, one-time messages, the chart
// scripts and the survey a page is about. Errors are shown in the staff layout by the
// application's error handler (server/middleware/errors.ts).
import type { NextFunction, Request, Response } from "express";
import { hasRole } from "../../auth/roles.ts";
import type { Config } from "../../config.ts";
import type { Db } from "../../db.ts";
import { NotFound, type ProductError } from "../../errors.ts";
import type { LibraryDatabases } from "../../libraries/library-databases.ts";
import type { Csrf } from "../../middleware/csrf.ts";
import type { Library } from "../../queries/libraries.ts";
import type { Role } from "../../queries/staff-users.ts";
import { findSurvey, type SurveyRow } from "../../queries/surveys.ts";

export interface StaffDeps {
  /** The library's own database: everything the pages show of the library. */
  db: Db;
  /** The instance database: accounts, memberships and sessions. */
  instance: Db;
  library: Library;
  /** Every library's database: adding a library creates one; the consortium view reads across them. */
  libraries: LibraryDatabases;
  config: Config;
  csrf: Csrf;
}

/** Chart.js and the script that draws charts from data tables. */
export function chartScripts(res: Response): string[] {
  const { vendor, asset } = res.app.locals as {
    vendor: (pkg: string, file: string) => string;
    asset: (file: string) => string;
  };
  return [vendor("chart.js", "dist/chart.umd.js"), asset("js/staff-charts.js")];
}

export async function staffSurvey(db: Db, slug: string): Promise<SurveyRow> {
  const survey = await findSurvey(db, slug);
  if (!survey) throw new NotFound(`There is no survey "${slug}"`);
  return survey;
}

interface NavItem {
  href: string;
  label: string;
  role: Role;
}

const NAV: NavItem[] = [
  { href: "/staff", label: "Overview", role: "staff" },
  { href: "/staff/surveys", label: "Surveys", role: "staff" },
  { href: "/staff/gaps", label: "Usage gaps", role: "staff" },
  { href: "/staff/languages", label: "Languages", role: "staff" },
  { href: "/staff/exports", label: "Exports", role: "staff" },
  { href: "/staff/imports", label: "Imports", role: "admin" },
  { href: "/staff/kiosks", label: "Kiosks and places", role: "admin" },
  { href: "/staff/users", label: "Staff accounts", role: "admin" },
  { href: "/staff/audit", label: "Audit log", role: "admin" },
];

/** Pages registered later (by other parts of the app) can add themselves to the menu. */
export function addNavItem(item: NavItem, after?: string): void {
  if (NAV.some((n) => n.href === item.href)) return;
  const index = after ? NAV.findIndex((n) => n.href === after) : -1;
  NAV.splice(index >= 0 ? index + 1 : NAV.length, 0, item);
}

export const staffLocals =
  (suppressBelow: number) =>
  (req: Request, res: Response, next: NextFunction): void => {
    res.locals.suppressBelow = suppressBelow;
    const path = req.originalUrl.split("?")[0] ?? "";
    res.locals.nav = req.staff
      ? NAV.filter((item) => hasRole(req.staff?.role ?? "staff", item.role)).map((item) => ({
          ...item,
          current:
            item.href === "/staff"
              ? path === "/staff" || path === "/staff/"
              : path.startsWith(item.href),
        }))
      : [];
    // The consortium view is the instance's, not the library's: shown to consortium accounts.
    if (req.account?.consortium) {
      res.locals.nav.push({
        href: "/staff/consortium",
        label: "Consortium",
        role: "staff",
        current: path.startsWith("/staff/consortium"),
      });
    }
    res.locals.flash = req.session?.flash;
    if (req.session?.flash) delete req.session.flash;
    next();
  };

/** Where a reset link points: the configured public address, else the one the admin is using. */
export function resetLinkUrl(base: string, token: string): string {
  return `${base}/staff/reset/${token}`;
}

/** A message for the next page the user sees (after a redirect). */
export function flash(req: Request, message: string): void {
  if (req.session) req.session.flash = message;
}

/** Field → message, from a problem's details, for re-rendering a form. */
export function fieldErrors(error: ProductError): Record<string, string> {
  return Object.fromEntries((error.details ?? []).map((d) => [d.question, d.message]));
}
