// Accepting a response: check the envelope, the survey's state and the answers, then store it once.
import { z } from "zod";
import type { Db } from "../db.ts";
import { HttpError } from "../errors.ts";
import { findResponseSurvey, insertResponse } from "../queries/responses.ts";
import { findSurveyStatus, findVersion } from "../queries/surveys.ts";
import { CHANNELS, type Channel, PUBLIC_CHANNELS, type SurveyMeta } from "./definition.ts";
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

/** Survey versions never change once written, so their validators are cached for the process. */
const versions = new Map<number, CachedVersion>();

async function loadVersion(db: Db, versionId: number): Promise<CachedVersion> {
  const cached = versions.get(versionId);
  if (cached) return cached;
  const version = await findVersion(db, versionId);
  if (!version) throw new Error(`survey version ${versionId} is missing`);
  const { openDoor, ...json } = version.definition;
  const entry = { validator: new ResponseValidator(json), meta: openDoor as SurveyMeta };
  versions.set(versionId, entry);
  return entry;
}

function envelopeError(error: z.ZodError): HttpError {
  const details = error.issues.map((issue) => ({
    question: issue.path.length ? `(${issue.path.join(".")})` : "",
    message: issue.message,
  }));
  return new HttpError(400, "The response envelope is invalid", details);
}

export async function submitResponse(
  db: Db,
  slug: string,
  body: unknown,
  options: SubmitOptions = {},
): Promise<{ status: 200 | 201; id: string; duplicate: boolean }> {
  const survey = await findSurveyStatus(db, slug);
  if (!survey) throw new HttpError(404, `There is no survey "${slug}"`);
  const parsed = submissionSchema.safeParse(body);
  if (!parsed.success) throw envelopeError(parsed.error);
  const submission = parsed.data;
  const id = submission.id.toLowerCase();

  if (survey.status !== "open") {
    // A retry of a response stored before the survey closed is still acknowledged.
    if ((await findResponseSurvey(db, id)) === slug) return { status: 200, id, duplicate: true };
    throw new HttpError(410, `The survey "${slug}" is closed`);
  }
  const { validator, meta } = await loadVersion(db, survey.versionId);

  const channel: Channel = submission.channel;
  if (!meta.channels.includes(channel)) {
    throw new HttpError(400, "The response envelope is invalid", [
      {
        question: "(channel)",
        message: `this survey takes responses on ${meta.channels.join(", ")}`,
      },
    ]);
  }
  if (!options.staff && (!PUBLIC_CHANNELS.includes(channel) || meta.audience === "staff")) {
    throw new HttpError(403, "Only logged-in staff can record responses on this channel or survey");
  }
  if (!meta.languages.includes(submission.language)) {
    throw new HttpError(400, "The response envelope is invalid", [
      { question: "(language)", message: `this survey is offered in ${meta.languages.join(", ")}` },
    ]);
  }
  if (
    submission.location &&
    options.isKnownLocation &&
    !(await options.isKnownLocation(submission.location))
  ) {
    throw new HttpError(400, "The response envelope is invalid", [
      { question: "(location)", message: `unknown location "${submission.location}"` },
    ]);
  }

  const result = validator.validate(submission.data);
  if (!result.ok) {
    // A retry of a response stored under an earlier version of the survey is still acknowledged.
    if ((await findResponseSurvey(db, id)) === slug) return { status: 200, id, duplicate: true };
    throw new HttpError(400, "Some answers are invalid", result.details);
  }

  const now = options.now ?? new Date();
  const stored = await insertResponse(db, {
    id,
    surveySlug: slug,
    versionId: survey.versionId,
    language: submission.language,
    channel,
    location: submission.location ?? null,
    startedAt: submission.startedAt ? new Date(submission.startedAt) : null,
    submittedAt: now,
    data: result.data,
  });
  if (stored.duplicate && stored.surveySlug !== slug) {
    throw new HttpError(409, "This response id was already used for another survey");
  }
  return { status: stored.duplicate ? 200 : 201, id, duplicate: stored.duplicate };
}
