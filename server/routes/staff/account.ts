// Logging in and out of the staff pages.
import { type Request, type Response, Router } from "express";
import { authenticate } from "../../auth/login.ts";
import { loginLimits } from "../../auth/login-limits.ts";
import { actorOf, requireRole } from "../../middleware/auth.ts";
import { appendAudit } from "../../queries/audit-log.ts";
import type { StaffDeps } from "./index.ts";

/** Only a path on this site may follow a login (no open redirect to another host). */
export function safeNext(value: unknown): string {
  return typeof value === "string" && /^\/staff(\/|$|\?)/.test(value) && !value.startsWith("//")
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

export function accountRoutes({ db, config, csrf }: StaffDeps): Router {
  const router = Router();
  const limits = loginLimits({
    perAccount: config.staff.loginLimitPerAccount,
    perAddress: config.staff.loginLimitPerAddress,
    onLimited: (req, res, message) => renderLogin(req, res, 429, message),
  });

  router.get("/staff/login", async (req: Request, res: Response) => {
    if (req.staff) {
      res.redirect(303, safeNext(req.query.next));
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
    await regenerate(req);
    req.session.userId = user.id;
    await save(req);
    // A new session needs a new CSRF token: the old one was bound to the old session id.
    csrf.expose(req, res, () => undefined);
    res.redirect(303, safeNext(body.next));
  });

  router.post("/staff/logout", requireRole("staff"), async (req: Request, res: Response) => {
    await appendAudit(db, { actor: actorOf(req), action: "logout" });
    await new Promise<void>((resolve, reject) =>
      req.session.destroy((error) => (error ? reject(error) : resolve())),
    );
    res.clearCookie("opendoor.sid", { path: "/" });
    res.redirect(303, "/staff/login");
  });

  return router;
}
