// The backup and restore of docs/CONSORTIUM.md, run as an administrator would: `npm run backup`
// writes every library's data (PostgreSQL: one pg_dump archive of the instance's schema and each
// library's; SQLite: a folder of database files), and what comes back must be what went in:
// per library, the row count of every table and a SHA-256 of the stored responses.
// The PostgreSQL test needs TEST_DATABASE_URL and pg_dump/pg_restore. Its role may not create
// databases, so the restore goes into the same database after the dumped schemas are dropped: as
// after losing them, which is the case a restore is for.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Db, openDb } from "../../server/db.ts";
import { type LibrarySummary, summarizeLibraries } from "../../server/libraries/backup.ts";
import { LibraryDatabases, schemaOf } from "../../server/libraries/library-databases.ts";
import { readDataStamp } from "../../server/queries/data-versions.ts";
import { findLibrary, insertLibrary, type Library } from "../../server/queries/libraries.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { createTestDb, PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import { runScript } from "../helpers/cli.ts";
import {
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import { seedNeedsResponses } from "../staff/seed.ts";

warnIfPostgresSkipped("Backup and restore on PostgreSQL");
const pgTools = ["pg_dump", "pg_restore"].every(
  (tool) => spawnSync(tool, ["--version"]).status === 0,
);
if (postgresEnabled && !pgTools)
  console.warn(
    "\n*** Backup and restore on PostgreSQL SKIPPED: pg_dump/pg_restore not installed ***\n",
  );

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "od-backup-"));
  dirs.push(dir);
  return dir;
};

/** An instance with two libraries besides the default one, each with its own responses. */
async function fill(instance: Db, libraries: LibraryDatabases, slugs: [string, string]) {
  await syncSurveys(instance, PROJECT_SURVEYS);
  await seedNeedsResponses(instance, { count: 7, seed: 40 });
  let seed = 41;
  for (const slug of slugs) {
    const db = await libraries.db(await insertLibrary(instance, { slug, name: slug }));
    await syncSurveys(db, PROJECT_SURVEYS);
    await seedNeedsResponses(db, { count: 12 + seed, seed: seed++ });
  }
}

/** What a summary must show for the check to mean anything: three libraries, different data. */
function expectThreeLibraries(summary: LibrarySummary[], slugs: string[]) {
  expect(summary.map((s) => s.slug).sort()).toEqual(["default", ...slugs].sort());
  const counts = summary.map((s) => s.tables.responses);
  expect(counts.every((n) => (n ?? 0) > 0)).toBe(true);
  expect(new Set(summary.map((s) => s.responses)).size).toBe(3);
}

/** `npm run backup -- ARGS` with DATABASE_URL (and a data folder of its own for the config). */
const backup = (args: string[], databaseUrl: string) =>
  runScript("backup.ts", args, { DATABASE_URL: databaseUrl, DATA_DIR: tempDir() });

const summaryOf = async (databaseUrl: string) => {
  const out = await backup(["summary"], databaseUrl);
  expect(out.code, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as LibrarySummary[];
};

describe("npm run backup", { timeout: 180_000 }, () => {
  it("copies a SQLite instance and its libraries' files into a folder that opens with the same data", async () => {
    const dir = tempDir();
    const config = testConfig({
      database: { client: "sqlite3", filename: path.join(dir, "opendoor.sqlite") },
    });
    const instance = await createTestDb(config);
    const libraries = new LibraryDatabases(instance, config.database);
    const slugs: [string, string] = ["lake", "hill"];
    await fill(instance, libraries, slugs);
    const before = await summarizeLibraries(libraries);
    expectThreeLibraries(before, slugs);
    await libraries.close();
    await instance.destroy();

    const folder = path.join(tempDir(), "backup");
    const dumped = await backup(["dump", folder], `sqlite://${path.join(dir, "opendoor.sqlite")}`);
    expect(dumped.code, dumped.stderr).toBe(0);
    expect(dumped.stdout).toContain("Wrote 3 database files");
    // The copy, opened where it was written, is the same instance.
    expect(await summaryOf(`sqlite://${path.join(folder, "opendoor.sqlite")}`)).toEqual(before);
  });

  describe.runIf(postgresEnabled && pgTools)("on PostgreSQL", () => {
    const SCHEMA = "backup_restore_test";
    const slugs: [string, string] = ["backup-east", "backup-west"];
    const drop = async (db: Db) => {
      for (const schema of [SCHEMA, ...slugs.map(schemaOf)])
        await db.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    };
    let admin: Db | undefined;
    afterAll(async () => {
      if (admin) await drop(admin);
      await admin?.destroy();
    });

    it("dumps the instance and both libraries, restores them after they are dropped, with the same rows and responses", async () => {
      const instance = await freshPostgresSchema(SCHEMA);
      const url = (instance.client.config.connection as { connectionString: string })
        .connectionString;
      admin = openDb({ client: "pg", connectionString: process.env.TEST_DATABASE_URL as string });
      for (const slug of slugs)
        await admin.raw(`DROP SCHEMA IF EXISTS "${schemaOf(slug)}" CASCADE`);
      const libraries = new LibraryDatabases(instance, { client: "pg", connectionString: url });
      await fill(instance, libraries, slugs);
      await libraries.close();
      await instance.destroy();

      const before = await summaryOf(url);
      expectThreeLibraries(before, slugs);
      const file = path.join(tempDir(), "opendoor.dump");
      const dumped = await backup(["dump", file], url);
      expect(dumped.code, dumped.stderr).toBe(0);
      expect(dumped.stdout).toContain(
        `schemas ${SCHEMA}, library_backup_east, library_backup_west`,
      );

      await drop(admin);
      const restored = await backup(["restore", file], url);
      expect(restored.code, restored.stderr).toBe(0);
      expect(await summaryOf(url)).toEqual(before);

      // The restored triggers keep the counters the staff pages trust (server/queries/data-versions.ts).
      const back = openDb({ client: "pg", connectionString: url });
      const reopened = new LibraryDatabases(back, { client: "pg", connectionString: url });
      try {
        const west = await findLibrary(back, "backup-west");
        const db = await reopened.db(west as Library);
        await seedNeedsResponses(db, { count: 2, seed: 60 });
        const stored = Number((await db("responses").count({ n: "*" }))[0]?.n);
        expect(stored).toBe(
          (before.find((s) => s.slug === "backup-west")?.tables.responses ?? 0) + 2,
        );
        expect((await readDataStamp(db, "community-needs")).count).toBe(stored);
        await db("responses")
          .whereIn("id", db("responses").orderBy("seq", "desc").limit(2).select("id"))
          .delete();
      } finally {
        await reopened.close();
        await back.destroy();
      }
      expect(await summaryOf(url)).toEqual(before);

      // A restore over data still there changes nothing: all or nothing, and it says why.
      const again = await backup(["restore", file], url);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/pg_restore failed.*already exists/s);
      expect(await summaryOf(url)).toEqual(before);
    });
  });
});
