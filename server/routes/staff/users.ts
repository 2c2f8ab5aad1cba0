// Staff accounts of this library (admin): add (a new account, or an existing one joining this
// library), change role, remove from the library, disable and enable. Membership changes are
// audited in this library's own log.
import { type Request, type Response, Router } from "express";
import {
  addStaffMember,
  changeStaffRole,
  createPasswordReset,
  createStaffAccount,
  removeStaffMember,
  setStaffDisabled,
} from "../../auth/accounts.ts";
import { MIN_PASSWORD_LENGTH } from "../../auth/password.ts";
import { ROLE_DESCRIPTIONS } from "../../auth/roles.ts";
import { NotFound, ProductError } from "../../errors.ts";
import { actorOf, requireRole } from "../../middleware/auth.ts";
import { statusOf } from "../../middleware/errors.ts";
import { findStaffUserByEmail, listStaffUsers, ROLES } from "../../queries/staff-users.ts";
import { fieldErrors, flash, resetLinkUrl, type StaffDeps } from "./pages.ts";

const field = (req: Request, name: string): string => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : "";
};

function userId(req: Request<{ id: string }>): number {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id <= 0) throw new NotFound("There is no such staff account");
  return id;
}

export function userRoutes({ instance: db, db: libraryDb, library, config }: StaffDeps): Router {
  const router = Router();
  const admin = requireRole("admin");

  async function renderUsers(
    res: Response,
    status = 200,
    form: { email?: string; role?: string; errors?: Record<string, string> } = {},
    resetLink?: { email: string; url: string; expiresAt: Date },
  ) {
    res.status(status).render("staff/users", {
      pageTitle: "Staff accounts",
      users: await listStaffUsers(db, library.id),
      roles: ROLES,
      roleDescriptions: ROLE_DESCRIPTIONS,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      form: { email: "", role: "staff", errors: {}, ...form },
      resetLink,
    });
  }

  router.get("/staff/users", admin, async (_req: Request, res: Response) => {
    await renderUsers(res);
  });

  router.post("/staff/users", admin, async (req: Request, res: Response) => {
    const input = {
      email: field(req, "email"),
      password: field(req, "password"),
      role: field(req, "role"),
    };
    try {
      // An account that exists (of another library) joins this one and keeps its password.
      if (input.email && (await findStaffUserByEmail(db, input.email))) {
        const user = await addStaffMember(
          db,
          { email: input.email, role: input.role, libraryId: library.id, libraryDb },
          actorOf(req),
        );
        flash(
          req,
          `${user.email} is a member of ${library.name} with the ${user.role} role. The account already existed: its password is unchanged.`,
        );
      } else {
        const user = await createStaffAccount(
          db,
          { ...input, libraryId: library.id, libraryDb },
          actorOf(req),
        );
        flash(req, `Account ${user.email} added with the ${user.role} role.`);
      }
      res.redirect(303, "/staff/users");
    } catch (error) {
      if (!(error instanceof ProductError) || error.details.length === 0) throw error;
      await renderUsers(res, statusOf(error), {
        email: input.email,
        role: input.role,
        errors: fieldErrors(error),
      });
    }
  });

  router.post(
    "/staff/users/:id/role",
    admin,
    async (req: Request<{ id: string }>, res: Response) => {
      const user = await changeStaffRole(
        db,
        userId(req),
        field(req, "role"),
        actorOf(req),
        library.id,
        libraryDb,
      );
      flash(req, `${user.email} now has the ${user.role} role.`);
      res.redirect(303, "/staff/users");
    },
  );

  // The account stays (for its other libraries, or to be added again); it loses this library.
  router.post(
    "/staff/users/:id/remove",
    admin,
    async (req: Request<{ id: string }>, res: Response) => {
      const user = await removeStaffMember(db, userId(req), actorOf(req), library.id, libraryDb);
      flash(req, `${user.email} is no longer a member of ${library.name}.`);
      res.redirect(303, "/staff/users");
    },
  );

  router.post(
    "/staff/users/:id/disable",
    admin,
    async (req: Request<{ id: string }>, res: Response) => {
      const user = await setStaffDisabled(db, userId(req), true, actorOf(req), library.id);
      flash(req, `${user.email} is disabled and can no longer log in.`);
      res.redirect(303, "/staff/users");
    },
  );

  router.post(
    "/staff/users/:id/enable",
    admin,
    async (req: Request<{ id: string }>, res: Response) => {
      const user = await setStaffDisabled(db, userId(req), false, actorOf(req), library.id);
      flash(req, `${user.email} can log in again.`);
      res.redirect(303, "/staff/users");
    },
  );

  // The link is shown on this one page and never again: only its hash is stored.
  router.post(
    "/staff/users/:id/reset-link",
    admin,
    async (req: Request<{ id: string }>, res: Response) => {
      const { token, user, expiresAt } = await createPasswordReset(
        db,
        userId(req),
        actorOf(req),
        new Date(),
        library.id,
      );
      const base = config.staff.publicUrl ?? `${req.protocol}://${req.get("host")}`;
      res.set("Cache-Control", "no-store");
      await renderUsers(
        res,
        200,
        {},
        { email: user.email, url: resetLinkUrl(base, token), expiresAt },
      );
    },
  );

  return router;
}
