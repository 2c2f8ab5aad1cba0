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
 * Rows fetched per query: small enough that a page's objects die young (1,000 rows let the old
 * generation grow to ~120 MB during a 100,000-response export, 200 keep it near 60 MB), large
 * enough that the extra queries cost little (bench/export).
 */
export const PAGE_SIZE = 200;

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

/**
 * The matching responses in submission order (then id), fetched PAGE_SIZE at a time: the next
 * page starts after the last (submitted_at, id) seen, so memory stays flat however many there are.
 *
 * @example
 * for await (const response of streamResponses(db, { surveySlug: "community-needs" })) { … }
 */
export async function* streamResponses(
  db: Db,
  filter: ResponseQueryFilter,
  pageSize = PAGE_SIZE,
): AsyncGenerator<StoredResponse> {
  let after: { submittedAt: unknown; id: string } | undefined;
  for (;;) {
    const query = filtered(db, filter)
      .select(RESPONSE_COLUMNS)
      .orderBy([
        { column: "submitted_at", order: "asc" },
        { column: "id", order: "asc" },
      ])
      .limit(pageSize);
    if (after) {
      const { submittedAt, id } = after;
      query.where((q) =>
        q
          .where("submitted_at", ">", submittedAt as Date)
          .orWhere((same) =>
            same.where("submitted_at", submittedAt as Date).andWhere("id", ">", id),
          ),
      );
    }
    const rows = (await query) as Parameters<typeof toStoredResponse>[0][];
    for (const row of rows) yield toStoredResponse(row);
    const last = rows[rows.length - 1];
    if (!last || rows.length < pageSize) return;
    // The driver's own value (a number, text or Date) compares exactly with the stored one.
    after = { submittedAt: last.submitted_at, id: last.id };
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

/** The locations responses were recorded at (for filter menus), most responses first. */
export async function responseLocations(db: Db, surveySlug: string): Promise<string[]> {
  const rows = (await db("responses")
    .where("survey_slug", surveySlug)
    .whereNotNull("location")
    .select("location")
    .count({ n: "*" })
    .groupBy("location")
    .orderBy([
      { column: "n", order: "desc" },
      { column: "location", order: "asc" },
    ])) as { location: string }[];
  return rows.map((row) => row.location);
}
