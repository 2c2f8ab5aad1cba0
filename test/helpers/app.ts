// Builds an app on a fresh, migrated in-memory database with a chosen folder of surveys.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Express } from "express";
import { createApp } from "../../server/app.ts";
import { type Config, loadConfig, ROOT_DIR } from "../../server/config.ts";
import { type Db, migrateLatest, openDb } from "../../server/db.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";

export const FIXTURE_SURVEYS = path.join(ROOT_DIR, "test", "fixtures", "surveys");
export const PROJECT_SURVEYS = path.join(ROOT_DIR, "surveys");

/** Every survey file of the project: the default library's own and the standard surveys. */
export function projectSurveyFiles(): string[] {
  return [PROJECT_SURVEYS, path.join(PROJECT_SURVEYS, "standard")].flatMap((dir) =>
    readdirSync(dir)
      .filter((file) => file.endsWith(".json"))
      .map((file) => path.join(dir, file)),
  );
}

export interface TestApp {
  app: Express;
  db: Db;
  config: Config;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({
    NODE_ENV: "test",
    SESSION_SECRET: "x".repeat(32),
    DATA_DIR: path.join(ROOT_DIR, "data", "test"),
  });
  return {
    ...base,
    database: { client: "sqlite3", filename: ":memory:" },
    loadDemo: false,
    submitRateLimit: 0,
    ...overrides,
    // The standard surveys beside the surveys asked for, as loadConfig puts them.
    standardSurveysDir:
      overrides.standardSurveysDir ??
      path.join(overrides.surveysDir ?? base.surveysDir, "standard"),
  };
}

export async function createTestDb(config = testConfig()): Promise<Db> {
  const db = openDb(config.database);
  await migrateLatest(db);
  return db;
}

export async function createTestApp(
  options: { surveysDir?: string; config?: Partial<Config> } = {},
): Promise<TestApp> {
  const config = testConfig({
    surveysDir: options.surveysDir ?? FIXTURE_SURVEYS,
    ...options.config,
  });
  const db = await createTestDb(config);
  await syncSurveys(db, config.surveysDir);
  const app = createApp({ db, config });
  return { app, db, config, close: () => db.destroy() };
}

/** A fresh version 4 UUID for a response. */
export const newId = () => crypto.randomUUID();
