// What the command-line tools share: reading their options, opening the database like the server
// does, a progress bar on a terminal only, and one way to end: exit 0 done, 1 bad input or a
// database to fix (one line naming the problem: file, line and column, the option, the database),
// 2 anything else (a bug; DEBUG=1 prints the stack).
import { accessSync, constants, existsSync, statSync } from "node:fs";
import path from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { type DatabaseConfig, loadConfig } from "../config.ts";
import { type Db, migrateLatest, openDb } from "../db.ts";
import { InputError } from "../errors.ts";
import { endWith, UsageError } from "../exit-message.ts";
import { openLibrary } from "../libraries/libraries.ts";
import { LibraryDatabases } from "../libraries/library-databases.ts";
import type { Library } from "../queries/libraries.ts";
import type { ReadOptions } from "./table-file.ts";

/**
 * parseArgs, with an unknown option or a missing value reported in one line, exit 1, instead of
 * a stack trace.
 */
export function parseCliArgs<T extends ParseArgsConfig>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    process.exit(endWith(error));
  }
}

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

/**
 * --encoding and --delimiter, checked: a bad value is a usage error naming the flag. The table
 * reader (csv-parse, the encodings) is loaded here, only by the commands that read files: the
 * others (npm run analyze) start without it.
 */
export async function readOptionsOf(values: {
  encoding?: string;
  delimiter?: string;
}): Promise<ReadOptions> {
  const { checkReadOptions } = await import("./table-file.ts");
  try {
    return checkReadOptions(values);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new UsageError(`--${error.where.field}: ${error.detail}.`);
  }
}

/**
 * An option read by its shared parser (the one the web form uses): an InputError naming the option
 * becomes a usage line "--year must be …".
 */
export function cliOption<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InputError) || error.where.field === undefined) throw error;
    throw new UsageError(`--${error.where.field} ${error.detail}.`);
  }
}

/** Help text of --library, which every command reading or writing a library's data takes. */
export const LIBRARY_HELP =
  "  --library SLUG  the library whose data this is (default: the default library; npm run library -- list)";

/** parseArgs option of --library. */
export const LIBRARY_FLAG = { library: { type: "string" } } as const;

/**
 * Opens DATABASE_URL (migrated) and the database of the library `library` names (the default
 * library when not given), runs `work` on the library's, closes, and exits with the right code.
 */
export async function runCli(
  options: { library?: string },
  work: (db: Db, library: Library) => Promise<void>,
): Promise<never> {
  let instance: Db | undefined;
  let libraries: LibraryDatabases | undefined;
  let database: DatabaseConfig | undefined;
  let code = 0;
  try {
    database = loadConfig().database;
    instance = openDb(database);
    await migrateLatest(instance);
    libraries = new LibraryDatabases(instance, database);
    const { library, db } = await openLibrary(libraries, options.library);
    await work(db, library);
  } catch (error) {
    code = endWith(error, { database });
  } finally {
    await libraries?.close().catch(() => {});
    await instance?.destroy().catch(() => {});
  }
  process.exit(code);
}

/**
 * Checks, before any work, that an output option can be written: an existing folder this user may
 * write in, or a file in one. A file in a folder that does not exist (a typo, a disk not mounted)
 * is refused rather than failing after the work is done. `target` ending in "/" names a folder.
 */
export function checkOutput(option: string, target: string): void {
  const isFolder = existsSync(target) && statSync(target).isDirectory();
  const folder = isFolder || /[\\/]$/.test(target) ? target : path.dirname(path.resolve(target));
  if (!existsSync(folder))
    throw new UsageError(
      `${option} ${target}: the folder ${folder} does not exist; create it first, or choose another`,
    );
  if (!statSync(folder).isDirectory())
    throw new UsageError(`${option} ${target}: ${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    const readOnly = (error as NodeJS.ErrnoException).code === "EROFS";
    throw new UsageError(
      `${option} ${target}: ${readOnly ? `${folder} is on a read-only disk` : `this user may not write in ${folder}`}; choose another folder`,
    );
  }
}

export interface Progress {
  /** `done` of `total` (bytes, responses or hundredths); `step` names what is being done. */
  update(done: number, total: number, step?: string): void;
  stop(): void;
}

/** What a progress bar counts: bytes of a file, responses, or named steps of a piece of work. */
export type ProgressUnit = "bytes" | "responses" | "steps";

const PROGRESS_TAIL: Record<ProgressUnit, string> = {
  bytes: "{done} of {size} MB | {eta_formatted} left",
  responses: "{done} of {size} responses | {eta_formatted} left",
  steps: "{step}",
};

/**
 * The one progress bar of the command-line tools: on standard error when it is a terminal,
 * silent otherwise (a pipe, a log file, a test), so output stays clean wherever it goes.
 */
export function progressBar(
  label: string,
  unit: ProgressUnit,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar({
    stream,
    format: `${label} |{bar}| {percentage}% | ${PROGRESS_TAIL[unit]}`,
    barCompleteChar: "█",
    barIncompleteChar: "░",
    hideCursor: true,
    clearOnComplete: true,
    fps: 5,
  });
  let started = false;
  const shown = (n: number) =>
    unit === "bytes" ? (n / 1e6).toFixed(1) : n.toLocaleString("en-US");
  return {
    update(done, total, step = "") {
      const payload = { done: shown(done), size: shown(total), step };
      if (!started) {
        bar.start(total, 0, payload);
        started = true;
      }
      bar.update(done, payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
