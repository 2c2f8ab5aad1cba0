// Equity self-assessments (rubric_assessments, rubric_scores, rubric_indicators_met). All Knex
// access for them; booleans, numbers and timestamps are smoothed over SQLite and PostgreSQL here.
import type { Db } from "../db.ts";

export interface IndicatorRecord {
  met: boolean;
  notes: string;
  links: string[];
}

export interface NewAssessment {
  /** YYYY-MM-DD */
  assessedOn: string;
  participants: string;
  nextSteps: string;
  /** End goal id → score 1–10; end goals left unscored are absent. */
  scores: Record<string, number>;
  /** Indicator id → met, notes and links (every indicator of the rubric). */
  indicators: Record<string, IndicatorRecord>;
}

export interface AssessmentRecord extends NewAssessment {
  id: number;
  createdBy: { id: number; email: string } | null;
  createdAt: Date;
}

interface RawAssessment {
  id: number | string;
  assessed_on: string;
  participants: string;
  next_steps: string;
  created_by: number | string | null;
  created_by_email: string | null;
  created_at: string | number | Date;
}

const toDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

/** Stores an assessment with its scores and indicators in one transaction; returns its id. */
export async function insertAssessment(
  db: Db,
  assessment: NewAssessment,
  createdBy: number | null,
): Promise<number> {
  return db.transaction(async (trx) => {
    const [row] = await trx("rubric_assessments")
      .insert({
        assessed_on: assessment.assessedOn,
        participants: assessment.participants,
        next_steps: assessment.nextSteps,
        created_by: createdBy,
        created_at: new Date(),
      })
      .returning("id");
    const id = Number(typeof row === "object" ? row.id : row);
    const scores = Object.entries(assessment.scores).map(([endGoalId, score]) => ({
      assessment_id: id,
      end_goal_id: endGoalId,
      score,
    }));
    if (scores.length) await trx("rubric_scores").insert(scores);
    const indicators = Object.entries(assessment.indicators).map(([indicatorId, record]) => ({
      assessment_id: id,
      indicator_id: indicatorId,
      met: record.met,
      evidence_notes: record.notes,
      links: JSON.stringify(record.links),
    }));
    if (indicators.length) await trx("rubric_indicators_met").insert(indicators);
    return id;
  });
}

/** Assessments, oldest first (by date assessed, then by when they were recorded). */
export async function listAssessments(
  db: Db,
  filter: { id?: number } = {},
): Promise<AssessmentRecord[]> {
  const query = db("rubric_assessments as a")
    .leftJoin("staff_users as u", "u.id", "a.created_by")
    .select(
      "a.id",
      "a.assessed_on",
      "a.participants",
      "a.next_steps",
      "a.created_by",
      "u.email as created_by_email",
      "a.created_at",
    )
    .orderBy([
      { column: "a.assessed_on", order: "asc" },
      { column: "a.id", order: "asc" },
    ]);
  if (filter.id !== undefined) query.where("a.id", filter.id);
  const rows = (await query) as RawAssessment[];
  if (rows.length === 0) return [];
  const ids = rows.map((r) => Number(r.id));

  const scores = (await db("rubric_scores")
    .select("assessment_id", "end_goal_id", "score")
    .whereIn("assessment_id", ids)) as Array<{
    assessment_id: number | string;
    end_goal_id: string;
    score: number | string;
  }>;
  const indicators = (await db("rubric_indicators_met")
    .select("assessment_id", "indicator_id", "met", "evidence_notes", "links")
    .whereIn("assessment_id", ids)) as Array<{
    assessment_id: number | string;
    indicator_id: string;
    met: boolean | number | string;
    evidence_notes: string;
    links: string;
  }>;

  const records = new Map<number, AssessmentRecord>(
    rows.map((row) => [
      Number(row.id),
      {
        id: Number(row.id),
        assessedOn: row.assessed_on,
        participants: row.participants,
        nextSteps: row.next_steps,
        createdBy:
          row.created_by === null || row.created_by_email === null
            ? null
            : { id: Number(row.created_by), email: row.created_by_email },
        createdAt: toDate(row.created_at),
        scores: {},
        indicators: {},
      },
    ]),
  );
  for (const s of scores) {
    const record = records.get(Number(s.assessment_id));
    if (record) record.scores[s.end_goal_id] = Number(s.score);
  }
  for (const i of indicators) {
    const record = records.get(Number(i.assessment_id));
    if (record)
      record.indicators[i.indicator_id] = {
        // SQLite returns 0/1, PostgreSQL true/false.
        met: i.met === true || Number(i.met) === 1,
        notes: i.evidence_notes,
        links: JSON.parse(i.links) as string[],
      };
  }
  return [...records.values()];
}

export async function findAssessment(db: Db, id: number): Promise<AssessmentRecord | undefined> {
  return (await listAssessments(db, { id }))[0];
}

/** Deletes an assessment with its scores and indicators; false when there was none. */
export async function deleteAssessment(db: Db, id: number): Promise<boolean> {
  return db.transaction(async (trx) => {
    // Explicit child deletes: no reliance on the database enforcing ON DELETE CASCADE.
    await trx("rubric_scores").where({ assessment_id: id }).delete();
    await trx("rubric_indicators_met").where({ assessment_id: id }).delete();
    return (await trx("rubric_assessments").where({ id }).delete()) > 0;
  });
}

export async function countAssessments(db: Db): Promise<number> {
  const [row] = await db("rubric_assessments").count({ n: "*" });
  return Number(row?.n ?? 0);
}

/**
 * Chosen answers of every response to one survey, newest first: for staff worksheets (policy
 * reviews) whose answers the rubric's evidence lists. Only the named questions leave here.
 */
export async function surveyAnswers(
  db: Db,
  surveySlug: string,
  questions: readonly string[],
): Promise<Array<{ submittedAt: Date; answers: Record<string, unknown> }>> {
  const rows = (await db("responses")
    .select("submitted_at", "data")
    .where({ survey_slug: surveySlug })
    .orderBy("submitted_at", "desc")) as Array<{
    submitted_at: string | number | Date;
    data: string;
  }>;
  return rows.map((row) => {
    const data = JSON.parse(row.data) as Record<string, unknown>;
    return {
      submittedAt: toDate(row.submitted_at),
      answers: Object.fromEntries(questions.map((q) => [q, data[q]])),
    };
  });
}

/** When the latest response to a survey was submitted, or null when it has none. */
export async function latestSubmission(db: Db, surveySlug: string): Promise<Date | null> {
  const [row] = (await db("responses")
    .where({ survey_slug: surveySlug })
    .max({ latest: "submitted_at" })) as Array<{ latest: string | number | Date | null }>;
  return row?.latest === null || row?.latest === undefined ? null : toDate(row.latest);
}
