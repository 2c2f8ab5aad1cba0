// The counters bumped by the triggers of db/migrations/20261203160000_data_versions.ts, and the
// responses inserted after a sequence number: what a process needs to tell whether what it keeps
// (server/reports/response-store.ts) still matches the database, whichever process wrote.
import { type Db, isSqlite } from "../db.ts";
import { RESPONSE_COLUMNS, type StoredResponse, toStoredResponse } from "./responses.ts";

/** The state of one survey's responses and of everything else the staff pages read. */
export interface DataStamp {
  /** Bumped by every update or delete of any response. */
  changes: number;
  /** Bumped by every write to survey definitions, tags, census, patron and place data. */
  inputs: number;
  /** Responses of the survey (or of every survey when none is named), kept by triggers. */
  count: number;
}

/** The insertion sequence of a response, growing in commit order (see the migration). */
const seqColumn = (db: Db) => (isSqlite(db) ? "rowid" : "seq");

/** The counters, read in one statement so that they come from one snapshot of the database. */
export async function readDataStamp(db: Db, surveySlug?: string): Promise<DataStamp> {
  const version = (name: string) => db("data_versions").where("name", name).select("version");
  const row = (await db
    .select({
      changes: version("responses"),
      inputs: version("inputs"),
      count: version(surveySlug === undefined ? "count" : `count:${surveySlug}`),
    })
    .first()) as Record<keyof DataStamp, number | string | null> | undefined;
  return {
    changes: Number(row?.changes ?? 0),
    inputs: Number(row?.inputs ?? 0),
    count: Number(row?.count ?? 0),
  };
}

/** The highest insertion sequence number among a survey's responses (0 when none has one). */
export async function lastSequence(db: Db, surveySlug: string): Promise<number> {
  const row = (await db("responses")
    .where("survey_slug", surveySlug)
    .max({ last: seqColumn(db) })
    .first()) as { last: number | string | null } | undefined;
  return Number(row?.last ?? 0);
}

/**
 * One page of a survey's responses inserted after the given sequence number, in insertion order.
 *
 * @example
 * const { responses, last } = await responsesAfter(db, "community-needs", stamp.last, 5000);
 */
export async function responsesAfter(
  db: Db,
  surveySlug: string,
  after: number,
  limit: number,
): Promise<{ responses: StoredResponse[]; last: number }> {
  const seq = seqColumn(db);
  const rows = (await db("responses")
    .select([...RESPONSE_COLUMNS, db.raw(`${seq} as seq`)])
    .where("survey_slug", surveySlug)
    .where(seq, ">", after)
    .orderBy(seq)
    .limit(limit)) as (Parameters<typeof toStoredResponse>[0] & { seq: number | string })[];
  return {
    responses: rows.map(toStoredResponse),
    last: rows.length ? Number(rows[rows.length - 1]?.seq) : after,
  };
}

/**
 * The stamps of several surveys in one statement: the shared counters and each survey's count
 * (0 for a survey with no response yet).
 *
 * @example
 * (await readSurveyStamps(db, ["program-outcome"])).stamps.get("program-outcome"); // => { changes: 3, inputs: 41, count: 120 }
 */
export async function readSurveyStamps(
  db: Db,
  surveySlugs: readonly string[],
): Promise<{ inputs: number; stamps: Map<string, DataStamp> }> {
  const names = ["responses", "inputs", ...surveySlugs.map((slug) => `count:${slug}`)];
  const rows = (await db("data_versions").whereIn("name", names).select("name", "version")) as {
    name: string;
    version: number | string;
  }[];
  const value = new Map(rows.map((row) => [row.name, Number(row.version)]));
  const changes = value.get("responses") ?? 0;
  const inputs = value.get("inputs") ?? 0;
  return {
    inputs,
    stamps: new Map(
      surveySlugs.map((slug) => [
        slug,
        { changes, inputs, count: value.get(`count:${slug}`) ?? 0 },
      ]),
    ),
  };
}
