// Kiosk locations and places (admin): add, rename, retire; their kiosk links; the exit PIN.
// The same places are offered in data entry for paper and event responses.
import { type Request, type Response, Router } from "express";
import { InputError, NotFound } from "../../errors.ts";
import {
  createEnrolmentCode,
  ENROLMENT_CODE_DAYS,
  withdrawEnrolmentCode,
} from "../../kiosk/enrolment.ts";
import {
  addLocation,
  listLocations,
  renameLocation,
  retireLocation,
} from "../../kiosk/locations.ts";
import { hasKioskPin, setKioskPin } from "../../kiosk/pin.ts";
import { actorOf, requireRole, webUser } from "../../middleware/auth.ts";
import { listEnrolmentCodes } from "../../queries/kiosk-enrolment.ts";
import { listSurveys } from "../../queries/surveys.ts";
import { localized, surveyMeta } from "../../surveys/definition.ts";
import { publicBase } from "../../surveys/public-address.ts";
import { flash, type StaffDeps } from "./pages.ts";

type IdRequest = Request<{ id: string }>;

const field = (req: Request, name: string): string => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value.trim() : "";
};

export function kioskRoutes({ db, config, library }: StaffDeps): Router {
  const router = Router();
  const admin = requireRole("admin");

  async function render(
    req: Request,
    res: Response,
    status = 200,
    form: {
      id?: string;
      name?: string;
      errors?: Record<string, string>;
      pinError?: string;
      codeError?: string;
      newCode?: { code: string; label: string; expiresAt: Date };
    } = {},
  ) {
    const base = publicBase(
      config.staff.publicUrl,
      `${req.protocol}://${req.get("host")}`,
      library,
    );
    const surveys = (await listSurveys(db, { status: "open", audience: "public" })).filter((s) =>
      surveyMeta(s.definition)?.channels.includes("kiosk"),
    );
    res.status(status).render("staff/kiosks", {
      pageTitle: "Kiosks and places",
      locations: await listLocations(db, { includeRetired: true }),
      surveys: surveys.map((s) => ({
        slug: s.slug,
        title: localized(s.definition.title, "en") || s.slug,
      })),
      base,
      pinSet: await hasKioskPin(db),
      codes: await listEnrolmentCodes(db),
      codeDays: ENROLMENT_CODE_DAYS,
      now: new Date(),
      form: { id: "", name: "", errors: {}, ...form },
      kiosk: config.kiosk,
    });
  }

  /** An InputError about a field becomes a message beside the form; anything else propagates. */
  function formError(error: unknown): Record<string, string> {
    if (!(error instanceof InputError)) throw error;
    return { [error.where.field ?? "form"]: error.detail };
  }

  router.get("/staff/kiosks", admin, async (req: Request, res: Response) => {
    await render(req, res);
  });

  router.post("/staff/kiosks", admin, async (req: Request, res: Response) => {
    const id = field(req, "id");
    const name = field(req, "name");
    try {
      const location = await addLocation(db, id, name, webUser(req));
      flash(req, `${location.name} added.`);
      res.redirect(303, "/staff/kiosks");
    } catch (error) {
      await render(req, res, 400, { id, name, errors: formError(error) });
    }
  });

  router.post("/staff/kiosks/:id/rename", admin, async (req: IdRequest, res: Response) => {
    try {
      const location = await renameLocation(db, req.params.id, field(req, "name"), webUser(req));
      flash(req, `Renamed to ${location.name}.`);
      res.redirect(303, "/staff/kiosks");
    } catch (error) {
      await render(req, res, 400, { errors: formError(error) });
    }
  });

  for (const [path, retired] of [
    ["retire", true],
    ["restore", false],
  ] as const) {
    router.post(`/staff/kiosks/:id/${path}`, admin, async (req: IdRequest, res: Response) => {
      try {
        const location = await retireLocation(db, req.params.id, retired, webUser(req));
        flash(
          req,
          retired
            ? `${location.name} is retired: its kiosk links stop working; its responses are kept.`
            : `${location.name} is back in use.`,
        );
        res.redirect(303, "/staff/kiosks");
      } catch (error) {
        await render(req, res, 400, { errors: formError(error) });
      }
    });
  }

  router.post("/staff/kiosks/pin", admin, async (req: Request, res: Response) => {
    const pin = field(req, "pin");
    if (pin !== field(req, "pinAgain")) {
      await render(req, res, 400, { pinError: "The two PINs differ." });
      return;
    }
    try {
      await setKioskPin(db, pin, webUser(req));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      await render(req, res, 400, { pinError: `PIN ${error.detail}.` });
      return;
    }
    flash(req, "New kiosk exit PIN saved. Kiosks use it from their next exit.");
    res.redirect(303, "/staff/kiosks");
  });

  // An enrolment code lets a tablet start kiosk mode without a staff login. Shown once, here.
  router.post("/staff/kiosks/codes", admin, async (req: Request, res: Response) => {
    const label = field(req, "label");
    try {
      const { code, expiresAt } = await createEnrolmentCode(db, label, actorOf(req));
      res.set("Cache-Control", "no-store");
      await render(req, res, 200, { newCode: { code, label, expiresAt } });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      await render(req, res, 400, { codeError: `Name: ${error.detail}.` });
    }
  });

  router.post(
    "/staff/kiosks/codes/:codeId/revoke",
    admin,
    async (req: Request<{ codeId: string }>, res: Response) => {
      const id = Number(req.params.codeId);
      const label =
        Number.isInteger(id) && id > 0
          ? await withdrawEnrolmentCode(db, id, actorOf(req))
          : undefined;
      if (label === undefined) throw new NotFound("There is no such enrolment code");
      flash(
        req,
        `Code "${label}" withdrawn: it no longer works, and kiosks set up with it stop at their next page load.`,
      );
      res.redirect(303, "/staff/kiosks");
    },
  );

  return router;
}
