// The survey catalogue: every surveys/*.json file, checked at start-up and synced to the database.
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import { LANGUAGES } from "../i18n/languages.ts";
import { listTranslations, type TranslationRecord } from "../queries/survey-translations.ts";
import { type SurveyVersionInput, saveSurveyVersion } from "../queries/surveys.ts";
import { readSurveyFile, type SurveyDefinition } from "./definition.ts";
import { applyTranslation } from "./translatable-strings.ts";

/** Reads every survey file; the first broken one stops everything with a message naming it. */
export function loadSurveyFiles(dir: string): SurveyDefinition[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
  } catch {
    throw new InputError("the surveys folder does not exist", { file: dir });
  }
  return files.map((file) => readSurveyFile(path.join(dir, file)));
}

export interface SyncResult {
  slug: string;
  versionId: number;
  newVersion: boolean;
}

/**
 * The version to store for a survey file: the file, with the translations staff imported laid
 * over it (each adds its language). Without imports the hash is the file's own; with them it
 * also covers the imported strings, so each distinct combination is one version.
 */
export function withImportedTranslations(
  def: SurveyDefinition,
  records: ReadonlyMap<string, TranslationRecord>,
): SurveyVersionInput {
  let json = def.json;
  const imported = [...records.values()]
    .filter((r): r is TranslationRecord & { strings: Record<string, string> } => r.strings !== null)
    .sort((a, b) => a.language.localeCompare(b.language));
  for (const record of imported) json = applyTranslation(json, record.language, record.strings);
  const added = new Set([...def.meta.languages, ...imported.map((r) => r.language)]);
  const languages = LANGUAGES.map((l) => l.code).filter((code) => added.has(code));
  const hash = imported.length
    ? createHash("sha256")
        .update(def.hash)
        .update(JSON.stringify(imported.map((r) => [r.language, r.strings])))
        .digest("hex")
    : def.hash;
  return {
    slug: def.slug,
    hash,
    definition: { ...json, openDoor: { ...def.meta, languages } },
    languages,
    audience: def.meta.audience,
    status: def.meta.status,
  };
}

/** New surveys are added; a changed file becomes a new version; old responses keep theirs. */
export async function syncSurveys(db: Db, dir: string): Promise<SyncResult[]> {
  const definitions = loadSurveyFiles(dir);
  const results: SyncResult[] = [];
  for (const def of definitions) {
    const input = withImportedTranslations(def, await listTranslations(db, def.slug));
    const { versionId, created } = await saveSurveyVersion(db, input);
    results.push({ slug: def.slug, versionId, newVersion: created });
  }
  return results;
}

/** Re-records one survey after its imported translations changed. */
export async function resyncSurvey(db: Db, dir: string, slug: string): Promise<SyncResult> {
  const def = readSurveyFile(path.join(dir, `${slug}.json`));
  const input = withImportedTranslations(def, await listTranslations(db, slug));
  const { versionId, created } = await saveSurveyVersion(db, input);
  return { slug, versionId, newVersion: created };
}
