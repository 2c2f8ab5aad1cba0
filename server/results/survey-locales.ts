// The SurveyJS locale of an Open Door language, on the server. Importing the strings module
// registers SurveyJS's interface strings ("Other (describe)", "Yes", "No") under Open Door's codes.
import "../i18n/surveyjs-strings.ts";
import { DEFAULT_LANGUAGE } from "../i18n/languages.ts";

/** The SurveyJS `locale` for an Open Door language code ("" is SurveyJS's default, English). */
export function surveyLocale(language: string): string {
  return language === DEFAULT_LANGUAGE ? "" : language;
}
