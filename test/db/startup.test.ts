// Issue 15 "Start-up": a database Open Door cannot use stops the server (and npm run migrate) with
// one line saying what is wrong and what to do, exit code 1, and no stack trace unless DEBUG is set.
// Each case starts the real server as a child process: `tsx server/index.ts`, what `npm start` runs.
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { migrateLatest, openDb } from "../../server/db.ts";

const run = promisify(execFile);
const TSX = path.join(ROOT_DIR, "node_modules", ".bin", "tsx");
/** Root writes through file permissions; the read-only case runs as "nobody" then. */
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "opendoor-startup-"));
  chmodSync(dir, 0o777);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function start(
  command: string[],
  env: Record<string, string>,
  options: { asNobody?: boolean } = {},
): Promise<Outcome> {
  const [file = "", ...args] = command;
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd: ROOT_DIR,
      timeout: 90_000,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        NODE_ENV: "test",
        DEMO: "0",
        PORT: "0",
        DATA_DIR: dir,
        SESSION_SECRET: "s".repeat(32),
        npm_config_update_notifier: "false",
        ...env,
      },
      ...(options.asNobody && isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const server = (env: Record<string, string>, options?: { asNobody?: boolean }) =>
  start([TSX, "server/index.ts"], env, options);

/** Exit 1, and standard error is exactly one line: the message, no stack. */
function expectOneLine(outcome: Outcome, message: RegExp): void {
  const context = JSON.stringify(outcome);
  expect(outcome.code, context).toBe(1);
  const lines = outcome.stderr.trim().split("\n");
  expect(lines, context).toHaveLength(1);
  expect(lines[0], context).toMatch(message);
  expect(outcome.stderr, context).not.toMatch(/^\s+at /m);
}

describe("starting with a database Open Door cannot use", { timeout: 120_000 }, () => {
  it("a DATABASE_URL that is a text file, not a database", async () => {
    const file = path.join(dir, "notes.txt");
    writeFileSync(file, "this is not a database\n");
    expectOneLine(
      await server({ DATABASE_URL: file }),
      /^Cannot start Open Door: .*notes\.txt is not a SQLite database: set DATABASE_URL to an Open Door database file/,
    );
  });

  it("a DATABASE_URL in a folder that does not exist (a disk that is not mounted)", async () => {
    const file = path.join(dir, "not-mounted", "opendoor.sqlite");
    expectOneLine(
      await server({ DATABASE_URL: file }),
      /^Cannot start Open Door: the folder .*not-mounted of DATABASE_URL does not exist: create it, or correct DATABASE_URL$/,
    );
  });

  it("a read-only database file", async () => {
    const file = path.join(dir, "read-only.sqlite");
    const db = openDb({ client: "sqlite3", filename: file });
    await migrateLatest(db);
    await db.destroy();
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    chmodSync(file, 0o444);
    expectOneLine(
      await server({ DATABASE_URL: file }, { asNobody: true }),
      /^Cannot start Open Door: the SQLite database .*read-only\.sqlite is read-only: let this user write to the file/,
    );
  });

  it("a PostgreSQL server that is not reachable, without showing the password", async () => {
    const outcome = await server({ DATABASE_URL: "postgres://door:s3cret@127.0.0.1:1/opendoor" });
    expectOneLine(
      outcome,
      /^Cannot start Open Door: cannot reach the PostgreSQL server at 127\.0\.0\.1:1\/opendoor \(connection refused\): start PostgreSQL, or correct DATABASE_URL$/,
    );
    expect(outcome.stderr).not.toContain("s3cret");
  });

  it("a bad setting: every problem on one line", async () => {
    expectOneLine(
      await server({ PORT: "eighty", KIOSK_PIN: "12" }),
      /^Cannot start Open Door: Invalid configuration: PORT: .*; KIOSK_PIN: KIOSK_PIN must be 4 to 12 digits$/,
    );
  });

  it("shows the stack as well when DEBUG is set", async () => {
    const outcome = await server({ DATABASE_URL: path.join(dir, "notes.txt"), DEBUG: "1" });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^Cannot start Open Door: .*is not a SQLite database/);
    expect(outcome.stderr).toMatch(/SQLITE_NOTADB/);
  });

  it("npm run migrate says the same in one line", async () => {
    const outcome = await start(["npm", "run", "--silent", "migrate"], {
      DATABASE_URL: "postgres://door@127.0.0.1:1/opendoor",
    });
    expectOneLine(
      outcome,
      /^migrate: cannot reach the PostgreSQL server at 127\.0\.0\.1:1\/opendoor/,
    );
    const text = await start([TSX, "scripts/migrate.ts"], {
      DATABASE_URL: path.join(dir, "notes.txt"),
    });
    expectOneLine(text, /^migrate: .*notes\.txt is not a SQLite database/);
  });
});
