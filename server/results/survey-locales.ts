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
import "survey-core/i18n/haitian-creole";
import "survey-core/i18n/russian";
import "survey-core/i18n/portuguese";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT_DIR } from "../config.ts";
import { DEFAULT_LANGUAGE, LANGUAGES } from "../i18n/languages.ts";

// Open Door's own SurveyJS strings (server/i18n/surveyjs/<code>.json): the whole set where
// survey-core has no locale (so, hmn, ne), corrections where it has one (ht, ru, pt). The
// browser gets the same file through surveyjsStrings (views) and public/js/survey-locale.js.
const OWN_STRINGS = path.join(ROOT_DIR, "server", "i18n", "surveyjs");
const ownStrings = new Map<string, Record<string, string> | null>();

/** Open Door's SurveyJS strings for a language, or null when it has none. */
export function surveyjsStrings(code: string): Record<string, string> | null {
  if (!ownStrings.has(code)) {
    const file = path.join(OWN_STRINGS, `${code}.json`);
    ownStrings.set(code, existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null);
  }
  return ownStrings.get(code) ?? null;
}

const locales = surveyLocalization.locales as Record<string, Record<string, string> | undefined>;
for (const language of LANGUAGES) {
  const base = locales[language.surveyjsLocale ?? ""];
  const own = surveyjsStrings(language.code);
  if (own) locales[language.code] = { ...base, ...own };
  else if (!locales[language.code] && base) locales[language.code] = base;
}

/** The SurveyJS `locale` for an Open Door language code ("" is SurveyJS's default, English). */
export function surveyLocale(language: string): string {
  return language === DEFAULT_LANGUAGE ? "" : language;
}
