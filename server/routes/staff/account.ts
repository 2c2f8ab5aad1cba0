// Logging in and out of the staff pages, your own account (password, sign out everywhere), and
// the one-time links admins hand over to set a new password.
import { type Request, type Response, Router } from "express";
import {
  changeOwnPassword,
  findPasswordReset,
  resetPasswordWithLink,
  signOutEverywhere,
} from "../../auth/accounts.ts";
import { authenticate, recordLogout } from "../../auth/login.ts";
import { MIN_PASSWORD_LENGTH } from "../../auth/password.ts";
import type { Db } from "../../db.ts";
import { HttpError, ProductError } from "../../errors.ts";
import { requireLogin, webUser } from "../../middleware/auth.ts";
import { statusOf } from "../../middleware/errors.ts";
import { loginLimits } from "../../middleware/login-limits.ts";
import { isDefaultLibrary, listMemberships } from "../../queries/libraries.ts";
import type { StaffAccount } from "../../queries/staff-users.ts";
import { fieldErrors, flash, type StaffDeps } from "./pages.ts";

const field = (req: Request, name: string): string => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : "";
};

/** Only a path on this site may follow a login (no open redirect to another host). */
export function safeNext(value: unknown): string {
  return typeof value === "string" &&
    /^\/(staff|kiosk|l\/[a-z][a-z0-9-]*\/kiosk)(\/|$|\?)/.test(value) &&
    !value.startsWith("//")
    ? value
    : "/staff";
}

function renderLogin(req: Request, res: Response, status: number, error?: string): void {
  const body = (req.body ?? {}) as Record<string, unknown>;
  res.status(status).render("staff/login", {
    pageTitle: "Staff login",
    error,
    email: typeof body.email === "string" ? body.email : "",
    next: safeNext(body.next ?? req.query.next),
  });
}

/**
 * Where a login lands when no page asked for it: the library chosen (on the login page's
 * ?library=) or the account's first, or, for an account of no library, the consortium view
 * (consortium role) or the list of libraries.
 */
async function landing(db: Db, account: StaffAccount, chosen: string | undefined) {
  const memberships = await listMemberships(db, account.id);
  // As server/middleware/library.ts does: the default library first when the account has it.
  const library = (
    memberships.find((m) => m.library.slug === chosen) ??
    memberships.find((m) => isDefaultLibrary(m.library)) ??
    memberships[0]
  )?.library;
  if (library) return { path: "/staff", library: library.slug };
  return { path: account.consortium ? "/staff/consortium" : "/staff/libraries" };
}

/** Resolves once the session has a new id (guards against session fixation). */
function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((error) => (error ? reject(error) : resolve())),
  );
}

function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.save((error) => (error ? reject(error) : resolve())),
  );
}

export function accountRoutes({ instance: db, config, csrf }: StaffDeps): Router {
  const router = Router();
  const limits = loginLimits(db, {
    perAccount: config.staff.loginLimitPerAccount,
    perAddress: config.staff.loginLimitPerAddress,
    onLimited: (req, res, message) => renderLogin(req, res, 429, message),
  });

  router.get("/staff/login", async (req: Request, res: Response) => {
    if (req.account) {
      const next = safeNext(req.query.next);
      res.redirect(
        303,
        next === "/staff" ? (await landing(db, req.account, undefined)).path : next,
      );
      return;
    }
    // Keep this pre-login session, so the form's CSRF token stays valid until it is sent.
    req.session.loginStarted = Date.now();
    await save(req);
    renderLogin(req, res, 200);
  });

  router.post("/staff/login", ...limits, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === "string" ? body.email : "";
    const password = typeof body.password === "string" ? body.password : "";
    if (!email || !password) {
      renderLogin(req, res, 400, "Enter your e-mail address and your password.");
      return;
    }
    const user = await authenticate(db, email, password);
    if (!user) {
      renderLogin(
        req,
        res,
        401,
        "That e-mail address and password do not match an active account.",
      );
      return;
    }
    const chosen = req.session.library;
    await regenerate(req);
    req.session.userId = user.id;
    req.session.epoch = user.sessionEpoch;
    const next = safeNext(body.next);
    const land = await landing(db, user, chosen);
    // The library chosen or the first one; a page asked for (next) stays the destination.
    if (land.library) req.session.library = land.library;
    await save(req);
    // A new session needs a new CSRF token: the old one was bound to the old session id.
    csrf.expose(req, res, () => undefined);
    res.redirect(303, next === "/staff" ? land.path : next);
  });

  const destroy = (req: Request) =>
    new Promise<void>((resolve, reject) =>
      req.session.destroy((error) => (error ? reject(error) : resolve())),
    );

  // Ends this session only; the account's other sessions go on.
  router.post("/staff/logout", requireLogin(), async (req: Request, res: Response) => {
    await recordLogout(db, webUser(req));
    await destroy(req);
    res.clearCookie("opendoor.sid", { path: "/" });
    res.redirect(303, "/staff/login");
  });

  // Any account, whatever its libraries: a consortium or super-admin account has one too.
  const loggedIn = requireLogin();

  function renderAccount(res: Response, status = 200, errors: Record<string, string> = {}) {
    res.status(status).render("staff/account", {
      pageTitle: "Your account",
      minPasswordLength: MIN_PASSWORD_LENGTH,
      errors,
    });
  }

  router.get("/staff/account", loggedIn, (_req: Request, res: Response) => renderAccount(res));

  router.post("/staff/account/password", loggedIn, async (req: Request, res: Response) => {
    const me = req.account;
    if (!me) throw new HttpError(401, "Please log in to the staff pages");
    try {
      const updated = await changeOwnPassword(db, me, {
        current: field(req, "current"),
        password: field(req, "password"),
        again: field(req, "again"),
      });
      // This session stays; every other session of the account has ended.
      await regenerate(req);
      req.session.userId = updated.id;
      req.session.epoch = updated.sessionEpoch;
      flash(req, "Your password is changed. You were signed out everywhere else.");
      await save(req);
      res.redirect(303, "/staff/account");
    } catch (error) {
      if (!(error instanceof ProductError) || error.details.length === 0) throw error;
      renderAccount(res, statusOf(error), fieldErrors(error));
    }
  });

  router.post("/staff/account/sign-out", loggedIn, async (req: Request, res: Response) => {
    if (req.account) await signOutEverywhere(db, req.account);
    await destroy(req);
    res.clearCookie("opendoor.sid", { path: "/" });
    res.redirect(303, "/staff/login");
  });

  // A one-time link from an admin. No login: the link is the credential, valid once, 24 hours.
  async function renderReset(
    req: Request<{ token: string }>,
    res: Response,
    status = 200,
    errors: Record<string, string> = {},
  ) {
    const { user, expiresAt } = await findPasswordReset(db, req.params.token);
    // The form's CSRF token needs a session to bind to, as on the login page.
    req.session.loginStarted = Date.now();
    await save(req);
    res.set("Cache-Control", "no-store");
    res.status(status).render("staff/reset", {
      pageTitle: "Set a new password",
      email: user.email,
      expiresAt,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      errors,
    });
  }

  router.get("/staff/reset/:token", (req: Request<{ token: string }>, res: Response) =>
    renderReset(req, res),
  );

  router.post("/staff/reset/:token", async (req: Request<{ token: string }>, res: Response) => {
    try {
      await resetPasswordWithLink(db, req.params.token, {
        password: field(req, "password"),
        again: field(req, "again"),
      });
    } catch (error) {
      if (!(error instanceof ProductError) || error.details.length === 0) throw error;
      await renderReset(req, res, statusOf(error), fieldErrors(error));
      return;
    }
    flash(req, "Your new password is set. Log in with it.");
    await save(req);
    res.redirect(303, "/staff/login");
  });

  return router;
}
