// One walk over a survey definition with SurveyJS's own metadata (Serializer), so every
// localizable property of every element type is found, including choices, matrix rows and
// columns, and validators. Shared by the translation check at load (translations.ts) and the
// translator files (translatable-strings.ts).
import { Serializer } from "survey-core";

export type JsonObject = Record<string, unknown>;
/** Where a value is: property names, and indexes into arrays. */
export type JsonPath = readonly (string | number)[];

export const isJsonObject = (v: unknown): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export interface SurveyJsonVisitor {
  /** A localizable property (`container[key]` is `value`: a string or { default, es, … }). */
  text(path: JsonPath, container: JsonObject, key: string, value: unknown): void;
  /**
   * An element of an array or object property, before it is walked: an object of a known class,
   * or a bare value (a choice given as just its value). `className` is its SurveyJS class.
   */
  item?(path: JsonPath, item: unknown, className: string | undefined): void;
}

export function walkSurveyJson(json: JsonObject, visitor: SurveyJsonVisitor): void {
  const visit = (obj: JsonObject, className: string, path: JsonPath) => {
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
      const here = [...path, name];
      if (property.isLocalizable) {
        visitor.text(here, obj, name, value);
        continue;
      }
      const items = Array.isArray(value) ? value : isJsonObject(value) ? [value] : [];
      const elementClass = property.className ?? property.baseClassName;
      if (!elementClass && !property.classNamePart) continue;
      items.forEach((item, index) => {
        const itemPath = Array.isArray(value) ? [...here, index] : here;
        if (!isJsonObject(item)) {
          visitor.item?.(itemPath, item, elementClass);
          return;
        }
        const type =
          typeof item.type === "string" ? item.type + (property.classNamePart ?? "") : elementClass;
        if (!type || !Serializer.findClass(type)) return;
        visitor.item?.(itemPath, item, type);
        visit(item, type, itemPath);
      });
    }
  };
  visit(json, "survey", []);
}
