// The survey catalogue: the survey files, checked at start-up and synced to each library's
// database. Three folders:
// - `surveys/*.json`: the default library's own surveys (a one-library install has only these);
// - `surveys/standard/*.json` (STANDARD_SURVEYS_DIR): the consortium's standard surveys, which the
//   default library adopts at start-up and other libraries adopt from /staff/surveys;
// - `surveys/libraries/<slug>/*.json`: that library's own surveys.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import { LANGUAGES } from "../i18n/languages.ts";
import { type AuditBy, appendAuditBy } from "../queries/audit-log.ts";
import { isDefaultLibrary, type Library } from "../queries/libraries.ts";
import { listTranslations, type TranslationRecord } from "../queries/survey-translations.ts";
import {
  findSurvey,
  listStandardSlugs,
  type SurveyVersionInput,
  saveSurveyVersion,
} from "../queries/surveys.ts";
import { localized, readSurveyFile, type SurveyDefinition } from "./definition.ts";
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

/** The files of a folder that may not exist (no standard surveys, a library without its own). */
function loadOptionalFiles(dir: string): SurveyDefinition[] {
  return existsSync(dir) ? loadSurveyFiles(dir) : [];
}

/** Where one library's survey files are: its own folder, and the consortium's standard surveys. */
export interface SurveyFolders {
  own: string;
  standard: string;
}

/** The folders of a library's surveys (the default library's when none is named). */
export function surveyFolders(
  config: Pick<Config, "surveysDir" | "standardSurveysDir">,
  library?: Pick<Library, "id" | "slug">,
): SurveyFolders {
  return {
    own:
      !library || isDefaultLibrary(library)
        ? config.surveysDir
        : path.join(config.surveysDir, "libraries", library.slug),
    standard: config.standardSurveysDir,
  };
}

/** The standard surveys last read, per folder, with the files' sizes and times they came from. */
const standardRead = new Map<string, { signature: string; definitions: SurveyDefinition[] }>();

/**
 * The consortium's standard surveys, from their folder (none when it does not exist). Pages ask
 * for them on every request: they are read again only when a file in the folder changed.
 */
export function loadStandardSurveys(
  config: Pick<Config, "surveysDir" | "standardSurveysDir">,
): SurveyDefinition[] {
  const dir = surveyFolders(config).standard;
  if (!existsSync(dir)) return [];
  const signature = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const stat = statSync(path.join(dir, f));
      return `${f}:${stat.size}:${stat.mtimeMs}`;
    })
    .join("|");
  const kept = standardRead.get(dir);
  if (kept?.signature === signature) return kept.definitions;
  const definitions = loadSurveyFiles(dir);
  standardRead.set(dir, { signature, definitions });
  return definitions;
}

/** The standard surveys as a library's admin sees them: each with whether the library adopted it. */
export async function standardSurveyChoices(
  libraryDb: Db,
  config: Pick<Config, "surveysDir" | "standardSurveysDir">,
): Promise<{ slug: string; title: string; adopted: boolean }[]> {
  const adopted = new Set(await listStandardSlugs(libraryDb));
  return loadStandardSurveys(config).map((def) => ({
    slug: def.slug,
    title: localized(def.json.title, "en") || def.slug,
    adopted: adopted.has(def.slug),
  }));
}

export interface SyncResult {
  slug: string;
  /** The survey's title in English. */
  title: string;
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

async function saveDefinition(db: Db, def: SurveyDefinition, standard: boolean) {
  const input = withImportedTranslations(def, await listTranslations(db, def.slug));
  const { versionId, created } = await saveSurveyVersion(db, { ...input, standard });
  return {
    slug: def.slug,
    title: localized(def.json.title, "en") || def.slug,
    versionId,
    newVersion: created,
  };
}

/** A slug both among a library's own files and the standard surveys would be two surveys in one. */
function refuseClash(own: readonly SurveyDefinition[], folders: SurveyFolders, slug: string): void {
  if (own.some((def) => def.slug === slug)) {
    throw new InputError(
      `the survey "${slug}" is both a standard survey (${path.join(folders.standard, `${slug}.json`)}) and one of the library's own (${path.join(folders.own, `${slug}.json`)}): rename one of the files`,
      { file: path.join(folders.own, `${slug}.json`) },
    );
  }
}

/**
 * The default library's surveys: the files of `dir`, and every standard survey (from
 * `standardDir`, default `<dir>/standard`), adopted. New surveys are added; a changed file
 * becomes a new version; old responses keep theirs.
 */
export async function syncSurveys(
  db: Db,
  dir: string,
  standardDir = path.join(dir, "standard"),
): Promise<SyncResult[]> {
  const folders = { own: dir, standard: standardDir };
  const own = loadSurveyFiles(dir);
  const standard = loadOptionalFiles(standardDir);
  for (const def of standard) refuseClash(own, folders, def.slug);
  const results: SyncResult[] = [];
  for (const def of own) results.push(await saveDefinition(db, def, false));
  for (const def of standard) results.push(await saveDefinition(db, def, true));
  return results;
}

/**
 * A library's surveys, at start-up and when the library is added: its own files
 * (`surveys/libraries/<slug>/`, none is fine) and the standard surveys it adopted, read again so
 * a changed standard file becomes a new version there too. The default library adopts every
 * standard survey and keeps `surveys/*.json` as its own.
 */
export async function syncLibrarySurveys(
  libraryDb: Db,
  library: Pick<Library, "id" | "slug">,
  config: Pick<Config, "surveysDir" | "standardSurveysDir">,
): Promise<SyncResult[]> {
  const folders = surveyFolders(config, library);
  if (isDefaultLibrary(library)) return syncSurveys(libraryDb, folders.own, folders.standard);
  const own = loadOptionalFiles(folders.own);
  const adopted = new Set(await listStandardSlugs(libraryDb));
  const standard = loadOptionalFiles(folders.standard).filter((def) => adopted.has(def.slug));
  for (const def of standard) refuseClash(own, folders, def.slug);
  const results: SyncResult[] = [];
  for (const def of own) results.push(await saveDefinition(libraryDb, def, false));
  for (const def of standard) results.push(await saveDefinition(libraryDb, def, true));
  return results;
}

/**
 * A library adopts one of the consortium's standard surveys: it is recorded in the library's
 * database, marked standard (so the consortium view compares it), and audited. Adopting one
 * already adopted records nothing new. Refused when the library has a survey of its own with
 * that slug.
 */
export async function adoptStandardSurvey(
  libraryDb: Db,
  slug: string,
  config: Pick<Config, "surveysDir" | "standardSurveysDir">,
  by: AuditBy,
): Promise<SyncResult> {
  const folders = surveyFolders(config);
  const def = loadStandardSurveys(config).find((d) => d.slug === slug);
  if (!def) {
    throw new InputError(`There is no standard survey "${slug}" in ${folders.standard}`);
  }
  const existing = await findSurvey(libraryDb, slug);
  if (existing && !existing.standard) {
    throw new InputError(
      `This library already has a survey of its own called "${slug}": rename its file before adopting the standard survey`,
    );
  }
  const result = await saveDefinition(libraryDb, def, true);
  if (!existing) {
    await appendAuditBy(libraryDb, by, {
      action: "survey.adopt",
      target: slug,
      details: { version: result.versionId },
    });
  }
  return result;
}

/** Re-records one survey after its imported translations changed, from its own folder. */
export async function resyncSurvey(
  db: Db,
  folders: SurveyFolders,
  slug: string,
): Promise<SyncResult> {
  const standard = (await findSurvey(db, slug))?.standard ?? false;
  const def = readSurveyFile(path.join(standard ? folders.standard : folders.own, `${slug}.json`));
  return saveDefinition(db, def, standard);
}
