// Reads and checks one survey file: plain SurveyJS JSON plus an optional `openDoor` key.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Model } from "survey-core";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { DEFAULT_LANGUAGE, LANGUAGES } from "../i18n/languages.ts";
import { parseJsonText } from "../json-text.ts";
import { TRANSLATION_STATUSES } from "../queries/survey-translations.ts";

export const CHANNELS = ["web", "kiosk", "paper", "event", "interview"] as const;
export type Channel = (typeof CHANNELS)[number];
/** Channels a member of the public can submit on; the others need a logged-in staff member. */
export const PUBLIC_CHANNELS: readonly Channel[] = ["web", "kiosk"];

const languageCodes = LANGUAGES.map((l) => l.code) as [string, ...string[]];

const metaSchema = z
  .object({
    languages: z.array(z.enum(languageCodes)).min(1).optional(),
    audience: z.enum(["public", "staff"]).default("public"),
    channels: z.array(z.enum(CHANNELS)).min(1).optional(),
    status: z.enum(["open", "closed"]).default("open"),
    useStatus: z
      .object({ question: z.string().min(1), nonUserValues: z.array(z.string()).min(1) })
      .optional(),
    // The profile questions that meet census dimensions (server/results/profile-mappings.ts reads them
    // for raking and the fieldwork guide); each defaults to the question name in
    // DEFAULT_RAKING_QUESTIONS there.
    profile: z
      .object({
        age: z.string().min(1).optional(),
        language: z.string().min(1).optional(),
        area: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /**
     * Review status of the file's translations (e.g. machine drafts). A language not listed is
     * approved: its texts were reviewed when the file was written. Staff changes override it.
     */
    translationStatus: z
      .partialRecord(z.enum(languageCodes), z.enum(TRANSLATION_STATUSES))
      .optional(),
  })
  .strict();

export type SurveyMeta = z.infer<typeof metaSchema> & { languages: string[]; channels: Channel[] };

/**
 * The product's own settings of a stored survey definition (its `openDoor` key): the one place
 * that reads them. A stored definition passed parseSurveyDefinition when the catalogue synced it,
 * which filled in languages and channels; undefined only for one stored without the key.
 */
export function surveyMeta(definition: Record<string, unknown>): SurveyMeta | undefined {
  return definition.openDoor as SurveyMeta | undefined;
}

export interface SurveyDefinition {
  slug: string;
  /** SurveyJS JSON without the `openDoor` key. */
  json: Record<string, unknown>;
  meta: SurveyMeta;
  /** sha256 of the canonical JSON: whitespace edits do not make a new version. */
  hash: string;
}

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;

export function parseSurveyDefinition(
  slug: string,
  text: string,
  file = `${slug}.json`,
): SurveyDefinition {
  if (!SLUG_PATTERN.test(slug)) {
    throw new InputError(
      "the file name must be lowercase letters, digits and dashes (it becomes the survey's address)",
      { file },
    );
  }
  const parsed = parseJsonText(text, file);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InputError("expected a JSON object (a SurveyJS survey definition)", { file });
  }
  const { openDoor, ...json } = parsed as Record<string, unknown>;
  const metaResult = metaSchema.safeParse(openDoor ?? {});
  if (!metaResult.success) {
    const issue = metaResult.error.issues[0];
    throw new InputError(issue?.message ?? "invalid", {
      file,
      field: ["openDoor", ...(issue?.path ?? [])].join("."),
    });
  }

  const model = new Model(json);
  const jsonErrors = model.jsonErrors ?? [];
  if (jsonErrors.length > 0) {
    const first = jsonErrors[0] as { message?: string; element?: { name?: string } };
    throw new InputError(`SurveyJS cannot read it: ${first.message ?? "unknown property"}`, {
      file,
      field: first.element?.name,
    });
  }
  const questions = model.getAllQuestions(false, false, true);
  if (questions.length === 0) throw new InputError("the survey has no questions", { file });
  const seen = new Set<string>();
  for (const question of model.getAllQuestions()) {
    if (seen.has(question.getValueName())) {
      throw new InputError(`two questions store their answer as "${question.getValueName()}"`, {
        file,
        field: question.name,
      });
    }
    seen.add(question.getValueName());
  }
  for (const [dimension, name] of Object.entries(metaResult.data.profile ?? {})) {
    if (!seen.has(name)) {
      throw new InputError(`the survey has no question "${name}" for the ${dimension} profile`, {
        file,
        field: `openDoor.profile.${dimension}`,
      });
    }
  }

  const used = model
    .getUsedLocales()
    .map((l) => (l === "" || l === "default" ? DEFAULT_LANGUAGE : l));
  const languages = metaResult.data.languages ?? [
    DEFAULT_LANGUAGE,
    ...languageCodes.filter((c) => c !== DEFAULT_LANGUAGE && used.includes(c)),
  ];
  if (!languages.includes(DEFAULT_LANGUAGE)) {
    throw new InputError("openDoor.languages must include en (English is the default text)", {
      file,
      field: "openDoor.languages",
    });
  }
  const channels =
    metaResult.data.channels ??
    (metaResult.data.audience === "staff"
      ? ["paper", "event", "interview"]
      : ["web", "kiosk", "paper", "event"]);
  const hash = createHash("sha256").update(JSON.stringify(parsed)).digest("hex");
  return { slug, json, meta: { ...metaResult.data, languages, channels }, hash };
}

export function readSurveyFile(file: string): SurveyDefinition {
  const slug = path.basename(file, ".json");
  return parseSurveyDefinition(slug, readFileSync(file, "utf8"), file);
}

/** The title in a language, falling back to English. */
export function localized(value: unknown, language: string): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const texts = value as Record<string, string>;
    return texts[language] ?? texts.default ?? texts[DEFAULT_LANGUAGE] ?? "";
  }
  return "";
}
