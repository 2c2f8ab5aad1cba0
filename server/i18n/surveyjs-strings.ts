// SurveyJS's own interface strings ("Next", "Page 1 of 8", "Response required.") in every Open Door
// language. survey-core ships a translation for most languages, but some of its strings are wrong
// or in the wrong register for a library survey (Tagalog "Maaliwalas" for "Clear", Korean page
// counters reversed, Spanish "tú"), so each language has a reviewed file of overrides,
// server/i18n/surveyjs/<code>.json; a language survey-core does not know keeps its whole set there.
// The merged strings are registered under Open Door's codes (zh, not zh-cn) here, on the server,
// and sent to the browser as JSON by the survey pages (surveyjsStringsJson), so the paper form,
// the results pages and the online survey all say the same thing.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { englishStrings, surveyLocalization } from "survey-core";
import { ROOT_DIR } from "../config.ts";
import { LANGUAGES, type Language } from "./languages.ts";

export type SurveyjsStrings = Record<string, string>;

export const SURVEYJS_STRINGS_DIR = path.join(ROOT_DIR, "server", "i18n", "surveyjs");

/** A language's overrides file, checked: only survey-core's own keys, each a non-empty string. */
export function readSurveyjsOverrides(file: string): SurveyjsStrings {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`${file}: expected an object of SurveyJS strings, key → text`);
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in englishStrings))
      throw new Error(
        `${file}: "${key}" is not a SurveyJS string key (see survey-core/i18n/english)`,
      );
    if (typeof value !== "string" || !value.trim())
      throw new Error(`${file}: "${key}" must be a non-empty string`);
  }
  return parsed as SurveyjsStrings;
}

/** survey-core's own translation for a language, or none when it has no file for it. */
async function surveyCoreStrings(language: Language): Promise<SurveyjsStrings> {
  if (language.code === "en") return { ...(englishStrings as SurveyjsStrings) };
  const file = language.surveyjsFile;
  if (!file) return {};
  const module_ = path.join(ROOT_DIR, "node_modules", "survey-core", "fesm", "i18n", `${file}.mjs`);
  if (!existsSync(module_))
    throw new Error(
      `server/i18n/languages.ts: survey-core has no translation "${file}" for ${language.code}`,
    );
  // The i18n module registers its strings with survey-core under SurveyJS's code (zh-cn, fil).
  await import(`survey-core/i18n/${file}`);
  const locales = surveyLocalization.locales as Record<string, SurveyjsStrings | undefined>;
  return { ...(locales[language.surveyjsLocale ?? ""] ?? {}) };
}

const merged = new Map<string, SurveyjsStrings>();
for (const language of LANGUAGES) {
  const strings = {
    ...(await surveyCoreStrings(language)),
    ...readSurveyjsOverrides(path.join(SURVEYJS_STRINGS_DIR, `${language.code}.json`)),
  };
  merged.set(language.code, strings);
  surveyLocalization.setupLocale({
    localeCode: language.code,
    strings,
    nativeName: language.nativeName,
    englishName: language.englishName,
    rtl: language.dir === "rtl",
  });
}

/** The SurveyJS strings for an Open Door language (English for an unknown code). */
export function surveyjsStrings(code: string): SurveyjsStrings {
  return merged.get(code) ?? (merged.get("en") as SurveyjsStrings);
}

/**
 * The strings of `codes` as JSON for a `<script type="application/json" id="surveyjs-strings">`
 * element, read by public/js/survey-locale.js: `{ code: { strings, rtl } }`, "<" escaped.
 */
export function surveyjsStringsJson(codes: readonly string[]): string {
  const byCode = Object.fromEntries(
    codes.map((code) => {
      const language = LANGUAGES.find((l) => l.code === code);
      return [code, { strings: surveyjsStrings(code), rtl: language?.dir === "rtl" }];
    }),
  );
  return JSON.stringify(byCode).replace(/</g, "\\u003c");
}
