// SurveyJS's own strings ("Other (describe)", "Yes", "No") in every Open Door language, on the
// server. survey-core keeps them under its own locale codes (zh-cn, fil); the survey JSON uses
// Open Door's codes (zh, tl), so the strings are registered under those too, as the browser does.
import { surveyLocalization } from "survey-core";
import "survey-core/i18n/english";
import "survey-core/i18n/spanish";
import "survey-core/i18n/simplified-chinese";
import "survey-core/i18n/vietnamese";
import "survey-core/i18n/philippines";
import "survey-core/i18n/korean";
import "survey-core/i18n/arabic";
import { DEFAULT_LANGUAGE, LANGUAGES } from "../i18n/languages.ts";

const locales = surveyLocalization.locales as Record<string, unknown>;
for (const language of LANGUAGES) {
  if (!locales[language.code] && locales[language.surveyjsLocale]) {
    locales[language.code] = locales[language.surveyjsLocale];
  }
}

/** The SurveyJS `locale` for an Open Door language code ("" is SurveyJS's default, English). */
export function surveyLocale(language: string): string {
  return language === DEFAULT_LANGUAGE ? "" : language;
}
