// Accepting a response: check the envelope, the survey's state and the answers, then store it once.
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type { Db } from "../db.ts";
import { Conflict, Forbidden, Gone, InputError, NotFound } from "../errors.ts";
import { findResponse, insertResponse, type StoredResponse } from "../queries/responses.ts";
import { findSurveyStatus, findVersion } from "../queries/surveys.ts";
import {
  CHANNELS,
  type Channel,
  PUBLIC_CHANNELS,
  type SurveyMeta,
  surveyMeta,
} from "./definition.ts";
import { ResponseValidator } from "./validate-response.ts";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const submissionSchema = z
  .object({
    id: z.string().regex(UUID_V4, "must be a version 4 UUID made by the client"),
    language: z.string().min(2).max(10),
    channel: z.enum(CHANNELS),
    location: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/, "must be a location id (letters, digits, - and _)")
      .optional()
      .nullable(),
    startedAt: z.iso
      .datetime({ offset: true, message: "must be an ISO 8601 date and time" })
      .optional()
      .nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .strict();

export type Submission = z.infer<typeof submissionSchema>;

export interface SubmitOptions {
  /** Logged-in staff may record paper, event and interview responses. */
  staff?: boolean;
  now?: Date;
  /** Checks a location id exists (kiosk locations, branches); absent → any id is accepted. */
  isKnownLocation?: (id: string) => Promise<boolean>;
}

interface CachedVersion {
  validator: ResponseValidator;
  meta: SurveyMeta;
}

/**
 * Survey versions never change once written, so their validators are cached for the process.
 * The promise is cached, not its result: the first burst of submissions after a start (32 at
 * once in bench:submit) built one validator each, ~30 ms apiece, before the first was stored.
 * Per database: each library numbers its versions itself, so version 1 of one library is not
 * version 1 of another (issue 23).
 */
const versionsOf = new WeakMap<Db, Map<number, Promise<CachedVersion>>>();

function loadVersion(db: Db, versionId: number): Promise<CachedVersion> {
  const versions = versionsOf.get(db) ?? new Map<number, Promise<CachedVersion>>();
  versionsOf.set(db, versions);
  const cached = versions.get(versionId);
  if (cached) return cached;
  const entry = (async () => {
    const version = await findVersion(db, versionId);
    if (!version) throw new Error(`survey version ${versionId} is missing`);
    const { openDoor: _meta, ...json } = version.definition;
    const meta = surveyMeta(version.definition);
    if (!meta) throw new Error(`survey version ${versionId} has no openDoor settings`);
    return { validator: new ResponseValidator(json), meta };
  })();
  versions.set(versionId, entry);
  // A failed read (a database hiccup) is tried again by the next submission.
  entry.catch(() => versions.delete(versionId));
  return entry;
}

/** A bad request body: the fields (envelope keys, question names) are in the details. */
const invalid = (message: string, details: InputError["details"]) =>
  new InputError(message, {}, undefined, details);

function envelopeError(error: z.ZodError): InputError {
  const details = error.issues.map((issue) => ({
    question: issue.path.length ? `(${issue.path.join(".")})` : "",
    message: issue.message,
  }));
  return invalid("The response envelope is invalid", details);
}

/** Device clocks drift and time zones get mis-set: this much either way is still believed. */
export const CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

/**
 * The start time as stored: kept when it is plausible, from the survey's creation (its first
 * version) to now, with CLOCK_SKEW_MS of slack either way; otherwise unknown (null). A kiosk whose
 * clock reset to 1970 still delivers its answers; only the implausible time is dropped.
 */
function plausibleStart(
  startedAt: string | null | undefined,
  surveyCreatedAt: Date,
  now: Date,
): Date | null {
  if (!startedAt) return null;
  const time = new Date(startedAt).getTime();
  const earliest = surveyCreatedAt.getTime() - CLOCK_SKEW_MS;
  const latest = now.getTime() + CLOCK_SKEW_MS;
  return time >= earliest && time <= latest ? new Date(time) : null;
}

/** What a response says, as compared when its id comes again. */
interface Content {
  language: string;
  channel: string;
  location: string | null;
  data: Record<string, unknown>;
}

/** JSON is what is stored, so values are compared as JSON gives them back (-0 is 0). */
const asStored = (data: Record<string, unknown>) => JSON.parse(JSON.stringify(data));

/**
 * The parts of `sent` that differ from `stored`: envelope fields as "(language)", "(channel)",
 * "(location)", answers by question name. startedAt and submittedAt are not content: a retry may
 * carry another start time, and the first one stored is kept.
 */
function contentDifferences(stored: Content, sent: Content): string[] {
  const differences = (["language", "channel", "location"] as const)
    .filter((field) => stored[field] !== sent[field])
    .map((field) => `(${field})`);
  const before = asStored(stored.data);
  const after = asStored(sent.data);
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!isDeepStrictEqual(before[key], after[key])) differences.push(key);
  }
  return differences;
}

/**
 * An id that is already stored: the same content again is a retry (200, stored once); different
 * content is a conflict (409), never a silent 200 that drops the new answers. The answers are
 * checked and cleaned by the version the response was stored under, so a retry sent after the
 * survey changed still matches what was stored.
 */
async function replay(
  db: Db,
  slug: string,
  submission: Submission,
  stored: StoredResponse,
): Promise<{ status: 200; id: string; duplicate: true }> {
  const id = stored.id;
  if (stored.surveySlug !== slug) {
    throw new Conflict("This response id was already used for another survey", {
      details: [{ question: "(id)", message: "already used for another survey: make a new id" }],
    });
  }
  const { validator } = await loadVersion(db, stored.versionId);
  const result = validator.validate(submission.data);
  const sent: Content = {
    language: submission.language,
    channel: submission.channel,
    location: submission.location ?? null,
    data: result.ok ? result.data : submission.data,
  };
  const differences = result.ok ? contentDifferences(stored, sent) : ["(data)"];
  if (differences.length === 0) return { status: 200, id, duplicate: true };
  throw new Conflict(
    "A response with this id was already stored with different content; it was not changed. A new response needs a new id",
    {
      details: differences.map((question) => ({
        question,
        message: "differs from the response already stored under this id",
      })),
    },
  );
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export async function submitResponse(
  db: Db,
  slug: string,
  body: unknown,
  options: SubmitOptions = {},
): Promise<{ status: 200 | 201; id: string; duplicate: boolean }> {
  const survey = await findSurveyStatus(db, slug);
  if (!survey) throw new NotFound(`There is no survey "${slug}"`);
  if (!isPlainObject(body)) {
    throw invalid("The body must be a JSON object", [
      {
        question: "",
        message: `got ${body === null ? "null" : Array.isArray(body) ? "an array" : `a ${typeof body}`}; send {"id": …, "language": …, "channel": …, "data": {…}}`,
      },
    ]);
  }
  const parsed = submissionSchema.safeParse(body);
  if (!parsed.success) throw envelopeError(parsed.error);
  const submission = parsed.data;
  const id = submission.id.toLowerCase();

  if (survey.status !== "open") {
    // A retry of a response stored before the survey closed is still acknowledged.
    const stored = await findResponse(db, id);
    if (stored) return replay(db, slug, submission, stored);
    throw new Gone(`The survey "${slug}" is closed`);
  }
  const { validator, meta } = await loadVersion(db, survey.versionId);

  const channel: Channel = submission.channel;
  if (!meta.channels.includes(channel)) {
    throw invalid("The response envelope is invalid", [
      {
        question: "(channel)",
        message: `this survey takes responses on ${meta.channels.join(", ")}`,
      },
    ]);
  }
  if (!options.staff && (!PUBLIC_CHANNELS.includes(channel) || meta.audience === "staff")) {
    throw new Forbidden("Only logged-in staff can record responses on this channel or survey");
  }
  if (!meta.languages.includes(submission.language)) {
    throw invalid("The response envelope is invalid", [
      { question: "(language)", message: `this survey is offered in ${meta.languages.join(", ")}` },
    ]);
  }
  if (
    submission.location &&
    options.isKnownLocation &&
    !(await options.isKnownLocation(submission.location))
  ) {
    throw invalid("The response envelope is invalid", [
      { question: "(location)", message: `unknown location "${submission.location}"` },
    ]);
  }

  const result = validator.validate(submission.data);
  if (!result.ok) {
    // A retry of a response stored under an earlier version of the survey is still acknowledged.
    const stored = await findResponse(db, id);
    if (stored) return replay(db, slug, submission, stored);
    throw invalid("Some answers are invalid", result.details);
  }

  const now = options.now ?? new Date();
  const inserted = await insertResponse(db, {
    id,
    surveySlug: slug,
    versionId: survey.versionId,
    language: submission.language,
    channel,
    location: submission.location ?? null,
    startedAt: plausibleStart(submission.startedAt, survey.createdAt, now),
    submittedAt: now,
    data: result.data,
  });
  if (inserted.duplicate) return replay(db, slug, submission, inserted.existing);
  return { status: 201, id, duplicate: false };
}
