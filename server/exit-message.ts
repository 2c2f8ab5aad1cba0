// The one place errors become command-line messages and exit codes: how the server and every
// command-line tool end on an error. One line saying what is wrong and what to do about it, and
// exit 1 for a problem the user can fix (a bad option, bad input, no data yet, a database to
// fix), 2 for anything else (a bug). The stack trace is for developers, and only with DEBUG set.
import { type DatabaseConfig, isDebug } from "./config.ts";
import { describeDatabaseProblem } from "./db.ts";
import { HttpError, ProductError } from "./errors.ts";

/** A bad command line: the message names the option and what it takes. */
export class UsageError extends Error {}

/** How a usage problem reads: the problem, then where the options are explained, on one line. */
export const usageLine = (message: string) => `${message} (--help lists the options)`;

const FILE_PROBLEMS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOENT: "no such file or folder",
  ENOTDIR: "part of the path is not a folder",
  EISDIR: "it is a folder",
  ENOSPC: "the disk is full",
  EEXIST: "a file of that name is in the way",
};

export interface ExitMessage {
  line: string;
  /** The exit status: 1 for a problem the user can fix (bad input, configuration, database), 2 for a bug. */
  code: 1 | 2;
}

const known = (line: string): ExitMessage => ({ line, code: 1 });

/** A bad command line: ours, or node:util parseArgs's unknown option or missing value. */
const isUsageError = (error: unknown): error is Error =>
  error instanceof UsageError ||
  String((error as NodeJS.ErrnoException | undefined)?.code).startsWith("ERR_PARSE_ARGS_");

export function exitMessage(error: unknown, database?: DatabaseConfig): ExitMessage {
  if (isUsageError(error)) return known(usageLine(error.message));
  // Every problem of server/errors.ts except the HTTP exchange's own, which no command meets.
  if (error instanceof ProductError && !(error instanceof HttpError)) return known(error.message);
  const databaseProblem = database && describeDatabaseProblem(error, database);
  if (databaseProblem) return known(databaseProblem);
  const e = error as NodeJS.ErrnoException | undefined;
  const fileProblem = e?.code ? FILE_PROBLEMS[e.code] : undefined;
  if (fileProblem && e?.path) {
    return known(`cannot ${e.syscall ?? "use"} ${e.path}: ${fileProblem}`);
  }
  const message = e instanceof Error ? e.message : String(error);
  // loadConfig lists every bad variable, one per line.
  if (message.startsWith("Invalid configuration:")) {
    const [heading, ...problems] = message.split(/\n\s*/);
    return known(`${heading} ${problems.join("; ")}`);
  }
  return {
    line: `${message.split("\n")[0]} (run with DEBUG=1 for the details)`,
    code: 2,
  };
}

/**
 * Ends a command on an error: prints its one line on standard error (after `prefix`, by default
 * "Error: ", none for a usage line, which stands alone), the stack too with DEBUG set, and
 * returns the exit status.
 */
export function endWith(
  error: unknown,
  options: { database?: DatabaseConfig; prefix?: string } = {},
): 1 | 2 {
  const { line, code } = exitMessage(error, options.database);
  const usage = isUsageError(error);
  console.error(`${options.prefix ?? (usage ? "" : "Error: ")}${line}`);
  if (isDebug() && !usage) console.error(error);
  return code;
}
