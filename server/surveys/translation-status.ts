// Which of a survey's languages the public sees. Each language other than English has a status:
// draft (e.g. a machine translation), reviewed (by the community) or approved (by staff). Only
// approved languages, and drafts staff explicitly allow, are offered on the public page, the
// kiosk and the API. The survey file may mark its own translations (openDoor.translationStatus);
// a status set by staff (stored in survey_translations) overrides the file's.
import type { Db } from "../db.ts";
import { DEFAULT_LANGUAGE, getLanguage } from "../i18n/languages.ts";
import {
  listTranslations,
  type TranslationRecord,
  type TranslationStatus,
} from "../queries/survey-translations.ts";
import type { SurveyRow } from "../queries/surveys.ts";
import { surveyMeta } from "./definition.ts";

export const STATUS_LABELS: Readonly<Record<TranslationStatus, string>> = {
  draft: "machine draft — needs community review",
  reviewed: "community reviewed",
  approved: "approved",
};

export interface LanguageTranslation {
  language: string;
  englishName: string;
  nativeName: string;
  status: TranslationStatus;
  statusLabel: string;
  allowDraft: boolean;
  /** Offered to the public. */
  isPublic: boolean;
  /** Where the status comes from. */
  setBy: "file" | "staff";
  statusBy: string | null;
  statusAt: Date | null;
  importedBy: string | null;
  importedAt: Date | null;
}

export const isPublicStatus = (status: TranslationStatus, allowDraft: boolean) =>
  status === "approved" || allowDraft;

/** The survey's languages other than English, each with its status. */
export function languageTranslations(
  survey: SurveyRow,
  records: ReadonlyMap<string, TranslationRecord>,
): LanguageTranslation[] {
  const declared = surveyMeta(survey.definition)?.translationStatus ?? {};
  return survey.languages
    .filter((code) => code !== DEFAULT_LANGUAGE)
    .map((code) => {
      const record = records.get(code);
      const status: TranslationStatus = record?.status ?? declared[code] ?? "approved";
      const allowDraft = record?.allowDraft ?? false;
      const language = getLanguage(code);
      return {
        language: code,
        englishName: language.englishName,
        nativeName: language.nativeName,
        status,
        statusLabel: STATUS_LABELS[status],
        allowDraft,
        isPublic: isPublicStatus(status, allowDraft),
        setBy: record ? "staff" : "file",
        statusBy: record?.statusBy ?? null,
        statusAt: record?.statusAt ?? null,
        importedBy: record?.importedBy ?? null,
        importedAt: record?.importedAt ?? null,
      };
    });
}

export async function surveyTranslations(
  db: Db,
  survey: SurveyRow,
): Promise<LanguageTranslation[]> {
  return languageTranslations(survey, await listTranslations(db, survey.slug));
}

/** The languages the public is offered: English and every approved or allowed-draft language. */
export async function publicLanguages(db: Db, survey: SurveyRow): Promise<string[]> {
  const translations = await surveyTranslations(db, survey);
  const shown = new Set(translations.filter((t) => t.isPublic).map((t) => t.language));
  return survey.languages.filter((code) => code === DEFAULT_LANGUAGE || shown.has(code));
}

/** The survey as the public sees it: its languages limited to the public ones. */
export async function asPublic(db: Db, survey: SurveyRow): Promise<SurveyRow> {
  return { ...survey, languages: await publicLanguages(db, survey) };
}
