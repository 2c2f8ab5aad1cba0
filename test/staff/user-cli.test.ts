import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { openDb } from "../../server/db.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { DEFAULT_LIBRARY_ID } from "../../server/queries/libraries.ts";
import { findStaffUser, findStaffUserByEmail } from "../../server/queries/staff-users.ts";

const dir = mkdtempSync(path.join(tmpdir(), "opendoor-user-cli-"));
const database = path.join(dir, "cli.sqlite");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function user(args: string[], input?: string) {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(ROOT_DIR, "scripts", "user.ts"), ...args],
    {
      cwd: ROOT_DIR,
      input: input ?? "",
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: database, DATA_DIR: dir, NODE_ENV: "test" },
    },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe("npm run user", { timeout: 60_000 }, () => {
  it("adds an admin with the password from a pipe, never from the arguments", async () => {
    const result = user(["add", "Head@Library.org", "--role", "admin"], "piped password 123\n");
    expect(result.err).toBe("");
    expect(result.out).toContain("Added head@library.org with the admin role.");
    expect(result.code).toBe(0);
    const db = openDb({ client: "sqlite3", filename: database });
    const stored = await findStaffUserByEmail(db, "head@library.org");
    const member = stored && (await findStaffUser(db, stored.id, DEFAULT_LIBRARY_ID));
    await db.destroy();
    expect(member?.role).toBe("admin");
    expect(stored?.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
  });

  it("exits 1 with a message naming the problem", () => {
    const short = user(["add", "b@library.org", "--role", "staff"], "short\n");
    expect(short.code).toBe(1);
    expect(short.err).toContain("password: must be at least 12 characters");
    const noRole = user(["add", "b@library.org"], "long enough password\n");
    expect(noRole.code).toBe(1);
    expect(noRole.err).toContain("give a role");
    const lastAdmin = user(["disable", "head@library.org"]);
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.err).toContain("only active admin");
  });

  it("changes a role and prints help", () => {
    expect(user(["add", "c@library.org", "--role", "staff"], "long enough password\n").code).toBe(
      0,
    );
    const role = user(["role", "c@library.org", "--role", "analyst"]);
    expect(role.out).toContain("c@library.org now has the analyst role.");
    const help = user(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("add EMAIL --role ROLE [--library SLUG]");
  });

  it("prints a one-time password link whose token is stored only as a hash, and logs it", async () => {
    const result = user(["password", "head@library.org", "--link"]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const token = /\/staff\/reset\/([\w-]{43})$/m.exec(result.out)?.[1];
    expect(token).toBeDefined();
    const db = openDb({ client: "sqlite3", filename: database });
    try {
      const row = await db("password_resets").orderBy("id", "desc").first();
      expect(row.token_hash).toBe(createHash("sha256").update(String(token)).digest("hex"));
      const [entry] = await listAudit(db, { action: "user.reset-link" });
      expect(entry).toMatchObject({
        actorEmail: userInfo().username || "command line",
        target: "head@library.org",
      });
    } finally {
      await db.destroy();
    }
  });

  it("sets a password from standard input and ends the account's sessions", async () => {
    const db = openDb({ client: "sqlite3", filename: database });
    const before = (await findStaffUserByEmail(db, "head@library.org"))?.sessionEpoch ?? 0;
    await db.destroy();
    const result = user(["password", "head@library.org"], "another piped password\n");
    expect(result.out).toContain("its sessions have ended");
    const after = openDb({ client: "sqlite3", filename: database });
    expect((await findStaffUserByEmail(after, "head@library.org"))?.sessionEpoch).toBe(before + 1);
    await after.destroy();
  });
});
