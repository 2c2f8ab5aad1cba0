// Fieldwork targets (quotas) of a survey: per category, or a proportional total (category null);
// and the planned last day of fieldwork.
import type { Db } from "../db.ts";

export interface FieldworkTargetRow {
  dimension: string;
  /** null: `target` is a total shared in proportion to the community. */
  category: string | null;
  target: number;
}

export async function listFieldworkTargets(
  db: Db,
  surveySlug: string,
): Promise<FieldworkTargetRow[]> {
  const rows = (await db("fieldwork_targets")
    .select("dimension", "category", "target")
    .where({ survey_slug: surveySlug })
    .orderBy("id")) as Array<{
    dimension: string;
    category: string | null;
    target: number | string;
  }>;
  return rows.map((r) => ({
    dimension: r.dimension,
    category: r.category,
    target: Number(r.target),
  }));
}

/** Replaces one dimension's targets (an empty list clears them), in one transaction. */
export async function replaceFieldworkTargets(
  db: Db,
  surveySlug: string,
  dimension: string,
  targets: ReadonlyArray<{ category: string | null; target: number }>,
  setBy: string | null,
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx("fieldwork_targets").where({ survey_slug: surveySlug, dimension }).delete();
    if (targets.length === 0) return;
    await trx("fieldwork_targets").insert(
      targets.map((t) => ({
        survey_slug: surveySlug,
        dimension,
        category: t.category,
        target: t.target,
        set_by: setBy,
      })),
    );
  });
}

/** The planned last day of fieldwork (YYYY-MM-DD), or null when none was set. */
export async function findFieldworkEndDate(db: Db, surveySlug: string): Promise<string | null> {
  const row = (await db("fieldwork_plans")
    .select("end_date")
    .where({ survey_slug: surveySlug })
    .first()) as { end_date: string | null } | undefined;
  return row?.end_date ?? null;
}

export async function saveFieldworkEndDate(
  db: Db,
  surveySlug: string,
  endDate: string | null,
  setBy: string | null,
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx("fieldwork_plans").where({ survey_slug: surveySlug }).delete();
    await trx("fieldwork_plans").insert({
      survey_slug: surveySlug,
      end_date: endDate,
      set_by: setBy,
    });
  });
}
