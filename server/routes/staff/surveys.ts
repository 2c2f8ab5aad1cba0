// Surveys for staff: the list, open/close (admin), sharing (preview in each language, QR codes,
// flyers), the printable paper version and data entry of paper, event and interview responses.
import express, { type Request, type Response, Router } from "express";
import QRCode from "qrcode";
import { z } from "zod";
import { InputError, NotFound } from "../../errors.ts";
import { getLanguage, LANGUAGES } from "../../i18n/languages.ts";
import { translator } from "../../i18n/messages.ts";
import { requireRole, webUser } from "../../middleware/auth.ts";
import {
  findLocation,
  kioskLocationsShowing,
  listLocationRows,
} from "../../queries/kiosk-locations.ts";
import type { SurveyRow } from "../../queries/surveys.ts";
import { buildOverview } from "../../reports/overview.ts";
import { paperSurvey } from "../../reports/paper-survey.ts";
import { adoptStandardSurvey, standardSurveyChoices } from "../../surveys/catalogue.ts";
import { type Channel, localized, surveyMeta } from "../../surveys/definition.ts";
import { publicBase, unreachableHost } from "../../surveys/public-address.ts";
import { clientDefinition } from "../../surveys/public-survey.ts";
import { submitResponse } from "../../surveys/submit.ts";
import { changeSurveyStatus } from "../../surveys/survey-status.ts";
import { surveyTranslations } from "../../surveys/translation-status.ts";
import { flash, type StaffDeps, staffSurvey } from "./pages.ts";

/** Channels only staff record, through data entry. */
export const STAFF_CHANNELS: readonly Channel[] = ["paper", "event", "interview"];

type SlugRequest = Request<{ slug: string }>;

/** The language asked for in ?lang= when the survey offers it, else English. */
function surveyLanguage(req: Request, survey: SurveyRow): string {
  const asked = typeof req.query.lang === "string" ? req.query.lang : "en";
  return survey.languages.includes(asked) ? asked : "en";
}

/** The address patrons reach the library's survey at, in one language. */
function publicLink(req: Request, deps: StaffDeps, slug: string, lang: string) {
  const origin = `${req.protocol}://${req.get("host")}`;
  const base = publicBase(deps.config.staff.publicUrl, origin, deps.library);
  return `${base}/s/${encodeURIComponent(slug)}?lang=${lang}`;
}

const QR_OPTIONS = { errorCorrectionLevel: "M", margin: 2 } as const;

/** Kiosks that sent a response within this many days count as showing the survey. */
const KIOSK_WINDOW_DAYS = 30;
const kioskWindowStart = () => new Date(Date.now() - KIOSK_WINDOW_DAYS * 86_400_000);

const statusSchema = z.object({ status: z.enum(["open", "closed"]) });
const adoptSchema = z.object({ survey: z.string().min(1, "choose a standard survey to adopt") });

export function surveyRoutes(deps: StaffDeps): Router {
  const { db, config } = deps;
  const router = Router();
  const staff = requireRole("staff");
  const admin = requireRole("admin");
  const publicUrl = config.staff.publicUrl;

  router.get("/staff/surveys", staff, async (_req: Request, res: Response) => {
    const overview = await buildOverview(db, { suppressBelow: config.suppressBelow });
    const kiosks: Record<string, string[]> = {};
    for (const s of overview.surveys.filter((s) => s.status === "open")) {
      kiosks[s.slug] = (await kioskLocationsShowing(db, s.slug, kioskWindowStart())).map(
        (k) => k.name,
      );
    }
    res.render("staff/surveys", {
      pageTitle: "Surveys",
      surveys: overview.surveys,
      kiosks,
      standard: await standardSurveyChoices(db, config),
    });
  });

  router.post("/staff/surveys/adopt", admin, async (req: Request, res: Response) => {
    const parsed = adoptSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new InputError("survey: choose a standard survey to adopt");
    const adopted = await adoptStandardSurvey(db, parsed.data.survey, config, webUser(req));
    flash(req, `${adopted.title} is adopted: it is now one of this library's surveys.`);
    res.redirect(303, "/staff/surveys");
  });

  router.post("/staff/surveys/:slug/status", admin, async (req: SlugRequest, res: Response) => {
    const survey = await staffSurvey(db, req.params.slug);
    const parsed = statusSchema.safeParse(req.body);
    if (!parsed.success) throw new InputError("status: must be open or closed");
    const { status } = parsed.data;
    const title = localized(survey.definition.title, "en") || survey.slug;
    if (status === "closed" && survey.status === "open" && req.body?.confirmKiosks !== "yes") {
      const kiosks = await kioskLocationsShowing(db, survey.slug, kioskWindowStart());
      if (kiosks.length > 0) {
        res.status(409).render("staff/survey-close", {
          pageTitle: `Close ${title}?`,
          title,
          slug: survey.slug,
          kiosks: kiosks.map((k) => ({
            name: k.name,
            last: k.lastSeen.toISOString().slice(0, 10),
          })),
          days: KIOSK_WINDOW_DAYS,
        });
        return;
      }
    }
    if (status !== survey.status) {
      await changeSurveyStatus(db, survey.slug, status, webUser(req));
    }
    flash(req, `${title} is ${status === "open" ? "open for responses" : "closed"}.`);
    res.redirect(303, "/staff/surveys");
  });

  router.get("/staff/surveys/:slug/share", staff, async (req: SlugRequest, res: Response) => {
    const survey = await staffSurvey(db, req.params.slug);
    const translations = new Map(
      (await surveyTranslations(db, survey)).map((t) => [t.language, t]),
    );
    const languages = LANGUAGES.filter((l) => survey.languages.includes(l.code)).map((l) => ({
      ...l,
      link: publicLink(req, deps, survey.slug, l.code),
      translation: translations.get(l.code) ?? null,
    }));
    res.render("staff/share", {
      pageTitle: `Share: ${localized(survey.definition.title, "en")}`,
      survey: { slug: survey.slug, status: survey.status, audience: survey.audience },
      title: localized(survey.definition.title, "en") || survey.slug,
      languages,
      channels: surveyMeta(survey.definition)?.channels ?? [],
      isAdmin: req.staff?.role === "admin",
      unreachable: unreachableHost(publicUrl, req.get("host")),
    });
  });

  router.get("/staff/surveys/:slug/qr.png", staff, async (req: SlugRequest, res: Response) => {
    const survey = await staffSurvey(db, req.params.slug);
    if (survey.audience !== "public") throw new NotFound("Staff forms have no public link");
    const lang = surveyLanguage(req, survey);
    const png = await QRCode.toBuffer(publicLink(req, deps, survey.slug, lang), {
      ...QR_OPTIONS,
      type: "png",
      width: 1024,
    });
    res.type("png").attachment(`${survey.slug}-${lang}-qr.png`).send(png);
  });

  router.get("/staff/surveys/:slug/qr.svg", staff, async (req: SlugRequest, res: Response) => {
    const survey = await staffSurvey(db, req.params.slug);
    if (survey.audience !== "public") throw new NotFound("Staff forms have no public link");
    const lang = surveyLanguage(req, survey);
    const svg = await QRCode.toString(publicLink(req, deps, survey.slug, lang), {
      ...QR_OPTIONS,
      type: "svg",
    });
    res.type("image/svg+xml").attachment(`${survey.slug}-${lang}-qr.svg`).send(svg);
  });

  router.get("/staff/surveys/:slug/flyer", staff, async (req: SlugRequest, res: Response) => {
    const survey = await staffSurvey(db, req.params.slug);
    if (survey.audience !== "public") throw new NotFound("Staff forms have no flyer");
    const asked = ([] as unknown[]).concat(req.query.lang ?? "en").map(String);
    const chosen = survey.languages.filter((code) => asked.includes(code));
    const codes = chosen.length ? chosen : ["en"];
    const blocks = await Promise.all(
      codes.map(async (code) => {
        const link = publicLink(req, deps, survey.slug, code);
        return {
          language: getLanguage(code),
          t: translator(code),
          title: localized(survey.definition.title, code),
          description: localized(survey.definition.description, code),
          link,
          qrSvg: await QRCode.toString(link, { ...QR_OPTIONS, type: "svg" }),
        };
      }),
    );
    res.render("staff/print/flyer", {
      language: getLanguage(codes[0] ?? "en"),
      pageTitle: blocks[0]?.title ?? survey.slug,
      blocks,
      back: `/staff/surveys/${survey.slug}/share`,
      unreachable: unreachableHost(publicUrl, req.get("host")),
    });
  });

  router.get("/staff/surveys/:slug/paper", staff, async (req: SlugRequest, res: Response) => {
    const survey = await staffSurvey(db, req.params.slug);
    const lang = surveyLanguage(req, survey);
    const t = translator(lang);
    res.render("staff/print/paper", {
      language: getLanguage(lang),
      t,
      paper: paperSurvey(clientDefinition(survey), lang, t),
      languages: LANGUAGES.filter((l) => survey.languages.includes(l.code)),
      slug: survey.slug,
      back: `/staff/surveys/${survey.slug}/share`,
    });
  });

  router.get("/staff/surveys/:slug/preview", staff, async (req: SlugRequest, res: Response) => {
    const survey = await staffSurvey(db, req.params.slug);
    const lang = surveyLanguage(req, survey);
    res.render("staff/survey-run", {
      pageTitle: `Preview: ${localized(survey.definition.title, "en")}`,
      mode: "preview",
      ...runLocals(survey, lang),
    });
  });

  router.get("/staff/surveys/:slug/entry", staff, async (req: SlugRequest, res: Response) => {
    const survey = await staffSurvey(db, req.params.slug);
    const lang = surveyLanguage(req, survey);
    const channels = (surveyMeta(survey.definition)?.channels ?? []).filter((c) =>
      STAFF_CHANNELS.includes(c),
    );
    if (channels.length === 0)
      throw new NotFound("This survey takes no paper, event or interview responses");
    res.render("staff/survey-run", {
      pageTitle: `Data entry: ${localized(survey.definition.title, "en")}`,
      mode: "entry",
      channels,
      locations: await listLocationRows(db),
      ...runLocals(survey, lang),
    });
  });

  router.post(
    "/staff/surveys/:slug/entry",
    staff,
    express.json({ limit: "200kb" }),
    async (req: SlugRequest, res: Response) => {
      const body = (req.body ?? {}) as { channel?: unknown };
      if (typeof body.channel !== "string" || !STAFF_CHANNELS.includes(body.channel as Channel)) {
        throw new InputError("The response envelope is invalid", {}, undefined, [
          {
            question: "(channel)",
            message: "data entry records paper, event or interview responses",
          },
        ]);
      }
      const result = await submitResponse(db, req.params.slug, req.body, {
        staff: true,
        isKnownLocation: async (id) => (await findLocation(db, id)) !== undefined,
      });
      res.status(result.status).json({ id: result.id, duplicate: result.duplicate });
    },
  );

  return router;
}

function runLocals(survey: SurveyRow, lang: string) {
  const language = getLanguage(lang);
  return {
    slug: survey.slug,
    title: localized(survey.definition.title, "en") || survey.slug,
    lang,
    language,
    languages: LANGUAGES.filter((l) => survey.languages.includes(l.code)),
    definition: clientDefinition(survey),
    status: survey.status,
  };
}
