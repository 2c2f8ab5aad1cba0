// UI message catalogues: one JSON file per language in ./messages, English as the reference.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_LANGUAGE, LANGUAGES } from "./languages.ts";

type Catalogue = Readonly<Record<string, string>>;

const MESSAGES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "messages");

function loadCatalogue(code: string): Catalogue {
  return JSON.parse(readFileSync(path.join(MESSAGES_DIR, `${code}.json`), "utf8")) as Catalogue;
}

export const catalogues: ReadonlyMap<string, Catalogue> = new Map(
  LANGUAGES.map((l) => [l.code, loadCatalogue(l.code)]),
);

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** A translator for one language; a key missing there falls back to English, then to the key itself. */
export function translator(code: string): Translate {
  const own = catalogues.get(code) ?? {};
  const fallback = catalogues.get(DEFAULT_LANGUAGE) ?? {};
  return (key, params) => {
    const template = own[key] ?? fallback[key] ?? key;
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) =>
      name in params ? String(params[name]) : match,
    );
  };
}
