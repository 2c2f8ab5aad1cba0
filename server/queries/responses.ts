// Stored survey responses. No IP address or user agent is ever written here.
import { type Db, isDatabaseUnavailable } from "../db.ts";
import { chunks } from "./chunks.ts";

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

/** A duplicate carries the response stored under that id, so the caller can compare contents. */
export type InsertResult = { duplicate: false } | { duplicate: true; existing: StoredResponse };

function toRow(response: NewResponse) {
  return {
    id: response.id,
    survey_slug: response.surveySlug,
    version_id: response.versionId,
    language: response.language,
    channel: response.channel,
    location: response.location,
    started_at: response.startedAt,
    submitted_at: response.submittedAt,
    data: JSON.stringify(response.data),
  };
}

/** One response on its own: a primary-key clash means it was stored before. */
async function insertOne(db: Db, response: NewResponse): Promise<InsertResult> {
  try {
    await db("responses").insert(toRow(response));
    return { duplicate: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await findResponse(db, response.id);
    if (!existing) throw error;
    return { duplicate: true, existing };
  }
}

/** Rows per INSERT statement: 9 columns × 100 stays under SQLite's bound-variable limit. */
const ROWS_PER_STATEMENT = 100;
const MAX_BATCH = 500;

/**
 * All responses of a batch in one transaction: ids already stored (or twice in the batch) are
 * duplicates, the rest are inserted together.
 */
async function insertBatch(db: Db, batch: readonly NewResponse[]): Promise<InsertResult[]> {
  return db.transaction(async (trx) => {
    const ids = [...new Set(batch.map((r) => r.id))];
    const existing = (await trx("responses")
      .whereIn("id", ids)
      .select(RESPONSE_COLUMNS)) as RawResponse[];
    const stored = new Map<string, StoredResponse>(
      existing.map((row) => [row.id, toStoredResponse(row)]),
    );
    const rows: ReturnType<typeof toRow>[] = [];
    const results = batch.map((response): InsertResult => {
      const earlier = stored.get(response.id);
      if (earlier !== undefined) return { duplicate: true, existing: earlier };
      stored.set(response.id, response);
      rows.push(toRow(response));
      return { duplicate: false };
    });
    for (const part of chunks(rows, ROWS_PER_STATEMENT)) await trx("responses").insert(part);
    return results;
  });
}

interface Pending {
  response: NewResponse;
  resolve: (result: InsertResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. Responses that arrive while a write is in progress are stored together in the
 * next transaction, so under load one commit serves many submissions; a response is
 * acknowledged only after the transaction holding it has committed. A lone response goes at once.
 */
class ResponseWriter {
  private queue: Pending[] = [];
  private writing = false;

  constructor(private readonly db: Db) {}

  insert(response: NewResponse): Promise<InsertResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ response, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          // A lone response is one INSERT, with the stored one read only on a clash: one round
          // trip instead of four (a transaction with a duplicate check). Submissions spread over
          // many libraries' handles mostly come alone (bench/README.md, "A consortium on PostgreSQL").
          const [lone] = batch;
          const results =
            batch.length === 1 && lone
              ? [await insertOne(this.db, lone.response)]
              : await insertBatch(
                  this.db,
                  batch.map((p) => p.response),
                );
          for (const [i, pending] of batch.entries()) pending.resolve(results[i] as InsertResult);
        } catch (error) {
          // A locked or unreachable database fails the whole batch at once: retrying each
          // response would make every request wait out the busy timeout in turn.
          if (isDatabaseUnavailable(error)) {
            for (const pending of batch) pending.reject(error);
            continue;
          }
          // One bad row must not fail its neighbours: store them one by one instead.
          for (const pending of batch) {
            await insertOne(this.db, pending.response).then(pending.resolve, pending.reject);
          }
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

const writers = new WeakMap<Db, ResponseWriter>();

/**
 * Stores a response once. A replay of the same id (a client retrying after a lost reply) is
 * reported as a duplicate with the response stored under that id.
 */
export function insertResponse(db: Db, response: NewResponse): Promise<InsertResult> {
  let writer = writers.get(db);
  if (!writer) {
    writer = new ResponseWriter(db);
    writers.set(db, writer);
  }
  return writer.insert(response);
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

/** Every column of a stored response, for the queries that read them whole. */
export const RESPONSE_COLUMNS = [
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

/**
 * SQLite returns timestamps as epoch milliseconds (written by Knex) or text (its CURRENT_TIMESTAMP
 * default: "YYYY-MM-DD HH:MM:SS", in UTC); PostgreSQL as Date.
 */
export function toDate(value: string | number | Date): Date {
  if (value instanceof Date) return value;
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value))
    return new Date(`${value.replace(" ", "T")}Z`);
  return new Date(value);
}

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
  const row = (await db("responses").where({ id }).first(RESPONSE_COLUMNS)) as
    | RawResponse
    | undefined;
  return row ? toStoredResponse(row) : undefined;
}

export async function countResponses(db: Db, surveySlug?: string): Promise<number> {
  const query = db("responses").count({ n: "*" });
  if (surveySlug) query.where({ survey_slug: surveySlug });
  const [row] = await query;
  return Number(row?.n ?? 0);
}
