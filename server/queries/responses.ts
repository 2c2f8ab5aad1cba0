// Stored survey responses. No IP address or user agent is ever written here.
import type { Db } from "../db.ts";

export interface NewResponse {
  id: string;
  surveySlug: string;
  versionId: number;
  language: string;
  channel: string;
  location: string | null;
  startedAt: Date | null;
  submittedAt: Date;
  data: Record<string, unknown>;
}

export interface StoredResponse extends NewResponse {}

/** SQLite and PostgreSQL report a primary-key clash differently. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; message?: string };
  return (
    e.code === "23505" || (e.code === "SQLITE_CONSTRAINT" && /UNIQUE|PRIMARY/.test(e.message ?? ""))
  );
}

/**
 * Stores a response once. A replay of the same id (a client retrying after a lost reply) is
 * reported as a duplicate with the survey it was stored under.
 */
export async function insertResponse(
  db: Db,
  response: NewResponse,
): Promise<{ duplicate: false } | { duplicate: true; surveySlug: string }> {
  try {
    await db("responses").insert({
      id: response.id,
      survey_slug: response.surveySlug,
      version_id: response.versionId,
      language: response.language,
      channel: response.channel,
      location: response.location,
      started_at: response.startedAt,
      submitted_at: response.submittedAt,
      data: JSON.stringify(response.data),
    });
    return { duplicate: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await db("responses").where({ id: response.id }).first("survey_slug");
    if (!existing) throw error;
    return { duplicate: true, surveySlug: existing.survey_slug };
  }
}

interface RawResponse {
  id: string;
  survey_slug: string;
  version_id: number;
  language: string;
  channel: string;
  location: string | null;
  started_at: string | number | Date | null;
  submitted_at: string | number | Date;
  data: string;
}

const responseColumns = [
  "id",
  "survey_slug",
  "version_id",
  "language",
  "channel",
  "location",
  "started_at",
  "submitted_at",
  "data",
];

/** SQLite returns timestamps as epoch milliseconds or text; PostgreSQL as Date. */
const toDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

export function toStoredResponse(row: RawResponse): StoredResponse {
  return {
    id: row.id,
    surveySlug: row.survey_slug,
    versionId: Number(row.version_id),
    language: row.language,
    channel: row.channel,
    location: row.location,
    startedAt: row.started_at === null ? null : toDate(row.started_at),
    submittedAt: toDate(row.submitted_at),
    data: JSON.parse(row.data),
  };
}

export async function findResponse(db: Db, id: string): Promise<StoredResponse | undefined> {
  const row = (await db("responses").where({ id }).first(responseColumns)) as
    | RawResponse
    | undefined;
  return row ? toStoredResponse(row) : undefined;
}

/** The survey a response id was stored under, if it was. */
export async function findResponseSurvey(db: Db, id: string): Promise<string | undefined> {
  const row = await db("responses").where({ id }).first("survey_slug");
  return row?.survey_slug;
}

export async function countResponses(db: Db, surveySlug?: string): Promise<number> {
  const query = db("responses").count({ n: "*" });
  if (surveySlug) query.where({ survey_slug: surveySlug });
  const [row] = await query;
  return Number(row?.n ?? 0);
}
