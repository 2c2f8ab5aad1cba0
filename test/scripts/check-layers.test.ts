// npm run check:layers must check something: dependency-cruiser alone skips every .ts file under
// TypeScript 7 and passes (the bug this guards against), so each case runs the script as npm does
// (Node with tsx, a child process) on a small project with a known back-edge, and on this one.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A project with this one's rules and the given source files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "opendoor-layers-"));
  dirs.push(dir);
  copyFileSync(
    path.join(ROOT_DIR, ".dependency-cruiser.cjs"),
    path.join(dir, ".dependency-cruiser.cjs"),
  );
  writeFileSync(path.join(dir, "package.json"), '{ "type": "module" }\n');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

async function checkLayers(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", "scripts/check-layers.ts", ...args],
      { cwd: ROOT_DIR },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe("npm run check:layers", () => {
  it("passes on this project, having read its modules", async () => {
    const { code, output } = await checkLayers();
    expect(code).toBe(0);
    expect(output).toMatch(/check:layers: \d{3,} modules, \d+ imports, 0 errors/);
  });

  it("fails on a query module that borrows a type from auth (a type-only back-edge)", async () => {
    const dir = project({
      "server/auth/roles.ts": 'export type Role = "staff" | "admin";\n',
      "server/queries/staff.ts":
        'import type { Role } from "../auth/roles.ts";\nexport const roleOf = (role: Role) => role;\n',
    });
    const { code, output } = await checkLayers(dir);
    expect(code).toBe(1);
    expect(output).toContain("queries-only-sql: server/queries/staff.ts → server/auth/roles.ts");
  });

  it("fails on a route that imports another route, and on a cycle", async () => {
    const dir = project({
      "server/routes/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b();\n',
      "server/routes/b.ts":
        'import type { A } from "./a-type.ts";\nexport const b = (x?: A) => x;\n',
      "server/routes/a-type.ts":
        'import { a } from "./a.ts";\nexport type A = ReturnType<typeof a>;\n',
    });
    const { code, output } = await checkLayers(dir);
    expect(code).toBe(1);
    expect(output).toContain("no-route-to-route: server/routes/a.ts → server/routes/b.ts");
    expect(output).toContain("no-cycles");
  });
});
