// The demo rows (the `demo` column of imports, geographies, responses, rubric_assessments and
// usage_gap_runs): marking what the demo loaded, counting it, and removing exactly that.
import type { Db } from "../db.ts";

/** How many demo rows each kind of data holds. */
export interface DemoCounts {
  imports: number;
  areas: number;
  responses: number;
  tags: number;
  assessments: number;
  analyses: number;
}

const count = async (query: PromiseLike<unknown[]>) =>
  Number(((await query) as { n: number | string }[])[0]?.n ?? 0);

export async function countDemoRows(db: Db): Promise<DemoCounts> {
  return {
    imports: await count(db("imports").where({ demo: true }).count({ n: "*" })),
    areas: await count(db("geographies").where({ demo: true }).count({ n: "*" })),
    responses: await count(db("responses").where({ demo: true }).count({ n: "*" })),
    tags: await count(
      db("open_answer_tags as t")
        .join("responses as r", "r.id", "t.response_id")
        .where("r.demo", true)
        .count({ n: "*" }),
    ),
    assessments: await count(db("rubric_assessments").where({ demo: true }).count({ n: "*" })),
    analyses: await count(db("usage_gap_runs").where({ demo: true }).count({ n: "*" })),
  };
}

/** Whether any demo row is stored (every staff page says so while it is). */
export async function hasDemoRows(db: Db): Promise<boolean> {
  for (const table of ["imports", "responses", "usage_gap_runs", "rubric_assessments"]) {
    if ((await db(table).where({ demo: true }).first("demo")) !== undefined) return true;
  }
  return false;
}

/**
 * Marks the given imports, the analysis runs and assessments, and the areas only those imports
 * brought, as demo rows.
 */
export async function markDemoRows(
  db: Db,
  rows: {
    importIds: number[];
    responseIds?: string[];
    runIds?: number[];
    assessmentIds?: number[];
  },
): Promise<void> {
  if (rows.importIds.length) {
    await db("imports").whereIn("id", rows.importIds).update({ demo: true });
    const areas = db
      .select("geoid")
      .from("community_population")
      .whereIn("import_id", rows.importIds)
      .union((q) => q.select("to_geoid").from("crosswalk").whereIn("import_id", rows.importIds));
    await db("geographies").whereIn("geoid", areas).update({ demo: true });
  }
  for (const ids of chunked(rows.responseIds ?? [])) {
    await db("responses").whereIn("id", ids).update({ demo: true });
  }
  if (rows.runIds?.length) {
    await db("usage_gap_runs").whereIn("id", rows.runIds).update({ demo: true });
  }
  if (rows.assessmentIds?.length) {
    await db("rubric_assessments").whereIn("id", rows.assessmentIds).update({ demo: true });
  }
}

function chunked<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Deletes every demo row, in one transaction: the demo imports (with their census counts,
 * crosswalk and patron counts), the demo responses (with their tags), assessments and analysis
 * runs, and the demo areas no remaining row refers to. Rows a library added are not touched.
 */
export async function deleteDemoRows(db: Db): Promise<DemoCounts> {
  return db.transaction(async (trx) => {
    const before = await countDemoRows(trx);
    await trx("usage_gap_runs").where({ demo: true }).delete();
    await trx("rubric_assessments").where({ demo: true }).delete();
    await trx("responses").where({ demo: true }).delete();
    await trx("imports").where({ demo: true }).delete();
    const removedAreas = await trx("geographies")
      .where({ demo: true })
      .whereNotIn("geoid", trx.select("geoid").from("community_population"))
      .whereNotIn("geoid", trx.select("to_geoid").from("crosswalk"))
      .whereNotIn("geoid", trx.select("geoid").from("patron_counts").whereNotNull("geoid"))
      // A library's own boundary file may hold a shape for a demo area: the area stays with it.
      .whereNotIn("geoid", trx.select("geoid").from("boundaries"))
      .delete();
    return { ...before, areas: removedAreas };
  });
}
