// Surveys and their versions.
import type { Db } from "../db.ts";
import { toDate } from "./responses.ts";

export type SurveyStatus = "open" | "closed";

export interface SurveyRow {
  slug: string;
  status: SurveyStatus;
  audience: "public" | "staff";
  versionId: number;
  hash: string;
  /** The whole survey file as stored (SurveyJS JSON plus the openDoor key). */
  definition: Record<string, unknown>;
  languages: string[];
  /** One of the consortium's standard surveys (surveys/standard), adopted by this library. */
  standard: boolean;
}

export interface SurveyVersionInput {
  slug: string;
  hash: string;
  definition: Record<string, unknown>;
  languages: string[];
  audience: "public" | "staff";
  status: SurveyStatus;
  /** Read from the standard surveys' folder: the survey is marked standard (adopted). */
  standard?: boolean;
}

const surveyColumns = [
  "s.slug",
  "s.status",
  "s.audience",
  "v.id as version_id",
  "v.hash",
  "v.definition",
  "v.languages",
  "s.standard",
] as const;

interface RawSurveyRow {
  slug: string;
  status: SurveyStatus;
  audience: "public" | "staff";
  version_id: number;
  hash: string;
  definition: string;
  languages: string;
  standard: boolean | number;
}

function toSurvey(row: RawSurveyRow): SurveyRow {
  return {
    slug: row.slug,
    status: row.status,
    audience: row.audience,
    versionId: Number(row.version_id),
    hash: row.hash,
    definition: JSON.parse(row.definition),
    languages: JSON.parse(row.languages),
    standard: Boolean(row.standard),
  };
}

function currentSurveys(db: Db) {
  return db("surveys as s")
    .join("survey_versions as v", "v.id", "s.current_version_id")
    .select(surveyColumns);
}

/**
 * Records a survey file: a new survey, or a new version when its content changed.
 * Returns whether a new version row was written. Status is only taken from the file for a new survey:
 * afterwards staff own it.
 */
export async function saveSurveyVersion(
  db: Db,
  input: SurveyVersionInput,
): Promise<{ versionId: number; created: boolean }> {
  const saved = await db.transaction(async (trx) => {
    const survey = await trx("surveys").where({ slug: input.slug }).first("slug");
    if (!survey) {
      await trx("surveys").insert({
        slug: input.slug,
        status: input.status,
        audience: input.audience,
      });
    }
    const existing = await trx("survey_versions")
      .where({ survey_slug: input.slug, hash: input.hash })
      .first("id");
    let versionId: number;
    if (existing) {
      versionId = Number(existing.id);
    } else {
      const [inserted] = await trx("survey_versions")
        .insert({
          survey_slug: input.slug,
          hash: input.hash,
          definition: JSON.stringify(input.definition),
          languages: JSON.stringify(input.languages),
        })
        .returning("id");
      versionId = Number(typeof inserted === "object" ? inserted.id : inserted);
    }
    await trx("surveys")
      .where({ slug: input.slug })
      .update({
        current_version_id: versionId,
        audience: input.audience,
        ...(input.standard ? { standard: true } : {}),
        updated_at: trx.fn.now(),
      });
    return { versionId, created: !existing };
  });
  forgetSurveyStates(db);
  return saved;
}

export async function findSurvey(db: Db, slug: string): Promise<SurveyRow | undefined> {
  const row = (await currentSurveys(db).where("s.slug", slug).first()) as RawSurveyRow | undefined;
  return row ? toSurvey(row) : undefined;
}

/** The slugs of the standard surveys this library adopted. */
export async function listStandardSlugs(db: Db): Promise<string[]> {
  const rows = (await db("surveys").where("standard", true).orderBy("slug").select("slug")) as {
    slug: string;
  }[];
  return rows.map((row) => row.slug);
}

export async function listSurveys(
  db: Db,
  filter: { status?: SurveyStatus; audience?: "public" | "staff" } = {},
): Promise<SurveyRow[]> {
  const query = currentSurveys(db).orderBy("s.slug");
  if (filter.status) query.where("s.status", filter.status);
  if (filter.audience) query.where("s.audience", filter.audience);
  return ((await query) as RawSurveyRow[]).map(toSurvey);
}

/** createdAt: when the survey (its first version) was recorded; no response starts before. */
type SurveyState = { status: SurveyStatus; versionId: number; createdAt: Date };

/**
 * Every submission asks for its survey's state, so it is kept for a second: a busy survey then
 * costs one query a second instead of one a response. Changes made by this process clear it at
 * once; another server process sees them within the second.
 */
const STATE_TTL_MS = 1000;
const stateCache = new WeakMap<Db, Map<string, { state: SurveyState | undefined; at: number }>>();

function forgetSurveyStates(db: Db): void {
  stateCache.delete(db);
}

export async function findSurveyStatus(db: Db, slug: string): Promise<SurveyState | undefined> {
  let cache = stateCache.get(db);
  const hit = cache?.get(slug);
  if (hit && Date.now() - hit.at < STATE_TTL_MS) return hit.state;
  const row = await db("surveys")
    .where({ slug })
    .first("status", "current_version_id", "created_at");
  const state = row
    ? {
        status: row.status,
        versionId: Number(row.current_version_id),
        createdAt: toDate(row.created_at),
      }
    : undefined;
  if (!cache) {
    cache = new Map();
    stateCache.set(db, cache);
  }
  cache.set(slug, { state, at: Date.now() });
  return state;
}

export async function findVersion(
  db: Db,
  versionId: number,
): Promise<{ slug: string; definition: Record<string, unknown>; languages: string[] } | undefined> {
  const row = await db("survey_versions")
    .where({ id: versionId })
    .first("survey_slug", "definition", "languages");
  return row
    ? {
        slug: row.survey_slug,
        definition: JSON.parse(row.definition),
        languages: JSON.parse(row.languages),
      }
    : undefined;
}

export async function setSurveyStatus(
  db: Db,
  slug: string,
  status: SurveyStatus,
): Promise<boolean> {
  const changed = await db("surveys").where({ slug }).update({ status, updated_at: db.fn.now() });
  forgetSurveyStates(db);
  return changed > 0;
}
