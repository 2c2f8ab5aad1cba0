// Crafted responses for the results tests: a survey definition from a fixture file and a
// compact way to write responses by hand.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT_DIR } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import { insertResponse } from "../../server/queries/responses.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import type { ResponseRecord } from "../../server/results/types.ts";

export const ALL_TYPES_FILE = path.join(
  ROOT_DIR,
  "test",
  "results",
  "fixtures",
  "surveys",
  "all-types.json",
);
export const COMMUNITY_NEEDS_FILE = path.join(ROOT_DIR, "surveys", "community-needs.json");

export function readDefinition(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

let counter = 0;

/** A response with defaults for everything but the answers. */
export function response(
  data: Record<string, unknown>,
  meta: Partial<Omit<ResponseRecord, "data">> = {},
): ResponseRecord {
  counter++;
  return {
    id: meta.id ?? `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    versionId: meta.versionId ?? 1,
    language: meta.language ?? "en",
    channel: meta.channel ?? "web",
    location: meta.location ?? null,
    submittedAt: meta.submittedAt ?? new Date("2024-01-01T12:00:00Z"),
    data,
  };
}

/** `count` copies of a response (fresh ids). */
export function repeat(
  count: number,
  data: Record<string, unknown>,
  meta: Partial<Omit<ResponseRecord, "data" | "id">> = {},
): ResponseRecord[] {
  return Array.from({ length: count }, () => response(data, meta));
}

export const RESULTS_SURVEYS_DIR = path.join(ROOT_DIR, "test", "results", "fixtures", "surveys");
export const COMMUNITY_TIDY_FILE = path.join(
  ROOT_DIR,
  "test",
  "results",
  "fixtures",
  "community-tidy.csv",
);

/** Stores responses under a synced survey's current version (ids and metadata as given). */
export async function storeResponses(
  db: Db,
  slug: string,
  responses: readonly ResponseRecord[],
): Promise<void> {
  const survey = await findSurvey(db, slug);
  if (!survey) throw new Error(`survey ${slug} is not synced`);
  for (const r of responses) {
    await insertResponse(db, {
      id: r.id,
      surveySlug: slug,
      versionId: survey.versionId,
      language: r.language,
      channel: r.channel,
      location: r.location,
      startedAt: null,
      submittedAt: r.submittedAt,
      data: r.data,
    });
  }
}
