import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateLatest, openDb } from "../../server/db.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { runScript } from "../helpers/cli.ts";
import { crafted } from "../results/crafted.ts";
import { RESULTS_SURVEYS_DIR, storeResponses } from "../results/helpers.ts";
import { parseCsv } from "./helpers.ts";

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "opendoor-export-"));
  const database = path.join(dir, "db.sqlite");
  const db = openDb({ client: "sqlite3", filename: database });
  await migrateLatest(db);
  await syncSurveys(db, RESULTS_SURVEYS_DIR);
  await storeResponses(db, "all-types", crafted);
  await db.destroy();
  env = { DATABASE_URL: database, DATA_DIR: dir };
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const exportCli = (...args: string[]) => runScript("export.ts", args, env);

// Each run starts a Node process with tsx (a few seconds on a busy 2-core machine).
describe("npm run export", { timeout: 120_000 }, () => {
  it("writes the wide CSV into a folder under its own name, with its R and SPSS files", async () => {
    const result = await exportCli("responses", "--survey", "all-types", "--bom", "--out", dir);
    expect(result.code).toBe(0);
    const csv = path.join(dir, "all-types_v1_responses-wide.csv");
    expect(existsSync(csv)).toBe(true);
    expect(existsSync(path.join(dir, "all-types_v1_responses-wide.R"))).toBe(true);
    expect(existsSync(path.join(dir, "all-types_v1_responses-wide.sps"))).toBe(true);
    const rows = parseCsv(readFileSync(csv, "utf8"));
    expect(rows).toHaveLength(9);
    expect(rows[3]?.at(-1)).toBe("'=cmd");
    expect(result.stderr).toContain("Wrote");
  });

  it("prints to standard output and applies filters given on the command line", async () => {
    const result = await exportCli(
      "responses",
      "--survey",
      "all-types",
      "--format",
      "long",
      "--channel",
      "kiosk",
      "--to",
      "2024-01-31",
    );
    expect(result.code).toBe(0);
    const ids = new Set(
      parseCsv(result.stdout)
        .slice(1)
        .map((r) => r[0]),
    );
    expect([...ids]).toEqual(["r2"]);
  });

  // Issue 22: command-line exports other than raw responses were not audited.
  it("writes exactly one audit entry per export, with the system user as the actor", async () => {
    const entries = async () => {
      const db = openDb({ client: "sqlite3", filename: path.join(dir, "db.sqlite") });
      try {
        return await listAudit(db, { limit: 1000 });
      } finally {
        await db.destroy();
      }
    };
    const before = (await entries()).length;
    const result = await exportCli("codebook", "--survey", "all-types");
    expect(result.code).toBe(0);
    const after = await entries();
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({
      actorEmail: userInfo().username || "command line",
      action: "export.codebook",
      target: "all-types",
      details: { via: "command line", filters: "none", weighted: false },
    });
    const refused = await exportCli("codebook", "--survey", "nope");
    expect(refused.code).toBe(1);
    expect(await entries()).toHaveLength(before + 1);
  });

  it("exits 1 with a message for an unknown survey, a bad option or a missing analysis", async () => {
    const unknown = await exportCli("responses", "--survey", "nope");
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'Error: There is no survey "nope"']);
    const badDate = await exportCli("codebook", "--survey", "all-types", "--from", "2024-13-01");
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toContain('--from must be a date as YYYY-MM-DD (got "2024-13-01")');
    const gaps = await exportCli("gaps");
    expect(gaps.code).toBe(1);
    expect(gaps.stderr).toContain(
      "no usage-gap analysis yet: import community and patron data first",
    );
  });
});
