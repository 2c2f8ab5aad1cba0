// The translatable strings of a survey definition, each with a stable id (its JSON path), found
// with SurveyJS's own metadata (Serializer) like findMissingTranslations, and a way to write a
// language's texts back at those paths.
import { DEFAULT_LANGUAGE } from "../i18n/languages.ts";
import { isJsonObject as isObject, type JsonObject, walkSurveyJson } from "./walk-survey-json.ts";

export interface TranslationUnit {
  /**
   * The JSON path with dots only, e.g. pages.0.elements.3.choices.2.text (an XML NMTOKEN, so it
   * can be an XLIFF unit id as it is).
   */
  id: string;
  /** The English (default) text. */
  source: string;
  /** The language's text, or null when the survey has none. */
  target: string | null;
}

const localeKey = (language: string) => (language === DEFAULT_LANGUAGE ? "default" : language);

/** A localizable value's text in one language ("default" is English). */
function textIn(value: unknown, language: string): string | null {
  if (typeof value === "string") return language === DEFAULT_LANGUAGE ? value : null;
  if (!isObject(value)) return null;
  const text = value[localeKey(language)] ?? (language === DEFAULT_LANGUAGE ? value.en : undefined);
  return typeof text === "string" && text.trim() !== "" ? text : null;
}

/** Calls `found` for every localizable property of the survey, in document order. */
function walk(
  json: JsonObject,
  found: (id: string, container: JsonObject, key: string, value: unknown) => void,
): void {
  walkSurveyJson(json, {
    text: (path, container, key, value) => found(path.join("."), container, key, value),
  });
}

/** The survey's strings with their English source and their text in `language`. */
export function translationUnits(json: JsonObject, language: string): TranslationUnit[] {
  const units: TranslationUnit[] = [];
  walk(json, (id, _container, _key, value) => {
    const source = textIn(value, DEFAULT_LANGUAGE);
    if (source === null) return;
    units.push({ id, source, target: textIn(value, language) });
  });
  return units;
}

/**
 * A copy of the survey JSON with `language`'s texts set from `strings` (unit id → text); ids the
 * survey does not have are ignored (the import has checked them).
 */
export function applyTranslation(
  json: JsonObject,
  language: string,
  strings: Readonly<Record<string, string>>,
): JsonObject {
  const copy = structuredClone(json);
  walk(copy, (id, container, key, value) => {
    const text = strings[id];
    if (text === undefined) return;
    const texts = typeof value === "string" ? { default: value } : isObject(value) ? value : {};
    container[key] = { ...texts, [localeKey(language)]: text };
  });
  return copy;
}
