// Runs a script of scripts/ as a user does (Node with tsx, a child process) and gives back its
// exit code and output, whether it succeeded or not.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT_DIR } from "../../server/config.ts";

const run = promisify(execFile);

export interface ScriptOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` is added to this process's environment, with NODE_ENV=test. */
export async function runScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { uid?: number; gid?: number } = {},
): Promise<ScriptOutcome> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.join(ROOT_DIR, "scripts", script), ...args],
      { cwd: ROOT_DIR, env: { ...process.env, NODE_ENV: "test", ...env }, ...options },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as ScriptOutcome;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
