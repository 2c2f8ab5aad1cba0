// Public pages: the list of open surveys and a survey to take.
import { type Request, type Response, Router } from "express";
import type { Db } from "../db.ts";
import { Gone } from "../errors.ts";
import { chooseLanguage, locale, setPageLanguage } from "../middleware/locale.ts";
import { listSurveys } from "../queries/surveys.ts";
import { surveyView, takeableSurvey } from "../surveys/public-survey.ts";
import { asPublic } from "../surveys/translation-status.ts";

export function publicRouter(db: Db): Router {
  const router = Router();

  router.get("/", locale, async (_req: Request, res: Response) => {
    const open = await listSurveys(db, { status: "open", audience: "public" });
    const surveys = await Promise.all(open.map((survey) => asPublic(db, survey)));
    const lang = res.locals.lang as string;
    res.render("public/home", { surveys: surveys.map((s) => surveyView(s, lang)) });
  });

  router.get("/s/:slug", locale, async (req: Request<{ slug: string }>, res: Response) => {
    const survey = await takeableSurvey(db, req.params.slug);
    const lang = chooseLanguage(req, survey.languages);
    setPageLanguage(res, lang, survey.languages);
    if (survey.status !== "open")
      throw new Gone("This survey is closed", { translation: { key: "error.surveyClosed" } });
    res.render("public/survey", { survey: surveyView(survey, lang), channel: "web" });
  });

  return router;
}
