// Recording and removing self-assessments: check, store and audit-log in one transaction, so an
// assessment is never stored without its log entry (or the other way round).
import type { Db } from "../db.ts";
import { InputError, NotFound } from "../errors.ts";
import { type AuditActor, appendAudit } from "../queries/audit-log.ts";
import { deleteAssessment, findAssessment, insertAssessment } from "../queries/rubric.ts";
import { readAssessmentForm } from "./assessment-input.ts";
import type { Rubric } from "./rubric.ts";

/** Today's date (UTC) as YYYY-MM-DD. */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Checks a submitted assessment form and stores it.
 * @throws {InputError} with field details when the form is invalid; nothing is stored then
 */
export async function recordAssessment(
  db: Db,
  rubric: Rubric,
  body: unknown,
  actor: AuditActor | null,
  now = new Date(),
): Promise<number> {
  // One day of slack: a team in a time zone ahead of UTC may already be on tomorrow's date.
  const tomorrow = isoDay(new Date(now.getTime() + 86_400_000));
  const assessment = readAssessmentForm(body, rubric, tomorrow);
  return db.transaction(async (trx) => {
    const id = await insertAssessment(trx, assessment, actor?.id ?? null);
    await appendAudit(trx, {
      actor,
      action: "rubric.record",
      target: `assessment ${id}`,
      details: {
        rubric: rubric.id,
        assessedOn: assessment.assessedOn,
        scores: assessment.scores,
        indicatorsMet: Object.entries(assessment.indicators)
          .filter(([, record]) => record.met)
          .map(([indicatorId]) => indicatorId),
      },
    });
    return id;
  });
}

/** The assessment id in a form or query value, or an InputError naming the field. */
export function assessmentId(value: unknown, field = "assessment"): number {
  const id = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(id) || id <= 0)
    throw new InputError("Choose an assessment", {}, undefined, [
      { question: field, message: "must be the number of a recorded assessment" },
    ]);
  return id;
}

/** Deletes an assessment (a mistaken entry) and logs what it held. */
export async function removeAssessment(
  db: Db,
  id: number,
  actor: AuditActor | null,
): Promise<{ assessedOn: string }> {
  return db.transaction(async (trx) => {
    const existing = await findAssessment(trx, id);
    if (!existing) throw new NotFound(`There is no assessment number ${id}`);
    await deleteAssessment(trx, id);
    await appendAudit(trx, {
      actor,
      action: "rubric.delete",
      target: `assessment ${id}`,
      details: {
        assessedOn: existing.assessedOn,
        participants: existing.participants,
        scores: existing.scores,
        recordedBy: existing.createdBy?.email ?? null,
      },
    });
    return { assessedOn: existing.assessedOn };
  });
}
