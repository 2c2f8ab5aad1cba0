// Translations of a survey: per-language status (draft / reviewed / approved, who and when),
// translator files out (XLIFF 2.0, two-column CSV) and back in with a checked report, and a
// printable side-by-side review page for community reviewers.
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { type Request, type Response, Router } from "express";
import multer from "multer";
import { z } from "zod";
import { InputError, NotFound } from "../../errors.ts";
import { interfaceFiles, interfaceUnits } from "../../i18n/interface-strings.ts";
import { DEFAULT_LANGUAGE, findLanguage, LANGUAGES } from "../../i18n/languages.ts";
import { requireRole, webUser } from "../../middleware/auth.ts";
import { safeName, uploadFolder } from "../../middleware/uploads.ts";
import { TRANSLATION_STATUSES } from "../../queries/survey-translations.ts";
import type { SurveyRow } from "../../queries/surveys.ts";
import { surveyFolders } from "../../surveys/catalogue.ts";
import { localized } from "../../surveys/definition.ts";
import { type TranslationUnit, translationUnits } from "../../surveys/translatable-strings.ts";
import {
  readTranslationFile,
  type TranslationImportReport,
  translationCsv,
  writeXliff,
} from "../../surveys/translation-files.ts";
import { STATUS_LABELS, surveyTranslations } from "../../surveys/translation-status.ts";
import { importTranslation, setTranslationStatus } from "../../surveys/translation-updates.ts";
import { flash, type StaffDeps, staffSurvey } from "./pages.ts";

type SlugRequest = Request<{ slug: string }>;
type LangRequest = Request<{ slug: string; lang: string }>;

const IMPORT_PATH = "/staff/translations/import";
const INTERFACE_IMPORT_PATH = "/staff/translations/interface/import";

const statusForm = z.object({
  status: z.enum(TRANSLATION_STATUSES),
  allowDraft: z.literal("1").optional(),
});

const importForm = z.object({
  slug: z.string().min(1),
  language: z.string().min(1),
  status: z.enum(TRANSLATION_STATUSES),
});

/** A language the survey can be translated into (any Open Door language but English). */
function targetLanguage(code: string) {
  const language = findLanguage(code);
  if (!language || language.code === DEFAULT_LANGUAGE) {
    throw new NotFound(`"${code}" is not a language Open Door can translate a survey into`);
  }
  return language;
}

/** What a translator's file holds: the strings of a survey, or of the interface, in a language. */
interface TranslationSource {
  /** The XLIFF file's id and the download's name before "_LANG". */
  slug: string;
  language: string;
  units: TranslationUnit[];
}

/**
 * An uploaded translator's file read against `units`: its checked report, or the message for the
 * form (naming the file as uploaded, never the temporary folder).
 */
async function readUpload(
  req: Request,
  file: Express.Multer.File,
  units: readonly TranslationUnit[],
  language: string,
): Promise<
  { report: TranslationImportReport; fileName: string } | { error: string; fileName: string }
> {
  const fileName = safeName(file.originalname);
  try {
    return { report: await readTranslationFile(file.path, fileName, units, language), fileName };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const where = req.uploadDir ? `${req.uploadDir}${path.sep}` : "";
    return { error: where ? error.message.split(where).join("") : error.message, fileName };
  }
}

export function translationRoutes({ db, config, csrf, library }: StaffDeps): Router {
  const router = Router();
  const staff = requireRole("staff");
  const upload = multer({
    storage: multer.diskStorage({
      destination: (req, _file, done) => done(null, req.uploadDir ?? ""),
      filename: (_req, file, done) => done(null, safeName(file.originalname)),
    }),
    limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 10 },
  });

  /** The survey and the language a survey-translation route names (404 for either unknown). */
  async function surveyLanguage(req: LangRequest) {
    const survey = await staffSurvey(db, req.params.slug);
    return { survey, language: targetLanguage(req.params.lang) };
  }

  /** The same strings out as XLIFF 2.0 (`PATH.xlf`) and as the two-column CSV (`PATH.csv`). */
  function downloads<P extends { lang: string }>(
    routePath: string,
    source: (req: Request<P>) => Promise<TranslationSource>,
  ) {
    router.get(`${routePath}.xlf`, staff, async (req: Request<P>, res: Response) => {
      const { slug, language, units } = await source(req);
      res
        .type("application/xliff+xml; charset=utf-8")
        .attachment(`${slug}_${language}.xlf`)
        .send(writeXliff({ slug, language, units }));
    });
    router.get(`${routePath}.csv`, staff, async (req: Request<P>, res: Response) => {
      const { slug, language, units } = await source(req);
      res.type("text/csv; charset=utf-8").attachment(`${slug}_${language}.csv`);
      await pipeline(translationCsv(units), res);
    });
  }

  async function render(
    res: Response,
    survey: SurveyRow,
    status = 200,
    extra: { report?: TranslationImportReport; error?: string; fileName?: string } = {},
  ) {
    res.status(status).render("staff/translations", {
      pageTitle: `Translations: ${localized(survey.definition.title, "en") || survey.slug}`,
      survey: { slug: survey.slug, title: localized(survey.definition.title, "en") || survey.slug },
      translations: await surveyTranslations(db, survey),
      statuses: TRANSLATION_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] })),
      units: translationUnits(survey.definition, DEFAULT_LANGUAGE).length,
      allLanguages: LANGUAGES.filter((l) => l.code !== DEFAULT_LANGUAGE),
      newLanguages: LANGUAGES.filter(
        (l) => l.code !== DEFAULT_LANGUAGE && !survey.languages.includes(l.code),
      ),
      ...extra,
    });
  }

  router.get("/staff/surveys/:slug/translations", staff, async (req: SlugRequest, res) => {
    await render(res, await staffSurvey(db, req.params.slug));
  });

  downloads("/staff/surveys/:slug/translations/:lang", async (req: LangRequest) => {
    const { survey, language } = await surveyLanguage(req);
    return {
      slug: survey.slug,
      language: language.code,
      units: translationUnits(survey.definition, language.code),
    };
  });

  router.get(
    "/staff/surveys/:slug/translations/:lang/review",
    staff,
    async (req: LangRequest, res: Response) => {
      const { survey, language } = await surveyLanguage(req);
      const translation = (await surveyTranslations(db, survey)).find(
        (t) => t.language === language.code,
      );
      res.render("staff/print/translation-review", {
        pageTitle: `Review: ${language.englishName}`,
        title: localized(survey.definition.title, "en") || survey.slug,
        language,
        translation,
        units: translationUnits(survey.definition, language.code),
        back: `/staff/surveys/${survey.slug}/translations`,
      });
    },
  );

  router.post(
    "/staff/surveys/:slug/translations/:lang/status",
    staff,
    async (req: LangRequest, res: Response) => {
      const { survey, language } = await surveyLanguage(req);
      if (!survey.languages.includes(language.code)) {
        throw new InputError(`The survey has no ${language.englishName} translation yet`);
      }
      const parsed = statusForm.safeParse(req.body);
      if (!parsed.success) {
        throw new InputError(`Status must be one of ${TRANSLATION_STATUSES.join(", ")}`);
      }
      const allowDraft = parsed.data.status !== "approved" && parsed.data.allowDraft === "1";
      await setTranslationStatus(
        db,
        { slug: survey.slug, language: language.code, status: parsed.data.status, allowDraft },
        webUser(req),
      );
      flash(
        req,
        `${language.englishName}: ${STATUS_LABELS[parsed.data.status]}${allowDraft ? ", shown to the public as a draft" : ""}.`,
      );
      res.redirect(303, `/staff/surveys/${survey.slug}/translations`);
    },
  );

  router.post(
    IMPORT_PATH,
    staff,
    uploadFolder,
    upload.single("file"),
    csrf.uploadRoute(IMPORT_PATH),
    async (req: Request, res: Response) => {
      const form = importForm.safeParse(req.body);
      if (!form.success) throw new InputError("Choose the language and the status");
      const survey = await staffSurvey(db, form.data.slug);
      const language = targetLanguage(form.data.language);
      const file = req.file;
      if (!file) {
        await render(res, survey, 400, { error: "Choose an XLIFF (.xlf) or CSV file to import." });
        return;
      }
      const read = await readUpload(
        req,
        file,
        translationUnits(survey.definition, language.code),
        language.code,
      );
      if ("error" in read) {
        await render(res, survey, 400, read);
        return;
      }
      const { report, fileName } = read;
      if (!report.strings) {
        await render(res, survey, 400, { report, fileName });
        return;
      }
      await importTranslation(
        db,
        surveyFolders(config, library),
        {
          slug: survey.slug,
          language: language.code,
          strings: report.strings,
          status: form.data.status,
          fileName,
          read: report.read,
          changed: report.changed,
        },
        webUser(req),
      );
      await render(res, await staffSurvey(db, survey.slug), 200, { report, fileName });
    },
  );

  // Interface strings: out as XLIFF or CSV, back in checked and given back as the files to commit.
  async function renderInterface(
    res: Response,
    status = 200,
    extra: {
      report?: TranslationImportReport;
      error?: string;
      fileName?: string;
      files?: string;
    } = {},
  ) {
    res.status(status).render("staff/interface-translation", {
      pageTitle: "Interface translations",
      languages: LANGUAGES.filter((l) => l.code !== DEFAULT_LANGUAGE),
      units: interfaceUnits(DEFAULT_LANGUAGE).length,
      ...extra,
    });
  }

  router.get("/staff/translations/interface", staff, async (_req: Request, res: Response) => {
    await renderInterface(res);
  });

  downloads("/staff/translations/interface/:lang", async (req: Request<{ lang: string }>) => {
    const language = targetLanguage(req.params.lang).code;
    return { slug: "open-door-interface", language, units: interfaceUnits(language) };
  });

  router.post(
    INTERFACE_IMPORT_PATH,
    staff,
    uploadFolder,
    upload.single("file"),
    csrf.uploadRoute(INTERFACE_IMPORT_PATH),
    async (req: Request, res: Response) => {
      const code = typeof req.body?.language === "string" ? req.body.language : "";
      const language = targetLanguage(code);
      const file = req.file;
      if (!file) {
        await renderInterface(res, 400, { error: "Choose an XLIFF (.xlf) or CSV file to check." });
        return;
      }
      const read = await readUpload(req, file, interfaceUnits(language.code), language.code);
      if ("error" in read) {
        await renderInterface(res, 400, read);
        return;
      }
      const { report, fileName } = read;
      await renderInterface(res, report.strings ? 200 : 400, {
        report,
        fileName,
        files: report.strings
          ? JSON.stringify(interfaceFiles(language.code, report.strings), null, 2)
          : undefined,
      });
    },
  );

  return router;
}
