// The survey catalogue: every surveys/*.json file, checked at start-up and synced to the database.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import { saveSurveyVersion } from "../queries/surveys.ts";
import { readSurveyFile, type SurveyDefinition } from "./definition.ts";

/** Reads every survey file; the first broken one stops everything with a message naming it. */
export function loadSurveyFiles(dir: string): SurveyDefinition[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
  } catch {
    throw new InputError("the surveys folder does not exist", { file: dir });
  }
  return files.map((file) => readSurveyFile(path.join(dir, file)));
}

export interface SyncResult {
  slug: string;
  versionId: number;
  newVersion: boolean;
}

/** New surveys are added; a changed file becomes a new version; old responses keep theirs. */
export async function syncSurveys(db: Db, dir: string): Promise<SyncResult[]> {
  const definitions = loadSurveyFiles(dir);
  const results: SyncResult[] = [];
  for (const def of definitions) {
    const { versionId, created } = await saveSurveyVersion(db, {
      slug: def.slug,
      hash: def.hash,
      definition: { ...def.json, openDoor: def.meta },
      languages: def.meta.languages,
      audience: def.meta.audience,
      status: def.meta.status,
    });
    results.push({ slug: def.slug, versionId, newVersion: created });
  }
  return results;
}
