// npm run analyze as a user runs it: a child process (Node with tsx) on a temporary SQLite file
// holding the hand-worked fixture of test/reports/usage-gaps-fixture.ts. Text, JSON and --out
// files (re-read with csv-parse), exit codes and messages.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { migrateLatest, openDb } from "../../server/db.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { listUsageGapRuns } from "../../server/queries/usage-gap-runs.ts";
import {
  basePatrons,
  importCensus,
  importPatrons,
  TRACTS,
  tempDir,
} from "../reports/usage-gaps-fixture.ts";

const run = promisify(execFile);

async function analyze(args: string[], database: string) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.join(ROOT_DIR, "scripts", "analyze.ts"), ...args],
      {
        cwd: ROOT_DIR,
        env: {
          ...process.env,
          DATABASE_URL: database,
          DATA_DIR: path.dirname(database),
          NODE_ENV: "test",
          SESSION_SECRET: "s".repeat(32),
          SUPPRESS_BELOW: "10",
        },
        maxBuffer: 20 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function savedRuns(database: string): Promise<number> {
  const db = openDb({ client: "sqlite3", filename: database });
  try {
    return (await listUsageGapRuns(db)).length;
  } finally {
    await db.destroy();
  }
}

let database: string;

beforeAll(async () => {
  const dir = tempDir();
  database = path.join(dir, "analyze.sqlite");
  const db = openDb({ client: "sqlite3", filename: database });
  try {
    await migrateLatest(db);
    await importCensus(db, dir, { crosswalk: true });
    await importPatrons(db, dir, basePatrons());
  } finally {
    await db.destroy();
  }
});

// Each case starts Node with tsx (a few seconds on a busy machine), hence the longer timeout.
describe("npm run analyze", { timeout: 60_000 }, () => {
  it("--help exits 0 with the usage", async () => {
    const { code, stdout } = await analyze(["--help"], database);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run analyze -- \[--dimension NAME\]/);
    expect(stdout).toMatch(/--format FORMAT\s+text \(readable tables and findings/);
    expect(stdout).toMatch(/Exit status: 0 done, 1 no data yet or a bad option/);
  });

  it("prints readable tables and findings, and saves the run", async () => {
    const before = await savedRuns(database);
    const { code, stdout, stderr } = await analyze([], database);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Usage gaps: who the library reaches and who it misses, patrons as of 2024-06-30/,
    );
    expect(stdout).toMatch(
      /3 census tracts · 6,000 residents · 535 active cardholders \(89 per 1,000 residents\)/,
    );
    expect(stdout).toMatch(
      /18 to 34 years\s+1,800\s+30%\s+70\s+13%\s+10%–16%\s+0\.44\s+\d\.\d\d–\d\.\d\d\s+39\s+91\s+UNDER/,
    );
    expect(stdout).toMatch(
      /1\s+Census Tract 3 \(06001000300\)\s+3,000\s+150\s+50\s+43–58\s+2,850\s+PRIORITY/,
    );
    expect(stdout).toMatch(
      / 1\. Residents aged 18 to 34 are 30% of the community but 13% of active cardholders/,
    );
    expect(await savedRuns(database)).toBe(before + 1);
  });

  // Issue 22: the command line's analyses were not audited (only the staff page's button was).
  it("writes one audit entry per run, with the system user as the actor", async () => {
    const entries = async () => {
      const db = openDb({ client: "sqlite3", filename: database });
      try {
        return await listAudit(db, { action: "analysis.run" });
      } finally {
        await db.destroy();
      }
    };
    const before = (await entries()).length;
    const { code } = await analyze(["--no-save"], database);
    expect(code).toBe(0);
    const after = await entries();
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({
      actorEmail: userInfo().username || "command line",
      target: "usage gaps as of 2024-06-30",
      details: { via: "command line", runId: null },
    });
  });

  it("--format json prints the document; --out writes groups.csv, areas.csv and the JSON", async () => {
    const out = path.join(tempDir(), "report");
    const before = await savedRuns(database);
    const { code, stdout, stderr } = await analyze(
      ["--format", "json", "--out", out, "--no-save"],
      database,
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/Wrote groups\.csv, areas\.csv and usage-gaps\.json to /);
    expect(await savedRuns(database)).toBe(before);

    const document = JSON.parse(stdout);
    expect(document.asOf).toBe("2024-06-30");
    expect(document.dimensions.map((entry: { dimension: string }) => entry.dimension)).toEqual([
      "age",
      "language",
    ]);
    expect(document.areas[0]).toMatchObject({ geoid: TRACTS.t3.geoid, priority: true });
    expect(JSON.parse(readFileSync(path.join(out, "usage-gaps.json"), "utf8"))).toEqual(document);

    const groups = parse(readFileSync(path.join(out, "groups.csv")), { columns: true }) as Record<
      string,
      string
    >[];
    expect(groups.map((row) => `${row.dimension}/${row.category}`)).toEqual([
      "age/Under 18 years",
      "age/18 to 34 years",
      "age/35 years and over",
      "language/English only",
      "language/Spanish",
    ]);
    const young = groups[1];
    expect(young).toMatchObject({ population: "1800", users: "70", flag: "under" });
    // The CSV holds the JSON's numbers (rounded to 6 decimals).
    expect(Number(young?.representationIndex)).toBeCloseTo(
      document.dimensions[0].groups[1].representationIndex,
      6,
    );
    expect(Number(young?.shortfall)).toBeCloseTo(90.5, 9);

    const areas = parse(readFileSync(path.join(out, "areas.csv")), { columns: true }) as Record<
      string,
      string
    >[];
    expect(areas.map((row) => [row.rank, row.geoid, row.priority])).toEqual([
      ["1", TRACTS.t3.geoid, "yes"],
      ["2", TRACTS.t2.geoid, "no"],
      ["3", TRACTS.t1.geoid, "no"],
    ]);
    expect(Number(areas[0]?.penetrationPer1000)).toBeCloseTo(50, 9);
  });

  it("--dimension and --geography choose what to compare", async () => {
    const { code, stdout } = await analyze(
      ["--dimension", "language", "--geography", "custom", "--format", "json", "--no-save"],
      database,
    );
    expect(code).toBe(0);
    const document = JSON.parse(stdout);
    expect(document.dimensions.map((entry: { dimension: string }) => entry.dimension)).toEqual([
      "language",
    ]);
    expect(document.areas.map((entry: { geoid: string }) => entry.geoid)).toEqual([
      "SOUTH",
      "NORTH",
    ]);
  });

  it("exits 1 with a message to act on when there is no data yet", async () => {
    const empty = path.join(tempDir(), "empty.sqlite");
    const { code, stdout, stderr } = await analyze([], empty);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /^Error: No community \(census\) data is imported yet: import census tables with npm run import:community -- FILE/,
    );
  });

  it("exits 1 on a bad option, naming it", async () => {
    const format = await analyze(["--format", "xml"], database);
    expect(format.code).toBe(1);
    expect(format.stderr).toMatch(/--format must be text or json \(got "xml"\)/);
    const unknown = await analyze(["--colour"], database);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Unknown option '--colour'/);
    const level = await analyze(["--geography", "zip"], database);
    expect(level.code).toBe(1);
    expect(level.stderr).toMatch(/There is no census data by "zip"/);
  });
});
