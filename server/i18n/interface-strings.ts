// Open Door's interface strings for translators: the page texts (messages/<code>.json) and the
// SurveyJS strings the surveys show (surveyjs/<code>.json), as translation units with the same
// ids in XLIFF and CSV. They are part of the code, so an imported file is checked and given back
// as the two JSON files for a developer to commit, not stored.
import { surveyLocalization } from "survey-core";
import type { TranslationUnit } from "../surveys/translatable-strings.ts";
import { getLanguage } from "./languages.ts";
import { catalogues } from "./messages.ts";
import { surveyjsStrings } from "./surveyjs-strings.ts";

const MESSAGES = "messages.";
const SURVEYJS = "surveyjs.";

/** The SurveyJS keys Open Door translates itself: those of its complete files (so, hmn, ne). */
function surveyjsKeys(): string[] {
  return Object.keys(surveyjsStrings("so") ?? {});
}

/** Every interface string with its English source and its text in `code`. */
export function interfaceUnits(code: string): TranslationUnit[] {
  const english = catalogues.get("en") ?? {};
  const target = catalogues.get(code) ?? {};
  const locales = surveyLocalization.locales as Record<string, Record<string, string> | undefined>;
  const own = surveyjsStrings(code) ?? {};
  const shipped = locales[getLanguage(code).surveyjsLocale ?? ""] ?? {};
  return [
    ...Object.entries(english).map(([key, source]) => ({
      id: `${MESSAGES}${key}`,
      source,
      target: target[key] ?? null,
    })),
    ...surveyjsKeys().map((key) => ({
      id: `${SURVEYJS}${key}`,
      source: locales.en?.[key] ?? key,
      target: own[key] ?? shipped[key] ?? null,
    })),
  ];
}

/** Checked strings (unit id → text) as the two files they belong in. */
export function interfaceFiles(
  code: string,
  strings: Readonly<Record<string, string>>,
): Record<string, Record<string, string>> {
  const pick = (prefix: string) =>
    Object.fromEntries(
      Object.entries(strings)
        .filter(([id]) => id.startsWith(prefix))
        .map(([id, text]) => [id.slice(prefix.length), text]),
    );
  return {
    [`server/i18n/messages/${code}.json`]: pick(MESSAGES),
    [`server/i18n/surveyjs/${code}.json`]: pick(SURVEYJS),
  };
}
