// What the import CLIs share: opening the database like the server does, a progress bar on a
// terminal only, and one way to end: exit 0 done, 1 bad input (the message names the file, line
// and column), 2 anything else (a bug or an unreachable database).
import { SingleBar } from "cli-progress";
import { loadConfig } from "../config.ts";
import { type Db, migrateLatest, openDb } from "../db.ts";
import { InputError } from "../errors.ts";
import { checkReadOptions, type ReadOptions } from "./table-file.ts";

export class UsageError extends Error {}

/** Help text of the flags every import CLI takes to say how its file is read. */
export const READ_OPTIONS_HELP = `  --encoding ENC  the file's character encoding: utf-8, utf-16le, utf-16be, windows-1252
                  (Latin-1); default: detected (a byte-order mark, else UTF-8 when the start of
                  the file is valid UTF-8, else the detector's guess); the report says which
  --delimiter D   the field delimiter: , ; tab or | (default: the one the header line uses)`;

/** parseArgs options of --encoding and --delimiter. */
export const READ_OPTION_FLAGS = {
  encoding: { type: "string" },
  delimiter: { type: "string" },
} as const;

/** --encoding and --delimiter, checked: a bad value is a usage error naming the flag. */
export function readOptionsOf(values: { encoding?: string; delimiter?: string }): ReadOptions {
  try {
    return checkReadOptions(values);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new UsageError(`--${error.where.field}: ${error.detail}.`);
  }
}

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
