// Finds text in a survey definition that a declared language would not see translated.
import { Serializer } from "survey-core";

export interface MissingTranslation {
  /** JSON path, e.g. pages[0].elements[3].choices[2].text */
  path: string;
  /** Languages missing there ("en" = the "default" text). */
  missing: string[];
}

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isNumeric = (v: unknown) =>
  typeof v === "number" || (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v));

function missingIn(value: unknown, languages: readonly string[]): string[] {
  if (!isObject(value)) return [...languages];
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

  const visit = (obj: JsonObject, className: string, path: string) => {
    for (const [name, value] of Object.entries(obj)) {
      const property = Serializer.findProperty(className, name) as
        | {
            isLocalizable?: boolean;
            className?: string;
            classNamePart?: string;
            baseClassName?: string;
          }
        | undefined;
      if (!property) continue;
      const here = path ? `${path}.${name}` : name;
      if (property.isLocalizable) {
        const missing = missingIn(value, languages);
        if (missing.length) problems.push({ path: here, missing });
        continue;
      }
      const items = Array.isArray(value) ? value : isObject(value) ? [value] : [];
      const elementClass = property.className ?? property.baseClassName;
      if (!elementClass && !property.classNamePart) continue;
      items.forEach((item, index) => {
        const itemPath = Array.isArray(value) ? `${here}[${index}]` : here;
        if (isObject(item)) {
          const type =
            typeof item.type === "string"
              ? item.type + (property.classNamePart ?? "")
              : elementClass;
          if (type && Serializer.findClass(type)) {
            const isItem = Serializer.isDescendantOf(type, "itemvalue");
            if (isItem && item.text === undefined && !isNumeric(item.value)) {
              problems.push({ path: `${itemPath}.text`, missing: [...languages] });
            }
            visit(item, type, itemPath);
          }
        } else if (
          elementClass &&
          Serializer.isDescendantOf(elementClass, "itemvalue") &&
          !isNumeric(item)
        ) {
          problems.push({ path: itemPath, missing: [...languages] });
        }
      });
    }
  };

  visit(json, "survey", "");
  return problems;
}
