// An import error as the staff page shows it: in the reader's language when the message has a
// catalogue entry (imports.error.*), with where it happened (file, line, column, field); in
// English, as the importer wrote it, otherwise.
import path from "node:path";
import type { InputError } from "../errors.ts";
import { DEFAULT_LANGUAGE, getLanguage } from "../i18n/languages.ts";
import { translator } from "../i18n/messages.ts";
import { describeFinding, IdentifyingColumnError } from "./identifying-columns.ts";

export interface ImportErrorText {
  text: string;
  /** The language of `text` (BCP 47) and its direction, for the element that shows it. */
  lang: string;
  dir: "ltr" | "rtl";
  /** "Nothing was imported." in the same language. */
  nothingImported: string;
}

/** `english`: the error's English message as the page may show it (temporary paths removed). */
export function importErrorText(
  error: InputError,
  language: string,
  english: string,
): ImportErrorText {
  const code =
    error.translation || error instanceof IdentifyingColumnError ? language : DEFAULT_LANGUAGE;
  const t = translator(code);
  const { htmlLang, dir } = getLanguage(code);
  const nothingImported = t("imports.error.nothingImported");
  if (error instanceof IdentifyingColumnError) {
    // The guard names the column and counts values, in the reader's language, never quoting one.
    const findings = error.findings.map((f) => describeFinding(f, t, code)).join(" ");
    const file = error.where.file !== undefined ? `${path.basename(error.where.file)}: ` : "";
    return { text: `${file}${findings}`, lang: htmlLang, dir, nothingImported };
  }
  if (!error.translation) return { text: english, lang: htmlLang, dir, nothingImported };
  const { file, line, column, field } = error.where;
  const place = [
    file !== undefined ? path.basename(file) : undefined,
    line !== undefined ? t("imports.where.line", { line }) : undefined,
    column !== undefined ? t("imports.where.column", { column }) : undefined,
    field !== undefined ? t("imports.where.field", { field }) : undefined,
  ].filter((part): part is string => part !== undefined);
  const message = t(error.translation.key, error.translation.params);
  const text = place.length
    ? t("imports.error.at", { place: place.join(t("imports.where.join")), message })
    : message;
  return { text, lang: htmlLang, dir, nothingImported };
}
