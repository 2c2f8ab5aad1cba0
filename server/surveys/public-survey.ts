// What the public pages and API show of a survey.
import type { Db } from "../db.ts";
import { NotFound } from "../errors.ts";
import { DEFAULT_LANGUAGE, getLanguage } from "../i18n/languages.ts";
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
    throw new NotFound(`There is no survey "${slug}"`, {
      translation: { key: "error.surveyNotFound" },
    });
  }
  return asPublic(db, survey);
}

/** The SurveyJS JSON a browser needs: the definition without Open Door's own key. */
export function clientDefinition(survey: SurveyRow): Record<string, unknown> {
  const { openDoor: _meta, ...json } = survey.definition;
  return json;
}

/**
 * A survey's public view in `lang`. Its title and description are taken in `lang` only when the
 * survey is offered in it (a draft translation stays hidden, even in a list); otherwise in
 * English, with `textLang` and `textDir` saying so for the element that shows them.
 */
export function surveyView(survey: SurveyRow, lang: string) {
  const text = getLanguage(survey.languages.includes(lang) ? lang : DEFAULT_LANGUAGE);
  return {
    slug: survey.slug,
    status: survey.status,
    title: localized(survey.definition.title, text.code) || survey.slug,
    description: localized(survey.definition.description, text.code),
    textLang: text.htmlLang,
    textDir: text.dir,
    languages: survey.languages,
    definition: clientDefinition(survey),
  };
}
