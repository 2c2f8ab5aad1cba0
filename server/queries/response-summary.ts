// Response counts for the staff overview: grouped in SQL, never a row of answers leaves here.
import { type Db, isSqlite } from "../db.ts";

export type SummaryDimension = "survey_slug" | "language" | "channel" | "location";

export interface GroupCount {
  key: Record<SummaryDimension, string | null>;
  count: number;
}

/** Responses counted by the given columns (all surveys, or one). */
export async function countResponsesBy(
  db: Db,
  dimensions: readonly SummaryDimension[],
  filter: { surveySlug?: string } = {},
): Promise<GroupCount[]> {
  const query = db("responses")
    .select(...dimensions)
    .count({ n: "*" })
    .groupBy(...dimensions)
    .orderBy(dimensions[0] ?? "survey_slug");
  if (filter.surveySlug) query.where({ survey_slug: filter.surveySlug });
  const rows = (await query) as Array<Record<string, string | number | null>>;
  return rows.map((row) => ({
    key: Object.fromEntries(dimensions.map((d) => [d, row[d] ?? null])) as GroupCount["key"],
    count: Number(row.n),
  }));
}

/**
 * The submission day (UTC, YYYY-MM-DD) in SQL. SQLite keeps the timestamps Node writes as epoch
 * milliseconds (older rows may be ISO text); PostgreSQL as timestamptz.
 */
function dayExpression(db: Db) {
  return isSqlite(db)
    ? db.raw(
        "CASE WHEN typeof(submitted_at) IN ('integer', 'real') THEN date(submitted_at / 1000, 'unixepoch') ELSE date(submitted_at) END",
      )
    : db.raw("to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')");
}

/** Responses per survey and submission day (UTC). */
export async function countResponsesByDay(
  db: Db,
  filter: { surveySlug?: string } = {},
): Promise<Array<{ surveySlug: string; day: string; count: number }>> {
  const query = db("responses")
    .select({ survey_slug: "survey_slug", day: dayExpression(db) })
    .count({ n: "*" })
    .groupBy("survey_slug", "day")
    .orderBy("day");
  if (filter.surveySlug) query.where({ survey_slug: filter.surveySlug });
  const rows = (await query) as Array<{ survey_slug: string; day: string; n: string | number }>;
  return rows.map((row) => ({ surveySlug: row.survey_slug, day: row.day, count: Number(row.n) }));
}

/** Responses to one survey counted by the answer to one single-choice question. */
export async function countByAnswer(
  db: Db,
  surveySlug: string,
  question: string,
): Promise<Array<{ value: string | null; count: number }>> {
  const answer = isSqlite(db)
    ? db.raw("json_extract(data, ?)", [`$."${question.replace(/"/g, "")}"`])
    : db.raw("(data::json ->> ?)", [question]);
  const rows = (await db("responses")
    .select({ value: answer })
    .count({ n: "*" })
    .where({ survey_slug: surveySlug })
    .groupBy("value")) as Array<{ value: string | number | null; n: string | number }>;
  return rows.map((row) => ({
    value: row.value === null ? null : String(row.value),
    count: Number(row.n),
  }));
}

/** Responses of one survey counted by everything a results filter can select on. */
export interface ResponseFacet {
  language: string;
  channel: string;
  /** "" when the response has no location. */
  location: string;
  /** Submission day (UTC, YYYY-MM-DD). */
  day: string;
  /** The raw answer to the use question (a list for multi-select), or null. */
  useAnswer: unknown;
  count: number;
}

/**
 * One survey's responses counted by language, channel, location, submission day and the answer
 * to its library-use question (when it has one): what the privacy checks of filtered views need,
 * grouped in SQL so no answer but the use question's leaves the database. The staff pages count
 * the same from the responses they keep (server/reports/view-privacy.ts) when they keep them.
 */
export async function countResponseFacets(
  db: Db,
  surveySlug: string,
  useQuestion?: string,
): Promise<ResponseFacet[]> {
  // The answer as JSON text, parsed here: the value the stored answers hold, whatever its type
  // (json_extract and ->> would turn true into 1 on SQLite and "true" on PostgreSQL).
  const answer = useQuestion
    ? isSqlite(db)
      ? db.raw("(data -> ?)", [`$."${useQuestion.replace(/"/g, "")}"`])
      : db.raw("((data::json -> ?)::text)", [useQuestion])
    : db.raw("NULL");
  const rows = (await db("responses")
    .select({ language: "language", channel: "channel", location: "location" })
    .select({ day: dayExpression(db), use_answer: answer })
    .count({ n: "*" })
    .where({ survey_slug: surveySlug })
    .groupBy("language", "channel", "location", "day", "use_answer")) as Array<{
    language: string;
    channel: string;
    location: string | null;
    day: string;
    use_answer: string | null;
    n: string | number;
  }>;
  return rows.map((row) => ({
    language: row.language,
    channel: row.channel,
    location: row.location ?? "",
    day: row.day,
    useAnswer: row.use_answer === null ? null : (JSON.parse(row.use_answer) as unknown),
    count: Number(row.n),
  }));
}
