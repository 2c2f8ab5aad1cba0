// The consortium benchmark's data (issue 23): N libraries on one PostgreSQL database, each in its
// schema library_<slug>, each with the demo county's census and patron cube (about 30,000
// patrons), a usage-gap analysis, and R responses to the standard program-outcome survey.
// One source schema is built through the real code (migrations, survey sync, the demo importers,
// the analysis, batch inserts of generated responses); every library is then created through
// the real path (insertLibrary + LibraryDatabases, which makes and migrates its schema) and
// filled by INSERT … SELECT from the source, a different sample of the responses for each
// library (fresh ids), so generation takes minutes, not hours. What the bench times is not this.
import path from "node:path";
import type { Knex } from "knex";
import { ROOT_DIR } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import { loadDemoData } from "../../server/imports/demo.ts";
import { mulberry32 } from "../../server/imports/demo-data.ts";
import type { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import { schemaOf } from "../../server/libraries/library-databases.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { findLibrary, insertLibrary, type Library } from "../../server/queries/libraries.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { runUsageGapAnalysis } from "../../server/reports/usage-gaps.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";

export const SURVEY = "program-outcome";
export const REGIONS = ["North", "South", "East", "West", "Central"];
export const librarySlug = (i: number) => `bench-${String(i).padStart(3, "0")}`;

const PROGRAM_TYPES = [
  "stem",
  "digital_skills",
  "early_literacy",
  "teen",
  "adult_learning",
  "cultural",
  "health",
];
const AGES = ["under_18", "18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_plus"];
const HOME = ["english", "spanish", "chinese", "vietnamese", "tagalog", "korean", "arabic"];
const LANGUAGES = ["en", "en", "en", "en", "es", "es", "zh", "vi", "tl", "ko", "ar"];
const NAMES = ["Tech Tuesdays", "Storytime", "Resume lab", "Citizenship class", "Teen makers"];
const TEXTS = [
  "The instructor was patient and clear.",
  "Más horarios por la tarde, por favor.",
  "希望有更多这样的课程",
  "Tôi học được nhiều điều mới.",
  "Longer sessions, the hour went too fast",
];

export interface OutcomeResponse {
  language: string;
  data: Record<string, unknown>;
}

/** Varied, valid answers to program-outcome (the survey's logic respected). Seeded. */
export function programOutcomeGenerator(seed = 23) {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  // Each program lifts knowledge and confidence by its own amount: the libraries differ.
  const scale = (lift: number) => Math.max(1, Math.min(5, Math.round(2.5 + lift + random() * 2)));
  return (): OutcomeResponse => {
    const type = pick(PROGRAM_TYPES);
    const lift = PROGRAM_TYPES.indexOf(type) / 6;
    const data: Record<string, unknown> = {
      program_name: pick(NAMES),
      program_type: type,
      knowledge_gain: scale(lift),
      confidence: scale(lift - 0.3),
      intended_behavior_change: pick(["yes", "yes", "maybe", "no"]),
      aware_of_resources: random() < 0.6,
      satisfaction: scale(0.5),
      would_recommend: pick(["yes", "yes", "yes", "maybe", "no"]),
      first_library_program: random() < 0.3,
      age_band: pick(AGES),
      home_languages: random() < 0.05 ? ["prefer_not"] : [pick(HOME)],
    };
    if (data.intended_behavior_change !== "no" && random() < 0.3)
      data.intended_behavior_detail = pick(TEXTS);
    if (random() < 0.25) data.what_liked = pick(TEXTS);
    if (random() < 0.15) data.what_improve = pick(TEXTS);
    return { language: pick(LANGUAGES), data };
  };
}

/** Builds the source schema through the real code: surveys, demo census and patrons, analysis, `pool` responses. */
export async function buildSource(source: Db, pool: number, surveysDir: string): Promise<void> {
  await syncSurveys(source, surveysDir);
  // Another branch moves the standard surveys to surveys/standard/: accept either place.
  if (!(await findSurvey(source, SURVEY)))
    await syncSurveys(source, path.join(ROOT_DIR, "surveys", "standard"));
  const survey = await findSurvey(source, SURVEY);
  if (!survey) throw new Error(`${SURVEY} is in neither surveys/ nor surveys/standard/`);
  await loadDemoData(source, { force: true, activity: false });
  // The demo marks its rows for removal; here they stand for each library's real data.
  for (const { table } of await demoTables(source)) await source(table).update({ demo: false });
  await runUsageGapAnalysis(source, { by: commandLine(), suppressBelow: 10 });
  const next = programOutcomeGenerator();
  const start = Date.parse("2025-01-01T00:00:00Z");
  const CHUNK = 5000;
  for (let done = 0; done < pool; done += CHUNK) {
    const rows: Record<string, unknown>[] = [];
    for (let i = done; i < Math.min(pool, done + CHUNK); i++) {
      const response = next();
      // Over about 20 months, so the fieldwork guide's trend has points.
      const submitted = new Date(start + i * Math.floor((600 * 86_400_000) / pool));
      rows.push({
        id: crypto.randomUUID(),
        survey_slug: SURVEY,
        version_id: survey.versionId,
        language: response.language,
        channel: i % 5 === 0 ? "paper" : "web",
        location: null,
        started_at: new Date(submitted.getTime() - 240_000),
        submitted_at: submitted,
        data: JSON.stringify(response.data),
      });
    }
    await source.transaction((trx) => trx.batchInsert("responses", rows, 1000));
  }
}

async function demoTables(db: Db): Promise<{ table: string }[]> {
  const { rows } = (await db.raw(
    "SELECT table_name AS table FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'demo'",
  )) as { rows: { table: string }[] };
  return rows;
}

interface Column {
  table: string;
  column: string;
  serial: boolean;
}

/** The source's data tables in an order that satisfies their foreign keys, with their columns. */
async function copyPlan(db: Knex, schema: string) {
  const columns = (
    (await db.raw(
      `SELECT table_name AS table, column_name AS column, coalesce(column_default LIKE 'nextval%', false) AS serial
       FROM information_schema.columns c
       WHERE table_schema = ? AND EXISTS (SELECT 1 FROM information_schema.tables t
         WHERE t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE')
       ORDER BY table_name, ordinal_position`,
      [schema],
    )) as { rows: Column[] }
  ).rows;
  const references = (
    (await db.raw(
      `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE c.contype = 'f' AND n.nspname = ?`,
      [schema],
    )) as { rows: { child: string; parent: string }[] }
  ).rows;
  const bare = (name: string) => name.split(".").pop()?.replaceAll('"', "") ?? name;
  const skip = new Set(["knex_migrations", "knex_migrations_lock", "data_versions"]);
  const tables = [...new Set(columns.map((c) => c.table))].filter((t) => !skip.has(t));
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of references) {
    if (bare(child) !== bare(parent)) parents.get(bare(child))?.add(bare(parent));
  }
  const ordered: string[] = [];
  const visit = (table: string) => {
    if (ordered.includes(table)) return;
    for (const parent of parents.get(table) ?? []) if (tables.includes(parent)) visit(parent);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered.map((table) => ({
    table,
    columns: columns.filter((c) => c.table === table && c.column !== "seq").map((c) => c.column),
    serial: columns.filter((c) => c.table === table && c.serial).map((c) => c.column),
  }));
}

/** Creates library `i` (when missing) and fills its schema from the source with `responses` of them. */
export async function makeLibrary(
  instance: Db,
  libraries: LibraryDatabases,
  sourceSchema: string,
  i: number,
  responses: number,
): Promise<Library> {
  const slug = librarySlug(i);
  const library =
    (await findLibrary(instance, slug)) ??
    (await insertLibrary(instance, {
      slug,
      name: `Bench Library ${i}`,
      fscsId: `BN${String(i).padStart(4, "0")}`,
      region: REGIONS[i % REGIONS.length] ?? null,
    }));
  const db = await libraries.db(library);
  const schema = schemaOf(slug);
  const plan = await copyPlan(db, sourceSchema);
  await db.transaction(async (trx) => {
    for (const { table, columns, serial } of plan) {
      const list = columns.map((c) => `"${c}"`).join(", ");
      if (table === "responses") {
        // A different sample for each library, under fresh ids. The row triggers (insertion
        // number, counts) update one data_versions row per response: 10,000 updates of one row
        // in one transaction grow its version chain, each update slower than the last (about
        // 40 s a library). They are off for the copy; the numbers and counts are set as the
        // triggers would have left them.
        await trx.raw(`ALTER TABLE "${schema}".responses DISABLE TRIGGER USER`);
        const picked = columns
          .map((c) => (c === "id" ? `md5(id || '${slug}')::uuid::text AS id` : `"${c}"`))
          .join(", ");
        await trx.raw(
          `INSERT INTO "${schema}".responses (${list}, seq) SELECT *, row_number() OVER (ORDER BY submitted_at, id) FROM (SELECT ${picked} FROM "${sourceSchema}".responses ORDER BY md5(id || '${slug}') LIMIT ${responses}) AS sample`,
        );
        await trx.raw(`ALTER TABLE "${schema}".responses ENABLE TRIGGER USER`);
        await trx.raw(
          `INSERT INTO "${schema}".data_versions (name, version) SELECT 'count:' || survey_slug, count(*) FROM "${schema}".responses GROUP BY survey_slug
           ON CONFLICT (name) DO UPDATE SET version = excluded.version`,
        );
        await trx.raw(
          `UPDATE "${schema}".data_versions SET version = (SELECT count(*) FROM "${schema}".responses) WHERE name IN ('count', 'responses.inserted')`,
        );
      } else {
        await trx.raw(
          `INSERT INTO "${schema}"."${table}" (${list}) SELECT ${list} FROM "${sourceSchema}"."${table}"`,
        );
      }
      for (const column of serial) {
        await trx.raw(
          `SELECT setval(pg_get_serial_sequence('"${schema}"."${table}"', '${column}'), coalesce(max("${column}"), 0) + 1, false) FROM "${schema}"."${table}"`,
        );
      }
    }
  });
  // Planner statistics for the new rows, as autovacuum would gather them in time.
  for (const { table } of plan) await db.raw(`ANALYZE "${schema}"."${table}"`);
  return library;
}
