// What a kiosk page needs: the survey in every language it offers, the words of the kiosk's own
// screens in each of those languages, and the timing of resets. No Express, no Knex.
import { z } from "zod";
import type { KioskConfig } from "../config.ts";
import { InputError } from "../errors.ts";
import { getLanguage } from "../i18n/languages.ts";
import { translator } from "../i18n/messages.ts";
import type { SurveyRow } from "../queries/surveys.ts";
import { localized, surveyMeta } from "../surveys/definition.ts";
import { clientDefinition } from "../surveys/public-survey.ts";
import type { KioskLocation } from "./locations.ts";

/** Words a person sees on the kiosk, sent for every language so switching needs no server. */
const PERSON_KEYS = [
  "site.name",
  "survey.rank.up",
  "survey.rank.down",
  "survey.rank.position",
  "kiosk.start",
  "kiosk.chooseLanguage",
  "kiosk.leave",
  "kiosk.leave.title",
  "kiosk.leave.body",
  "kiosk.leave.confirm",
  "kiosk.leave.cancel",
  "kiosk.thanks.title",
  "kiosk.thanks.body",
  "kiosk.thanks.done",
  "kiosk.idle.title",
  "kiosk.idle.body",
  "kiosk.idle.continue",
  "kiosk.idle.startOver",
] as const;

export interface KioskTiming {
  /** Seconds the thank-you screen stays. */
  resetSeconds: number;
  /** Seconds without activity before "Are you still there?". */
  idleSeconds: number;
  /** Seconds the prompt waits before discarding the answers. */
  graceSeconds: number;
  /** Longest wait between two attempts to send the outbox. */
  retryMaxSeconds: number;
}

const seconds = (min: number, max: number) => z.coerce.number().min(min).max(max).optional();

/** Query-string overrides, so one device (or a test) can use other delays than the server's. */
const timingQuery = z.object({
  reset: seconds(0.1, 600),
  idle: seconds(0.5, 3600),
  grace: seconds(0.5, 600),
  retry: seconds(0.1, 3600),
});

export const DEFAULT_RETRY_MAX_SECONDS = 60;

export function kioskTiming(query: Record<string, unknown>, config: KioskConfig): KioskTiming {
  const parsed = timingQuery.safeParse({
    reset: query.reset,
    idle: query.idle,
    grace: query.grace,
    retry: query.retry,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `The kiosk link's "${issue?.path.join(".")}" must be a number of seconds (${issue?.message})`,
      {},
      undefined,
      [{ question: `(${issue?.path.join(".")})`, message: issue?.message ?? "invalid" }],
    );
  }
  const q = parsed.data;
  return {
    resetSeconds: q.reset ?? config.resetSeconds,
    idleSeconds: q.idle ?? config.idleSeconds,
    graceSeconds: q.grace ?? config.idleGraceSeconds,
    retryMaxSeconds: q.retry ?? DEFAULT_RETRY_MAX_SECONDS,
  };
}

/** Words staff see (the PIN dialog, the outbox count), in the kiosk's own page language. */
const STAFF_KEYS = [
  "kiosk.waiting.one",
  "kiosk.waiting.other",
  "kiosk.rejectedCount",
  "kiosk.staff.wrongPin",
  "kiosk.staff.tooMany",
  "kiosk.staff.offline",
  "kiosk.staff.noPin",
  "kiosk.staff.notEnrolled",
] as const;

/** Whether the survey file lets responses come in on the kiosk channel (public surveys do by default). */
export function acceptsKiosk(survey: SurveyRow): boolean {
  const channels = surveyMeta(survey.definition)?.channels;
  return !channels || channels.includes("kiosk");
}

/**
 * The kiosk page. `base`: where the library's pages are ("" or /l/<slug>): the page sends its
 * responses, checks and PIN there, so a kiosk of one library never writes to another.
 */
export function kioskPage(
  survey: SurveyRow,
  location: KioskLocation,
  timing: KioskTiming,
  pageLang: string,
  base = "",
) {
  const languages = survey.languages.map((code) => {
    const language = getLanguage(code);
    const t = translator(code);
    return {
      code,
      nativeName: language.nativeName,
      htmlLang: language.htmlLang,
      dir: language.dir,
      title: localized(survey.definition.title, code) || survey.slug,
      texts: Object.fromEntries(PERSON_KEYS.map((key) => [key, t(key)])),
    };
  });
  return {
    slug: survey.slug,
    title: localized(survey.definition.title, pageLang) || survey.slug,
    location: { id: location.id, name: location.name },
    languages,
    /** Everything kiosk.js reads, embedded as JSON (the page works offline from one cached copy). */
    client: {
      base,
      slug: survey.slug,
      version: survey.hash,
      location: location.id,
      pageLang,
      definition: clientDefinition(survey),
      languages,
      timing,
      staffTexts: Object.fromEntries(STAFF_KEYS.map((key) => [key, translator(pageLang)(key)])),
    },
  };
}

/** The "this survey is closed" kiosk screen: in the page's language, then the survey's others. */
export function kioskClosedPage(survey: SurveyRow, pageLang: string) {
  return {
    slug: survey.slug,
    title: localized(survey.definition.title, pageLang) || survey.slug,
    others: survey.languages
      .filter((code) => code !== pageLang)
      .map((code) => {
        const language = getLanguage(code);
        const t = translator(code);
        return {
          htmlLang: language.htmlLang,
          dir: language.dir,
          heading: t("kiosk.closed.title"),
          body: t("kiosk.closed.body"),
        };
      }),
  };
}
