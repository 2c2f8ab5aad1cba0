// One budget of kept responses for the whole server (issue 23): the app enables the response
// store on every library's database handle, and RESULTS_CACHE_RESPONSES must bound them together
// (100 libraries must not keep 100 times the configured memory). Two libraries' handles share
// it here: the least recently used survey of either library goes first, and what a page computes
// from the kept responses stays what a handle that keeps nothing computes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { type Db, openDb } from "../../server/db.ts";
import type { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import { insertLibrary } from "../../server/queries/libraries.ts";
import { responseCacheSize } from "../../server/reports/response-store.ts";
import { surveyResults } from "../../server/reports/survey-results.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { createTestDb, PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import { seedNeedsResponses } from "./seed.ts";

const SLUG = "community-needs";
const BUDGET = 100;
let dir: string;
let instance: Db;
let libraries: LibraryDatabases;
/** The two libraries' handles as the app opened them (sharing the app's budget). */
let north: Db;
let south: Db;
/** Handles on the same files that keep nothing: the computation from scratch. */
let freshNorth: Db;
let freshSouth: Db;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "od-response-budget-"));
  const config = testConfig({
    database: { client: "sqlite3", filename: path.join(dir, "od.sqlite") },
    surveysDir: PROJECT_SURVEYS,
    resultsCacheResponses: BUDGET,
  });
  instance = await createTestDb(config);
  const app = createApp({ db: instance, config });
  libraries = app.locals.libraries as LibraryDatabases;
  north = await libraries.db(await insertLibrary(instance, { slug: "north", name: "North" }));
  south = await libraries.db(await insertLibrary(instance, { slug: "south", name: "South" }));
  for (const db of [north, south]) await syncSurveys(db, PROJECT_SURVEYS);
  await seedNeedsResponses(north, { count: 60, seed: 31 });
  await seedNeedsResponses(south, { count: 30, seed: 32 });
  freshNorth = openDb({ client: "sqlite3", filename: path.join(dir, "libraries", "north.db") });
  freshSouth = openDb({ client: "sqlite3", filename: path.join(dir, "libraries", "south.db") });
}, 120_000);
afterAll(async () => {
  await Promise.all([freshNorth.destroy(), freshSouth.destroy(), libraries.close()]);
  await instance.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const results = async (db: Db) => json(await surveyResults(db, { slug: SLUG }));
const kept = () => [responseCacheSize(north).responses, responseCacheSize(south).responses];

describe("one budget of kept responses across libraries (issue 23)", { timeout: 120_000 }, () => {
  it("keeps both libraries' surveys while together they fit the budget", async () => {
    expect(await results(north)).toEqual(await results(freshNorth));
    expect(await results(south)).toEqual(await results(freshSouth));
    expect(kept()).toEqual([60, 30]);
  });

  it("drops the other library's survey when one library's grows past the shared budget", async () => {
    // South, used last, grows to 50: 60 + 50 is over 100, so north (least recently used) goes.
    await seedNeedsResponses(south, { count: 20, seed: 33, end: new Date("2026-05-01"), days: 1 });
    expect(await results(south)).toEqual(await results(freshSouth));
    expect(kept()).toEqual([0, 50]);
    // North read again is kept, and south, now least recently used, goes.
    expect(await results(north)).toEqual(await results(freshNorth));
    expect(kept()).toEqual([60, 0]);
  });

  it("serves the same results to both libraries while they evict each other in turn", async () => {
    await seedNeedsResponses(north, { count: 5, seed: 34, end: new Date("2025-06-01"), days: 1 });
    for (let round = 0; round < 3; round++) {
      expect(await results(south)).toEqual(await results(freshSouth));
      expect(kept()).toEqual([0, 50]);
      expect(await results(north)).toEqual(await results(freshNorth));
      expect(kept()).toEqual([65, 0]);
    }
    // Never more than the budget held over both libraries.
    expect(kept().reduce((a, b) => a + b)).toBeLessThanOrEqual(BUDGET);
  });
});
