// Responses of one survey, read in pages so that exports and results stream with bounded
// memory on SQLite and PostgreSQL alike. (knex's .stream() buffers every row on SQLite and
// needs the pg-query-stream package on PostgreSQL, so paging by key is the portable stream.)
import type { Db } from "../db.ts";
import { RESPONSE_COLUMNS, type StoredResponse, toStoredResponse } from "./responses.ts";

/** Which responses to read. Dates: `from` inclusive, `to` exclusive. */
export interface ResponseQueryFilter {
  surveySlug: string;
  versionIds?: readonly number[];
  languages?: readonly string[];
  channels?: readonly string[];
  locations?: readonly string[];
  from?: Date;
  to?: Date;
}

/**
 * Rows fetched per query. Every query is a round trip to the database (on SQLite, to a worker
 * thread that, on a busy machine, waits for a core), and the rows of a page in hand are what a
 * young-generation collection must copy and eventually promote: pages of 1,000 made the wide
 * export's heap and resident memory grow by ~25 MB, pages of 200 without read-ahead spent more time
 * waiting for queries than writing. 250 with the next page read ahead balances the two
 * (bench/export, issue 21).
 */
export const PAGE_SIZE = 250;

type RawResponse = Parameters<typeof toStoredResponse>[0];

function filtered(db: Db, filter: ResponseQueryFilter) {
  const query = db("responses").where("survey_slug", filter.surveySlug);
  if (filter.versionIds?.length) query.whereIn("version_id", filter.versionIds);
  if (filter.languages?.length) query.whereIn("language", filter.languages);
  if (filter.channels?.length) query.whereIn("channel", filter.channels);
  if (filter.locations?.length) query.whereIn("location", filter.locations);
  if (filter.from) query.where("submitted_at", ">=", filter.from);
  if (filter.to) query.where("submitted_at", "<", filter.to);
  return query;
}

/** One page of matching responses after the key `after` (submission time, then id). */
function responsePage(
  db: Db,
  filter: ResponseQueryFilter,
  pageSize: number,
  after: { submittedAt: unknown; id: string } | undefined,
): Promise<RawResponse[]> {
  const query = filtered(db, filter)
    .select(RESPONSE_COLUMNS)
    .orderBy([
      { column: "submitted_at", order: "asc" },
      { column: "id", order: "asc" },
    ])
    .limit(pageSize);
  if (after) {
    const submittedAt = after.submittedAt as Date;
    // (submitted_at, id) > (after): written with a plain lower bound on submitted_at so that
    // SQLite and PostgreSQL both start the index range there instead of at the survey's first row.
    query
      .where("submitted_at", ">=", submittedAt)
      .andWhere((q) => q.where("submitted_at", ">", submittedAt).orWhere("id", ">", after.id));
  }
  return query as unknown as Promise<RawResponse[]>;
}

/**
 * The matching responses in submission order (then id), fetched PAGE_SIZE at a time: the next
 * page starts after the last (submitted_at, id) seen, so memory stays flat however many there
 * are. The next page is asked for before the current one is handed out, so the database reads
 * it while the caller works.
 *
 * @example
 * for await (const response of streamResponses(db, { surveySlug: "community-needs" })) { … }
 */
export async function* streamResponses(
  db: Db,
  filter: ResponseQueryFilter,
  pageSize = PAGE_SIZE,
): AsyncGenerator<StoredResponse> {
  let pending: Promise<RawResponse[]> | undefined = responsePage(db, filter, pageSize, undefined);
  try {
    while (pending) {
      const rows: (RawResponse | undefined)[] = await pending;
      pending = undefined;
      const last = rows[rows.length - 1];
      if (last && rows.length === pageSize) {
        // The driver's own value (a number, text or Date) compares exactly with the stored one.
        pending = responsePage(db, filter, pageSize, {
          submittedAt: last.submitted_at,
          id: last.id,
        });
      }
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as RawResponse;
        // Let each row's text be collected once it is parsed, not when the page is done.
        rows[i] = undefined;
        yield toStoredResponse(row);
      }
    }
  } finally {
    // A caller that stopped early leaves a page in flight: its outcome no longer matters.
    pending?.catch(() => undefined);
  }
}

/** How many responses match. */
export async function countMatchingResponses(db: Db, filter: ResponseQueryFilter): Promise<number> {
  const [row] = await filtered(db, filter).count({ n: "*" });
  return Number(row?.n ?? 0);
}

/** The survey versions the matching responses were answered on, oldest first. */
export async function matchingVersionIds(db: Db, filter: ResponseQueryFilter): Promise<number[]> {
  const rows = (await filtered(db, filter).distinct("version_id").orderBy("version_id")) as {
    version_id: number | string;
  }[];
  return rows.map((row) => Number(row.version_id));
}

/** The locations responses were recorded at, with how many were (for filter menus). */
export async function responseLocations(
  db: Db,
  surveySlug: string,
): Promise<{ location: string; count: number }[]> {
  const rows = (await db("responses")
    .where("survey_slug", surveySlug)
    .whereNotNull("location")
    .select("location")
    .count({ n: "*" })
    .groupBy("location")) as { location: string; n: string | number }[];
  return rows.map((row) => ({ location: row.location, count: Number(row.n) }));
}
