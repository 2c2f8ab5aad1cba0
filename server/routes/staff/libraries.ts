// GET /staff/libraries: the libraries of the logged-in account (the chooser), and for a
// super-admin every library and the form that adds one with its first admin.
import { randomBytes } from "node:crypto";
import { type Request, type Response, Router } from "express";
import {
  addStaffMember,
  createPasswordReset,
  createStaffAccount,
  isEmailAddress,
} from "../../auth/accounts.ts";
import { InputError, ProductError } from "../../errors.ts";
import { addLibrary } from "../../libraries/libraries.ts";
import { actorOf, requireLogin, requireSuperAdmin, webUser } from "../../middleware/auth.ts";
import { statusOf } from "../../middleware/errors.ts";
import { listLibraries } from "../../queries/libraries.ts";
import { findStaffUserByEmail } from "../../queries/staff-users.ts";
import { fieldErrors, flash, resetLinkUrl, type StaffDeps } from "./pages.ts";

const FIELDS = ["slug", "name", "fscs", "region", "admin"] as const;
type Form = Record<(typeof FIELDS)[number], string>;

function formOf(req: Request): Form {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const form = {} as Form;
  for (const name of FIELDS) form[name] = typeof body[name] === "string" ? body[name] : "";
  return form;
}

export function libraryRoutes({ instance, libraries, config }: StaffDeps): Router {
  const router = Router();

  async function render(
    req: Request,
    res: Response,
    status = 200,
    form: Partial<Form> = {},
    errors: Record<string, string> = {},
    resetLink?: { email: string; url: string; expiresAt: Date },
  ) {
    res.status(status).render("staff/libraries", {
      pageTitle: "Libraries",
      current: req.staff ? req.library.id : null,
      all: req.account?.superAdmin ? await listLibraries(instance) : [],
      form: { slug: "", name: "", fscs: "", region: "", admin: "", ...form },
      errors,
      resetLink,
    });
  }

  router.get("/staff/libraries", requireLogin(), (req: Request, res: Response) => render(req, res));

  router.post("/staff/libraries", requireSuperAdmin(), async (req: Request, res: Response) => {
    const form = formOf(req);
    let added: Awaited<ReturnType<typeof addLibrary>>;
    try {
      // Checked first, so a library is never added without the admin it was meant to have.
      if (!isEmailAddress(form.admin))
        throw new InputError("admin: give the first admin's e-mail address", {}, undefined, [
          { question: "admin", message: "give the e-mail address of the library's first admin" },
        ]);
      added = await addLibrary(
        instance,
        libraries,
        { slug: form.slug, name: form.name, fscsId: form.fscs, region: form.region },
        webUser(req),
        config,
      );
    } catch (error) {
      if (!(error instanceof ProductError) || error.details.length === 0) throw error;
      await render(req, res, statusOf(error), form, fieldErrors(error));
      return;
    }
    const libraryDb = await libraries.db(added);
    const existing = await findStaffUserByEmail(instance, form.admin);
    if (existing) {
      await addStaffMember(
        instance,
        { email: existing.email, role: "admin", libraryId: added.id, libraryDb },
        actorOf(req),
      );
      flash(
        req,
        `${added.name} added, with ${existing.email} as its admin (the account's password is unchanged).`,
      );
      res.redirect(303, "/staff/libraries");
      return;
    }
    // A new account: a password nobody knows, and a one-time link for its owner to set theirs.
    const account = await createStaffAccount(
      instance,
      {
        email: form.admin,
        password: randomBytes(32).toString("base64url"),
        role: "admin",
        libraryId: added.id,
        libraryDb,
      },
      actorOf(req),
    );
    const { token, expiresAt } = await createPasswordReset(
      instance,
      account.id,
      actorOf(req),
      new Date(),
      added.id,
    );
    const base = config.staff.publicUrl ?? `${req.protocol}://${req.get("host")}`;
    res.set("Cache-Control", "no-store");
    res.locals.flash = `${added.name} added, with a new account ${account.email} as its admin.`;
    await render(
      req,
      res,
      200,
      {},
      {},
      {
        email: account.email,
        url: resetLinkUrl(base, token),
        expiresAt,
      },
    );
  });

  return router;
}
