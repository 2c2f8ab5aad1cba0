// Finds text in a survey definition that a declared language would not see translated.
import { Serializer } from "survey-core";
import {
  isJsonObject,
  type JsonObject,
  type JsonPath,
  walkSurveyJson,
} from "./walk-survey-json.ts";

export interface MissingTranslation {
  /** JSON path, e.g. pages[0].elements[3].choices[2].text */
  path: string;
  /** Languages missing there ("en" = the "default" text). */
  missing: string[];
}

/** pages[0].elements[3].choices[2].text */
const pathText = (path: JsonPath) =>
  path.reduce<string>(
    (text, part) =>
      typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${part}` : part,
    "",
  );
const isNumeric = (v: unknown) =>
  typeof v === "number" || (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v));

function missingIn(value: unknown, languages: readonly string[]): string[] {
  if (!isJsonObject(value)) return [...languages];
  return languages.filter((lang) => {
    const text = value[lang === "en" ? "default" : lang];
    return typeof text !== "string" || text.trim() === "";
  });
}

/**
 * Walks the JSON with SurveyJS's own metadata (Serializer), so every localizable property of
 * every element type is checked, including choices, matrix rows and columns, and validators.
 * A choice given as a bare value (or with no text) shows that value in every language, so it
 * counts as untranslated unless it is a number.
 */
export function findMissingTranslations(
  json: JsonObject,
  languages: readonly string[],
): MissingTranslation[] {
  const problems: MissingTranslation[] = [];
  walkSurveyJson(json, {
    text(path, _container, _key, value) {
      const missing = missingIn(value, languages);
      if (missing.length) problems.push({ path: pathText(path), missing });
    },
    item(path, item, className) {
      if (!className || !Serializer.isDescendantOf(className, "itemvalue")) return;
      if (isJsonObject(item)) {
        if (item.text === undefined && !isNumeric(item.value))
          problems.push({ path: `${pathText(path)}.text`, missing: [...languages] });
      } else if (!isNumeric(item)) {
        problems.push({ path: pathText(path), missing: [...languages] });
      }
    },
  });
  return problems;
}
