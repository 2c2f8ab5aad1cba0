// The equity self-assessment: the rubric with the evidence the platform holds, recording an
// assessment, its history (chart, table, printable page, CSV).
//
// Who may do what: every staff role may view the rubric, print it and download the CSV (it holds
// the team's scores and notes, no respondent data), and record an assessment, since the
// assessment is a team exercise that front-line staff run with community members. Deleting an
// assessment (a mistaken entry) is for admins. Recording, deleting and CSV downloads are
// audit-logged.
import { pipeline } from "node:stream/promises";
import { type Request, type Response, Router } from "express";
import { InputError, NotFound, ProductError } from "../../errors.ts";
import { auditedExport } from "../../exports/audited-export.ts";
import { actorOf, requireRole, webUser } from "../../middleware/auth.ts";
import { statusOf } from "../../middleware/errors.ts";
import { findAssessment, listAssessments } from "../../queries/rubric.ts";
import {
  emptyForm,
  type FormState,
  formFromBody,
  presentAssessment,
  rubricPageModel,
} from "../../reports/rubric-page.ts";
import { latestDataReviewRun } from "../../reports/usage-gaps.ts";
import { assessmentCsv } from "../../rubric/assessment-csv.ts";
import {
  assessmentId,
  isoDay,
  recordAssessment,
  removeAssessment,
} from "../../rubric/assessments.ts";
import {
  getRubric,
  isRubricLanguage,
  RUBRIC_LANGUAGES,
  type RubricLanguage,
} from "../../rubric/rubric.ts";
import { addNavItem, chartScripts, fieldErrors, flash, type StaffDeps } from "./pages.ts";

/** ?lang= (or the form's lang field): the rubric's texts in English or Spanish. */
function rubricLanguage(value: unknown): RubricLanguage {
  if (value === undefined || value === "") return "en";
  if (isRubricLanguage(value)) return value;
  throw new InputError(
    `The rubric is written in ${RUBRIC_LANGUAGES.join(" and ")}; "${String(value).slice(0, 20)}" is not one of them`,
  );
}

const withLang = (path: string, lang: RubricLanguage) =>
  lang === "en" ? path : `${path}?lang=${lang}`;

export function rubricRoutes({ db, config }: StaffDeps): Router {
  addNavItem({ href: "/staff/rubric", label: "Equity rubric", role: "staff" }, "/staff/gaps");
  const router = Router();
  const staff = requireRole("staff");
  const admin = requireRole("admin");
  // The data review reads the latest saved usage-gap run (falling back to the imports).
  const evidenceOptions = { suppressBelow: config.suppressBelow, latestRun: latestDataReviewRun };

  async function renderPage(res: Response, lang: RubricLanguage, form: FormState, status = 200) {
    const rubric = getRubric();
    const page = await rubricPageModel(db, rubric, { ...evidenceOptions, lang, form });
    res.status(status).render("staff/rubric", {
      pageTitle: "Equity rubric",
      page,
      scripts: [
        ...chartScripts(res),
        (res.app.locals.asset as (f: string) => string)("js/staff-rubric.js"),
      ],
      styles: [(res.app.locals.asset as (f: string) => string)("css/staff-rubric.css")],
      withLang,
    });
  }

  router.get("/staff/rubric", staff, async (req: Request, res: Response) => {
    await renderPage(res, rubricLanguage(req.query.lang), emptyForm(isoDay(new Date())));
  });

  router.post("/staff/rubric", staff, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lang = rubricLanguage(body.lang);
    try {
      const id = await recordAssessment(db, getRubric(), body, actorOf(req));
      const assessment = await findAssessment(db, id);
      flash(req, `Assessment of ${assessment?.assessedOn ?? "today"} recorded.`);
      res.redirect(303, `${withLang("/staff/rubric", lang)}#assessment-${id}`);
    } catch (error) {
      if (!(error instanceof ProductError) || error.details.length === 0) throw error;
      await renderPage(res, lang, formFromBody(body, fieldErrors(error)), statusOf(error));
    }
  });

  router.post("/staff/rubric/delete", admin, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lang = rubricLanguage(body.lang);
    const id = assessmentId(body.assessment);
    const { assessedOn } = await removeAssessment(db, id, actorOf(req));
    flash(req, `Assessment of ${assessedOn} (number ${id}) deleted.`);
    res.redirect(303, `${withLang("/staff/rubric", lang)}#history`);
  });

  router.get("/staff/rubric/print", staff, async (req: Request, res: Response) => {
    const lang = rubricLanguage(req.query.lang);
    const rubric = getRubric();
    const page = await rubricPageModel(db, rubric, {
      ...evidenceOptions,
      lang,
      form: emptyForm(isoDay(new Date())),
    });
    let assessment = req.query.blank === "1" ? null : page.latest;
    if (req.query.assessment !== undefined) {
      const record = await findAssessment(db, assessmentId(req.query.assessment));
      if (!record) throw new NotFound("There is no such assessment");
      assessment = presentAssessment(rubric, record, lang);
    }
    res.render("staff/rubric-print", {
      pageTitle: assessment
        ? `Equity rubric: assessment of ${assessment.assessedOn}`
        : "Equity rubric worksheet",
      page,
      assessment,
      printedOn: isoDay(new Date()),
      scripts: [(res.app.locals.asset as (f: string) => string)("js/staff-rubric.js")],
      styles: [(res.app.locals.asset as (f: string) => string)("css/staff-rubric.css")],
      withLang,
    });
  });

  router.get("/staff/rubric/assessments.csv", staff, async (req: Request, res: Response) => {
    const lang = rubricLanguage(req.query.lang);
    const assessments = await listAssessments(db);
    const file = await auditedExport(
      db,
      webUser(req),
      {
        action: "export.rubric",
        target: "rubric assessments",
        details: { assessments: assessments.length, lang },
      },
      async () => ({
        fileName: `rubric-assessments-${isoDay(new Date())}${lang === "en" ? "" : `-${lang}`}.csv`,
        stream: assessmentCsv(getRubric(), assessments, lang),
      }),
    );
    res.type("text/csv; charset=utf-8");
    res.attachment(file.fileName);
    await pipeline(file.stream, res);
  });

  return router;
}
