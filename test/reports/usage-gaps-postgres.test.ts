// The usage-gap report on PostgreSQL: the same fixture (usage-gaps-fixture.ts), imported and
// analysed through the same code, gives the same numbers as on SQLite, and runs are saved and
// compared. Runs when TEST_DATABASE_URL names a PostgreSQL database (CI starts one); skipped
// loudly otherwise. It works in a schema of its own, so it never meets the other PostgreSQL tests'
// tables (test/db/postgres.test.ts empties the public schema).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { listUsageGapRuns } from "../../server/queries/usage-gap-runs.ts";
import { runUsageGapAnalysis } from "../../server/reports/usage-gaps.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import {
  AS_OF,
  basePatrons,
  freshDb,
  importCensus,
  importPatrons,
  TRACTS,
  tempDir,
} from "./usage-gaps-fixture.ts";

warnIfPostgresSkipped("Usage-gap PostgreSQL tests");

const SCHEMA = "usage_gaps_test";

describe.runIf(postgresEnabled)("usage gaps on PostgreSQL", () => {
  let db: Db;
  let sqlite: Db;
  beforeAll(async () => {
    db = await freshPostgresSchema(SCHEMA);
    sqlite = await freshDb();
    for (const target of [db, sqlite]) {
      const dir = tempDir();
      await importCensus(target, dir, { crosswalk: true });
      await importPatrons(target, dir, basePatrons(), {
        asOf: { ...AS_OF, year: AS_OF.year - 1 },
      });
    }
  }, 120_000);
  afterAll(async () => {
    await dropPostgresSchema(db, SCHEMA);
    await sqlite?.destroy();
  });

  it("gives the same document as SQLite, at tract level and through the crosswalk", async () => {
    for (const geography of ["tract", "custom"]) {
      const onPostgres = await runUsageGapAnalysis(db, {
        by: commandLine(),
        suppressBelow: 10,
        geography,
      });
      const onSqlite = await runUsageGapAnalysis(sqlite, {
        by: commandLine(),
        suppressBelow: 10,
        geography,
      });
      expect(onPostgres.document).toEqual(onSqlite.document);
      // The same options, but for the export's file name (numbered as the fixture writes them).
      expect({ ...onPostgres.options, circulationFile: "" }).toEqual({
        ...onSqlite.options,
        circulationFile: "",
      });
    }
    const saved = await listUsageGapRuns(db);
    expect(saved.map((run) => run.asOf)).toEqual(["2023-06-30", "2023-06-30"]);
    expect(saved[0]?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("compares a new export with the previous run", async () => {
    await importPatrons(
      db,
      tempDir(),
      [
        ...basePatrons(),
        { area: TRACTS.t3.geoid, age: "35+", lang: "spa", active: true, count: 30 },
      ],
      { asOf: AS_OF },
    );
    const report = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    expect(report.document.changes?.previous.asOf).toBe("2023-06-30");
    const t3 = report.document.changes?.areas.find((entry) => entry.geoid === TRACTS.t3.geoid);
    expect(t3?.penetrationPer1000.change).toBeCloseTo(10, 9);
  });
});
