// How the server and the command-line tools end on an error: one line saying what is wrong and
// what to do about it. The stack trace is for developers, and only with DEBUG set.
import type { DatabaseConfig } from "./config.ts";
import { describeDatabaseProblem } from "./db.ts";
import { InputError } from "./errors.ts";

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
  /** A problem the user can fix (bad input, configuration, database); false for a bug. */
  known: boolean;
}

export function exitMessage(error: unknown, database?: DatabaseConfig): ExitMessage {
  if (error instanceof InputError) return { line: error.message, known: true };
  const databaseProblem = database && describeDatabaseProblem(error, database);
  if (databaseProblem) return { line: databaseProblem, known: true };
  const e = error as NodeJS.ErrnoException | undefined;
  const fileProblem = e?.code ? FILE_PROBLEMS[e.code] : undefined;
  if (fileProblem && e?.path) {
    return { line: `cannot ${e.syscall ?? "use"} ${e.path}: ${fileProblem}`, known: true };
  }
  const message = e instanceof Error ? e.message : String(error);
  // loadConfig lists every bad variable, one per line.
  if (message.startsWith("Invalid configuration:")) {
    const [heading, ...problems] = message.split(/\n\s*/);
    return { line: `${heading} ${problems.join("; ")}`, known: true };
  }
  return { line: `${message.split("\n")[0]} (run with DEBUG=1 for the details)`, known: false };
}
