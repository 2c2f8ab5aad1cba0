// What a library has done itself (demo rows do not count), for the getting-started checklist.
import type { Db } from "../db.ts";

export interface LibraryProgress {
  censusImports: number;
  patronImports: number;
  analyses: number;
  /** Open public surveys, by slug. */
  openPublicSurveys: string[];
  /** Kiosk browsers enrolled and not withdrawn. */
  kiosks: number;
  /** The library's own responses, by survey (most first). */
  responses: { slug: string; count: number }[];
}

const total = async (query: PromiseLike<unknown[]>) =>
  Number(((await query) as { n: number | string }[])[0]?.n ?? 0);

export async function libraryProgress(db: Db): Promise<LibraryProgress> {
  const own = (kind: string) => total(db("imports").where({ kind, demo: false }).count({ n: "*" }));
  const responses = (await db("responses")
    .where({ demo: false })
    .select("survey_slug")
    .count({ n: "*" })
    .groupBy("survey_slug")
    .orderBy([{ column: "n", order: "desc" }, "survey_slug"])) as {
    survey_slug: string;
    n: number | string;
  }[];
  const open = (await db("surveys")
    .where({ status: "open", audience: "public" })
    .orderBy("slug")
    .select("slug")) as { slug: string }[];
  return {
    censusImports: await own("community"),
    patronImports: await own("circulation"),
    analyses: await total(db("usage_gap_runs").where({ demo: false }).count({ n: "*" })),
    openPublicSurveys: open.map((s) => s.slug),
    kiosks: await total(db("kiosk_devices").whereNull("revoked_at").count({ n: "*" })),
    responses: responses.map((r) => ({ slug: r.survey_slug, count: Number(r.n) })),
  };
}
