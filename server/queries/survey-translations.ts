// Translation status and imported strings per survey and language (table survey_translations).
import type { Db } from "../db.ts";
import { toDate } from "./responses.ts";

export const TRANSLATION_STATUSES = ["draft", "reviewed", "approved"] as const;
export type TranslationStatus = (typeof TRANSLATION_STATUSES)[number];

export interface TranslationRecord {
  language: string;
  status: TranslationStatus;
  allowDraft: boolean;
  statusBy: string | null;
  statusAt: Date | null;
  /** Imported strings (unit id → text); null when none were imported. */
  strings: Record<string, string> | null;
  importedBy: string | null;
  importedAt: Date | null;
}

interface RawRow {
  language: string;
  status: TranslationStatus;
  allow_draft: boolean | number;
  status_by: string | null;
  status_at: Date | string | number | null;
  strings: string | null;
  imported_by: string | null;
  imported_at: Date | string | number | null;
}

const COLUMNS = [
  "language",
  "status",
  "allow_draft",
  "status_by",
  "status_at",
  "strings",
  "imported_by",
  "imported_at",
];

function toRecord(row: RawRow): TranslationRecord {
  return {
    language: row.language,
    status: row.status,
    allowDraft: Boolean(row.allow_draft),
    statusBy: row.status_by,
    statusAt: row.status_at === null ? null : toDate(row.status_at),
    strings: row.strings === null ? null : (JSON.parse(row.strings) as Record<string, string>),
    importedBy: row.imported_by,
    importedAt: row.imported_at === null ? null : toDate(row.imported_at),
  };
}

/** The stored records of a survey, by language. */
export async function listTranslations(
  db: Db,
  slug: string,
): Promise<Map<string, TranslationRecord>> {
  const rows = (await db("survey_translations")
    .select(COLUMNS)
    .where({ survey_slug: slug })
    .orderBy("language")) as RawRow[];
  return new Map(rows.map((row) => [row.language, toRecord(row)]));
}

/** Sets the status (and whether a draft may be public) of one language; who and when. */
export async function saveTranslationStatus(
  db: Db,
  entry: {
    slug: string;
    language: string;
    status: TranslationStatus;
    allowDraft: boolean;
    by: string | null;
    at: Date;
  },
): Promise<void> {
  const values = {
    status: entry.status,
    allow_draft: entry.allowDraft,
    status_by: entry.by,
    status_at: entry.at,
  };
  await db("survey_translations")
    .insert({ survey_slug: entry.slug, language: entry.language, ...values })
    .onConflict(["survey_slug", "language"])
    .merge(values);
}

/** Stores imported strings for one language together with its new status. */
export async function saveImportedStrings(
  db: Db,
  entry: {
    slug: string;
    language: string;
    strings: Record<string, string>;
    status: TranslationStatus;
    allowDraft: boolean;
    by: string | null;
    at: Date;
  },
): Promise<void> {
  const values = {
    strings: JSON.stringify(entry.strings),
    imported_by: entry.by,
    imported_at: entry.at,
    status: entry.status,
    allow_draft: entry.allowDraft,
    status_by: entry.by,
    status_at: entry.at,
  };
  await db("survey_translations")
    .insert({ survey_slug: entry.slug, language: entry.language, ...values })
    .onConflict(["survey_slug", "language"])
    .merge(values);
}
