// Staff's changes to a survey's translations: a language's status set, a translation file's
// strings imported. Each writes its own audit entry (translation.status, translation.import), so
// a caller cannot forget it.
import type { Db } from "../db.ts";
import { type AuditBy, appendAuditBy } from "../queries/audit-log.ts";
import {
  saveImportedStrings,
  saveTranslationStatus,
  type TranslationStatus,
} from "../queries/survey-translations.ts";
import { resyncSurvey, type SurveyFolders } from "./catalogue.ts";

/** Sets one language's status (and whether a draft may be public), audited. */
export async function setTranslationStatus(
  db: Db,
  change: { slug: string; language: string; status: TranslationStatus; allowDraft: boolean },
  by: AuditBy,
): Promise<void> {
  await saveTranslationStatus(db, { ...change, by: by.actor?.email ?? null, at: new Date() });
  await appendAuditBy(db, by, {
    action: "translation.status",
    target: `${change.slug} ${change.language}`,
    details: { status: change.status, allowDraft: change.allowDraft },
  });
}

/**
 * Stores a language's imported strings with its new status, re-reads the survey from its folder
 * (the library's own, or the standard surveys') so the strings take effect, and audits the import (the file's name and counts).
 */
export async function importTranslation(
  db: Db,
  folders: SurveyFolders,
  imported: {
    slug: string;
    language: string;
    strings: Record<string, string>;
    status: TranslationStatus;
    fileName: string;
    read: number;
    changed: number;
  },
  by: AuditBy,
): Promise<void> {
  const { slug, language, strings, status } = imported;
  await saveImportedStrings(db, {
    slug,
    language,
    strings,
    status,
    allowDraft: false,
    by: by.actor?.email ?? null,
    at: new Date(),
  });
  await resyncSurvey(db, folders, slug);
  await appendAuditBy(db, by, {
    action: "translation.import",
    target: `${slug} ${language}`,
    details: { file: imported.fileName, strings: imported.read, changed: imported.changed },
  });
}
