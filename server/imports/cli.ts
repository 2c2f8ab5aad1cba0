// What the import CLIs share: opening the database like the server does, a progress bar on a
// terminal only, and one way to end: exit 0 done, 1 bad input (the message names the file, line
// and column), 2 anything else (a bug or an unreachable database).
import { SingleBar } from "cli-progress";
import { loadConfig } from "../config.ts";
import { type Db, migrateLatest, openDb } from "../db.ts";
import { InputError } from "../errors.ts";

export class UsageError extends Error {}

/** Opens DATABASE_URL (migrated), runs `work`, closes, and exits with the right code. */
export async function runCli(help: string, work: (db: Db) => Promise<void>): Promise<never> {
  let db: Db | undefined;
  let code = 0;
  try {
    db = openDb(loadConfig().database);
    await migrateLatest(db);
    await work(db);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${help}`);
      code = 1;
    } else if (error instanceof InputError) {
      console.error(`Error: ${error.toString()}`);
      code = 1;
    } else {
      console.error(error);
      code = 2;
    }
  } finally {
    await db?.destroy();
  }
  process.exit(code);
}

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** A byte-count progress bar on standard error when it is a terminal; silent otherwise. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar({
    stream,
    format: `${label} |{bar}| {percentage}% | {done} of {size} MB | {eta_formatted} left`,
    barCompleteChar: "█",
    barIncompleteChar: "░",
    hideCursor: true,
    clearOnComplete: true,
    fps: 5,
  });
  let started = false;
  const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0, { done: "0.0", size: megabytes(total) });
        started = true;
      }
      bar.update(done, { done: megabytes(done), size: megabytes(total) });
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
