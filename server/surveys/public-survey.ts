// What the public pages and API show of a survey.
import type { Db } from "../db.ts";
import { HttpError } from "../errors.ts";
import { findSurvey, type SurveyRow } from "../queries/surveys.ts";
import { localized } from "./definition.ts";
import { asPublic } from "./translation-status.ts";

/**
 * A survey a member of the public may see, offered in its public languages only (draft
 * translations are hidden until approved or allowed); staff-only forms and unknown slugs are 404.
 */
export async function takeableSurvey(db: Db, slug: string): Promise<SurveyRow> {
  const survey = await findSurvey(db, slug);
  if (survey?.audience !== "public") {
    throw new HttpError(404, `There is no survey "${slug}"`, undefined, "error.surveyNotFound");
  }
  return asPublic(db, survey);
}

/** The SurveyJS JSON a browser needs: the definition without Open Door's own key. */
export function clientDefinition(survey: SurveyRow): Record<string, unknown> {
  const { openDoor: _meta, ...json } = survey.definition;
  return json;
}

export function surveyView(survey: SurveyRow, lang: string) {
  return {
    slug: survey.slug,
    status: survey.status,
    title: localized(survey.definition.title, lang) || survey.slug,
    description: localized(survey.definition.description, lang),
    languages: survey.languages,
    definition: clientDefinition(survey),
  };
}
