// Backups of a whole instance (docs/CONSORTIUM.md, "Backups"): every library's data, and the
// check that a restore gave it all back. On PostgreSQL the instance's schema and every library's
// schema go into one pg_dump archive (custom format), restored with pg_restore; on SQLite the
// instance file and each library's file are copied with VACUUM INTO, which writes a consistent
// copy while the server keeps running. The summary (row counts of every table and a SHA-256
// of the stored responses, per library) is what a restore is checked against.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { DatabaseConfig } from "../config.ts";
import { InputError } from "../errors.ts";
import { countRows, listTables, responsesById } from "../queries/backup.ts";
import { isDefaultLibrary, listLibraries } from "../queries/libraries.ts";
import { instanceSchema, type LibraryDatabases, schemaOf } from "./library-databases.ts";

export interface LibrarySummary {
  slug: string;
  /** Rows in each table of the library's database. */
  tables: Record<string, number>;
  /** SHA-256 over every stored response (its columns as stored), in id order. */
  responses: string;
}

/** Every library's row counts and responses checksum, the default library first. */
export async function summarizeLibraries(libraries: LibraryDatabases): Promise<LibrarySummary[]> {
  const summaries: LibrarySummary[] = [];
  for (const library of await listLibraries(libraries.instance)) {
    const db = await libraries.db(library);
    const tables: Record<string, number> = {};
    for (const table of await listTables(db)) tables[table] = await countRows(db, table);
    const hash = createHash("sha256");
    let after = "";
    for (;;) {
      const page = await responsesById(db, after, 5000);
      for (const row of page) hash.update(`${JSON.stringify(row)}\n`);
      const last = page.at(-1);
      if (!last) break;
      after = String(last.id);
    }
    summaries.push({ slug: library.slug, tables, responses: hash.digest("hex") });
  }
  return summaries;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new InputError(
              `${command} is not installed: install PostgreSQL's client programs (Debian: apt install postgresql-client)`,
            )
          : error,
      ),
    );
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} failed (exit code ${code}): ${stderr.trim()}`)),
    );
  });
}

/**
 * The URL for pg_dump and pg_restore: without the `options` the server's URL may carry (a search
 * path, written with + for its space, which libpq reads literally); they set their own.
 */
function toolUrl(connectionString: string): string {
  const url = new URL(connectionString);
  url.searchParams.delete("options");
  return url.toString();
}

/** The schemas an instance's backup holds: the instance's and every library's. */
export async function instanceSchemas(libraries: LibraryDatabases, connectionString: string) {
  const schemas = [instanceSchema(connectionString)];
  for (const library of await listLibraries(libraries.instance)) {
    if (!isDefaultLibrary(library)) schemas.push(schemaOf(library.slug));
  }
  return schemas;
}

/** Writes the instance and all its libraries to `file`, a pg_dump archive in custom format. */
export async function dumpPostgres(
  libraries: LibraryDatabases,
  connectionString: string,
  file: string,
): Promise<string[]> {
  const schemas = await instanceSchemas(libraries, connectionString);
  await run("pg_dump", [
    "--format=custom",
    `--file=${file}`,
    ...schemas.map((schema) => `--schema=${schema}`),
    `--dbname=${toolUrl(connectionString)}`,
  ]);
  return schemas;
}

/**
 * Restores an archive of dumpPostgres into the database of `connectionString` (a fresh one, or
 * one whose Open Door schemas were dropped), all or nothing: one transaction, stopping at the
 * first error. The restoring role owns what it restores.
 */
export async function restorePostgres(connectionString: string, file: string): Promise<void> {
  await run("pg_restore", [
    "--no-owner",
    "--exit-on-error",
    "--single-transaction",
    `--dbname=${toolUrl(connectionString)}`,
    file,
  ]);
}

/**
 * Copies a SQLite instance into `folder`: the instance file under its own name and each
 * library's file in `libraries/`, the layout the server expects beside DATABASE_URL's file.
 */
export async function backupSqlite(
  libraries: LibraryDatabases,
  database: Extract<DatabaseConfig, { client: "sqlite3" }>,
  folder: string,
): Promise<string[]> {
  mkdirSync(path.join(folder, "libraries"), { recursive: true });
  const written: string[] = [];
  for (const library of await listLibraries(libraries.instance)) {
    const db = await libraries.db(library);
    const target = isDefaultLibrary(library)
      ? path.join(folder, path.basename(database.filename))
      : path.join(folder, "libraries", `${library.slug}.db`);
    await db.raw("VACUUM INTO ?", [target]);
    written.push(target);
  }
  return written;
}
