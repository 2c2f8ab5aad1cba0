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

const toDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

/**
 * Submission days (UTC, YYYY-MM-DD) with their counts, per survey. Dates are bucketed here rather
 * than in SQL because SQLite and PostgreSQL store timestamps differently.
 */
export async function countResponsesByDay(
  db: Db,
  filter: { surveySlug?: string; since?: Date } = {},
): Promise<Array<{ surveySlug: string; day: string; count: number }>> {
  const query = db("responses").select("survey_slug", "submitted_at");
  if (filter.surveySlug) query.where({ survey_slug: filter.surveySlug });
  if (filter.since) query.where("submitted_at", ">=", filter.since);
  const counts = new Map<string, number>();
  const stream = query.stream() as AsyncIterable<{
    survey_slug: string;
    submitted_at: string | number | Date;
  }>;
  for await (const row of stream) {
    const key = `${row.survey_slug}\u0000${toDate(row.submitted_at).toISOString().slice(0, 10)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => {
    const [surveySlug = "", day = ""] = key.split("\u0000");
    return { surveySlug, day, count };
  });
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
