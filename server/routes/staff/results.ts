// Survey results for staff: tables and charts with filters and weighting, a cross-tab with its
// test, and open answers with tags.
import { type Request, type Response, Router } from "express";
import { z } from "zod";
import { isSmallCount } from "../../analysis/small-count.ts";
import type { Db } from "../../db.ts";
import { InputError, ProductError } from "../../errors.ts";
import { LANGUAGES } from "../../i18n/languages.ts";
import { translator } from "../../i18n/messages.ts";
import { requireRole } from "../../middleware/auth.ts";
import { listLocationRows } from "../../queries/kiosk-locations.ts";
import { crossTabView } from "../../reports/cross-tab-view.ts";
import {
  surveyOpenAnswers,
  tagOpenAnswer,
  untagOpenAnswer,
} from "../../reports/open-answer-tags.ts";
import { CHANNEL_LABELS } from "../../reports/overview.ts";
import { responsesMap } from "../../reports/response-maps.ts";
import { refusedResultsPage, resultsPage } from "../../reports/results-page.ts";
import { presentCount } from "../../reports/suppression.ts";
import { surveyCrossTab, surveyResults } from "../../reports/survey-results.ts";
import { loadResultsSurvey, respondedLocations } from "../../reports/survey-scope.ts";
import { checkSurveyView } from "../../reports/view-privacy.ts";
import { crossTabVariableText } from "../../results/cross-tab-variable.ts";
import {
  crossTabVariables,
  filterQuery,
  type ResultsQuery,
  resultsQuery,
  toFilter,
} from "../../results/results-query.ts";
import type { SurveyCodebook } from "../../results/types.ts";
import { chartScripts, type StaffDeps } from "./pages.ts";

type SlugRequest = Request<{ slug: string }>;

/** Choices for the filter form: the survey's languages, channels, and places with responses. */
async function filterOptions(db: Db, slug: string, codebook: SurveyCodebook) {
  const names = new Map(
    (await listLocationRows(db, { includeRetired: true })).map((l) => [l.id, l.name]),
  );
  return {
    languages: LANGUAGES.filter((l) => codebook.languages.includes(l.code)),
    channels: Object.entries(CHANNEL_LABELS).map(([code, label]) => ({ code, label })),
    locations: (await respondedLocations(db, slug)).map((id) => ({
      code: id === "" ? "-" : id,
      label: id === "" ? "No location (web link)" : (names.get(id) ?? id),
    })),
    hasUseStatus: Boolean(codebook.useStatus),
  };
}

/** Cross-tab variables a staff member can pick: groups, then questions that make categories. */
function crossTabOptions(codebook: SurveyCodebook): { value: string; label: string }[] {
  const groups: { value: string; label: string }[] = [
    { value: "group:useStatus", label: "Library use (users / non-users)" },
    { value: "group:language", label: "Language of the response" },
    { value: "group:channel", label: "Channel" },
    { value: "group:location", label: "Location" },
    { value: "group:month", label: "Month" },
  ].filter((g) => g.value !== "group:useStatus" || codebook.useStatus);
  const questions = codebook.questions.flatMap((q) => {
    if (q.kind === "single" || q.kind === "rating")
      return [{ value: crossTabVariableText({ question: q.name }), label: q.title }];
    if (q.kind === "multiple")
      return q.choices.map((c) => ({
        value: crossTabVariableText({ question: q.name, choice: c.code }),
        label: `${q.title}: ${c.label}`,
      }));
    if (q.kind === "matrix")
      return q.rows.map((r) => ({
        value: crossTabVariableText({ question: q.name, row: r.code }),
        label: `${q.title}: ${r.label}`,
      }));
    return [];
  });
  return [...groups, ...questions];
}

/**
 * The cross-tab's two variables from the query string (`rows`, `cols`), read as `npm run export
 * -- crosstab` reads --rows and --columns (one parser); a malformed one is a 400 naming it.
 */
export function resultsRoutes({ db, config }: StaffDeps): Router {
  const router = Router();
  const staff = requireRole("staff");
  const k = config.suppressBelow;

  async function common(req: SlugRequest) {
    const query = resultsQuery(req.query);
    const survey = await loadResultsSurvey(db, req.params.slug, "en");
    const labels =
      query.labels && survey.codebook.languages.includes(query.labels) ? query.labels : "en";
    return {
      query: { ...query, labels },
      survey,
      options: await filterOptions(db, survey.survey.slug, survey.codebook),
    };
  }

  /** Whether the filtered view may show numbers (server/reports/view-privacy.ts). */
  const viewCheck = (slug: string, codebook: SurveyCodebook, query: ResultsQuery) =>
    checkSurveyView(db, slug, codebook.useStatus, toFilter(query), k);

  router.get("/staff/surveys/:slug", staff, async (req: SlugRequest, res: Response) => {
    const { query, survey, options } = await common(req);
    const t = translator(query.labels);
    const check = await viewCheck(req.params.slug, survey.codebook, query);
    const page = {
      tab: "results",
      query,
      qs: filterQuery(query),
      options,
      t,
      scripts: chartScripts(res),
    };
    if (!check.shown) {
      const labelled = await loadResultsSurvey(db, req.params.slug, query.labels);
      res.render("staff/results", {
        ...page,
        pageTitle: `Results: ${labelled.codebook.title}`,
        slug: req.params.slug,
        title: labelled.codebook.title,
        model: refusedResultsPage(check.refusal),
      });
      return;
    }
    const report = await surveyResults(
      db,
      { slug: req.params.slug, language: query.labels, filter: toFilter(query) },
      {
        groupBy: query.group,
        weighting: query.weight ? {} : undefined,
      },
    );
    res.render("staff/results", {
      ...page,
      pageTitle: `Results: ${report.title}`,
      slug: report.slug,
      title: report.title,
      model: resultsPage(report, k, null, t),
      responsesMap: await responsesMap(db, report.slug, k),
    });
  });

  router.get("/staff/surveys/:slug/crosstab", staff, async (req: SlugRequest, res: Response) => {
    const { query, survey, options } = await common(req);
    const variables = crossTabOptions(survey.codebook);
    let rowsValue = typeof req.query.rows === "string" ? req.query.rows : "";
    let colsValue = typeof req.query.cols === "string" ? req.query.cols : "";
    const t = translator(query.labels);
    const check = await viewCheck(req.params.slug, survey.codebook, query);
    let table = null;
    let error: string | null = null;
    if (!check.shown) {
      error = t(check.refusal.key, check.refusal.params);
    } else if (rowsValue && colsValue) {
      try {
        const { rows, columns } = crossTabVariables(req.query);
        // A link of the old `q:` form selects its variable in the form all the same.
        rowsValue = crossTabVariableText(rows);
        colsValue = crossTabVariableText(columns);
        const result = await surveyCrossTab(
          db,
          { slug: req.params.slug, language: query.labels, filter: toFilter(query) },
          rows,
          columns,
          { weighting: query.weight ? {} : undefined },
        );
        // Fewer than k respondents with both answers: no numbers, as for a small view.
        if (isSmallCount(result.n, k)) error = t("privacy.view.tooFew", { n: k });
        else table = crossTabView(result, k, t);
      } catch (e) {
        if (!(e instanceof ProductError)) throw e;
        error = e.message;
      }
    } else if (rowsValue || colsValue) {
      error = "Choose two variables.";
    }
    res.render("staff/crosstab", {
      pageTitle: `Cross-tab: ${survey.codebook.title}`,
      tab: "crosstab",
      slug: req.params.slug,
      title: survey.codebook.title,
      query,
      qs: filterQuery(query),
      options,
      variables,
      rowsValue: rowsValue || "group:useStatus",
      colsValue,
      table,
      error,
    });
  });

  const answersSchema = z.object({
    q: z.string().max(200).optional().catch(undefined),
    question: z.string().max(100).optional().catch(undefined),
    tag: z.string().max(50).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
  });
  const PAGE = 50;

  router.get("/staff/surveys/:slug/answers", staff, async (req: SlugRequest, res: Response) => {
    const { query, survey, options } = await common(req);
    const search = answersSchema.parse(req.query);
    const page = search.page ?? 1;
    const labelled = await loadResultsSurvey(db, req.params.slug, query.labels);
    const t = translator(query.labels);
    const check = await viewCheck(req.params.slug, survey.codebook, query);
    const answers = check.shown
      ? await surveyOpenAnswers(
          db,
          { slug: req.params.slug, language: query.labels, filter: toFilter(query) },
          {
            search: search.q || undefined,
            questions: search.question ? [search.question] : undefined,
            tag: search.tag || undefined,
            offset: (page - 1) * PAGE,
            limit: PAGE,
            minimumAnswered: k,
          },
        )
      : { total: 0, answers: [], tagCounts: [], withheld: [] };
    const names = new Map(
      (await listLocationRows(db, { includeRetired: true })).map((l) => [l.id, l.name]),
    );
    res.render("staff/answers", {
      pageTitle: `Open answers: ${labelled.codebook.title}`,
      tab: "answers",
      slug: req.params.slug,
      title: labelled.codebook.title,
      query,
      qs: filterQuery(query),
      options,
      search,
      page,
      pages: Math.max(1, Math.ceil(answers.total / PAGE)),
      answers: {
        ...answers,
        // Counts beside the answers follow the small-count rule too.
        totalText: presentCount(answers.total, k).display,
        tagCounts: answers.tagCounts.map((c) => ({
          ...c,
          display: presentCount(c.count, k).display,
        })),
      },
      refusal: check.shown ? null : t(check.refusal.key, check.refusal.params),
      withheldText: t("privacy.openAnswers.tooFew", { n: k }),
      questions: labelled.codebook.questions.filter(
        (q) =>
          q.kind === "comment" ||
          (q.kind === "text" && !q.numeric) ||
          ((q.kind === "single" || q.kind === "multiple") && q.other) ||
          q.commentKey,
      ),
      channelLabels: CHANNEL_LABELS,
      locationNames: names,
      here: req.originalUrl,
    });
  });

  const tagSchema = z.object({
    responseId: z.string().min(1).max(36),
    question: z.string().min(1).max(200),
    tag: z.string().max(200),
    back: z.string().max(2000).optional(),
  });
  const backTo = (slug: string, back: string | undefined) =>
    back?.startsWith(`/staff/surveys/${slug}/answers`) ? back : `/staff/surveys/${slug}/answers`;

  router.post("/staff/surveys/:slug/tags", staff, async (req: SlugRequest, res: Response) => {
    const parsed = tagSchema.safeParse(req.body);
    if (!parsed.success) throw new InputError("Give the answer and the tag to add");
    await tagOpenAnswer(db, {
      slug: req.params.slug,
      responseId: parsed.data.responseId,
      question: parsed.data.question,
      tag: parsed.data.tag,
      createdBy: req.staff?.id ?? null,
    });
    res.redirect(303, backTo(req.params.slug, parsed.data.back));
  });

  router.post(
    "/staff/surveys/:slug/tags/remove",
    staff,
    async (req: SlugRequest, res: Response) => {
      const parsed = tagSchema.safeParse(req.body);
      if (!parsed.success) throw new InputError("Give the answer and the tag to remove");
      await untagOpenAnswer(db, {
        slug: req.params.slug,
        responseId: parsed.data.responseId,
        question: parsed.data.question,
        tag: parsed.data.tag,
      });
      res.redirect(303, backTo(req.params.slug, parsed.data.back));
    },
  );

  return router;
}
