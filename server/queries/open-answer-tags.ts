// Staff tags on open answers. A tag is normalised by the caller (server/results/open-answers.ts
// normalizeTag) and stored once per answer; tagging the same answer twice is not an error.
import type { Db } from "../db.ts";

export interface OpenAnswerTag {
  responseId: string;
  /** The answer's key in the response data: question name, or "<name>-Comment". */
  question: string;
  tag: string;
  createdBy: number | null;
  createdAt: Date;
}

interface RawTag {
  response_id: string;
  question: string;
  tag: string;
  created_by: number | string | null;
  created_at: string | number | Date;
}

const toDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

function toTag(row: RawTag): OpenAnswerTag {
  return {
    responseId: row.response_id,
    question: row.question,
    tag: row.tag,
    createdBy: row.created_by === null ? null : Number(row.created_by),
    createdAt: toDate(row.created_at),
  };
}

/** Adds a tag to an answer; returns false when the answer already had it. */
export async function addTag(
  db: Db,
  input: { responseId: string; question: string; tag: string; createdBy?: number | null },
): Promise<boolean> {
  const inserted = await db("open_answer_tags")
    .insert({
      response_id: input.responseId,
      question: input.question,
      tag: input.tag,
      created_by: input.createdBy ?? null,
    })
    .onConflict(["response_id", "question", "tag"])
    .ignore()
    .returning("id");
  return inserted.length > 0;
}

/** Removes a tag from an answer; returns whether it was there. */
export async function removeTag(
  db: Db,
  input: { responseId: string; question: string; tag: string },
): Promise<boolean> {
  const removed = await db("open_answer_tags")
    .where({ response_id: input.responseId, question: input.question, tag: input.tag })
    .delete();
  return removed > 0;
}

/** Every tag on the answers of one survey's responses, oldest first. */
export async function listSurveyTags(db: Db, surveySlug: string): Promise<OpenAnswerTag[]> {
  const rows = (await db("open_answer_tags as t")
    .join("responses as r", "r.id", "t.response_id")
    .where("r.survey_slug", surveySlug)
    .select("t.response_id", "t.question", "t.tag", "t.created_by", "t.created_at")
    .orderBy([
      { column: "t.created_at", order: "asc" },
      { column: "t.id", order: "asc" },
    ])) as RawTag[];
  return rows.map(toTag);
}

/** How often each tag is used in one survey, most used first. */
export async function countSurveyTags(
  db: Db,
  surveySlug: string,
): Promise<{ tag: string; count: number }[]> {
  const rows = (await db("open_answer_tags as t")
    .join("responses as r", "r.id", "t.response_id")
    .where("r.survey_slug", surveySlug)
    .select("t.tag")
    .count({ n: "*" })
    .groupBy("t.tag")
    .orderBy([
      { column: "n", order: "desc" },
      { column: "t.tag", order: "asc" },
    ])) as { tag: string; n: number | string }[];
  return rows.map((row) => ({ tag: row.tag, count: Number(row.n) }));
}
