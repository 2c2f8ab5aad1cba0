// Opens the database (SQLite by default, PostgreSQL when configured) and runs migrations.
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import knex, { type Knex } from "knex";
import { type DatabaseConfig, ROOT_DIR } from "./config.ts";
import { InputError } from "./errors.ts";

export type Db = Knex;

/**
 * How long a write waits for another process's write lock (an import running beside the server)
 * before it fails and the API answers 503 with Retry-After. Kept short: one connection serves the
 * whole server, so every request behind a waiting write waits too.
 */
export const BUSY_TIMEOUT_MS = 1000;

/**
 * Knex warns with the whole stack when a connection cannot be made; the same error reaches the
 * caller, which reports it in one line (start-up, the CLIs) or as a 503, so that warning is dropped.
 */
const QUIET_WARNINGS = [
  "Acquire connection error",
  // The migrator's own account of a failed migration lock; the error says it again, in one line.
  "Can't take lock to run migrations",
  "If you are sure migrations are not running",
];
const log = {
  warn(message: string) {
    if (!QUIET_WARNINGS.some((start) => message.startsWith(start))) console.warn(message);
  },
};

export function openDb(database: DatabaseConfig): Db {
  if (database.client === "pg") {
    return knex({
      client: "pg",
      log,
      // A server that does not answer fails in seconds rather than hanging every request.
      connection: { connectionString: database.connectionString, connectionTimeoutMillis: 5000 },
      pool: { min: 0, max: 10 },
      acquireConnectionTimeout: 10_000,
    });
  }
  if (database.filename !== ":memory:") {
    const folder = path.dirname(database.filename);
    if (database.folderMustExist && !(existsSync(folder) && statSync(folder).isDirectory())) {
      // A DATABASE_URL on a disk that is not mounted must not quietly start an empty database.
      throw new InputError(
        `the folder ${folder} of DATABASE_URL does not exist: create it, or correct DATABASE_URL`,
      );
    }
    mkdirSync(folder, { recursive: true });
  }
  return knex({
    client: "sqlite3",
    log,
    connection: { filename: database.filename },
    useNullAsDefault: true,
    // One connection: SQLite has one writer, and a single connection keeps :memory: databases whole.
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        // WAL lets readers work during writes; synchronous=NORMAL in WAL is still durable across
        // process crashes (an acknowledged response survives a server crash).
        conn.exec(
          `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};`,
          (err) => done(err, conn),
        );
      },
    },
  });
}

interface SqliteConnection {
  exec(sql: string, callback: (err: Error | null) => void): void;
}

export const MIGRATIONS_DIR = path.join(ROOT_DIR, "db", "migrations");

/**
 * Which database a migration list is for. The instance database (DATABASE_URL) holds the
 * default library's data and what the instance shares (accounts, memberships, sessions, the
 * library list); migrations named `*_instance_*` run only there. Every other library's
 * database gets the rest, so each holds the same library tables.
 */
export type MigrationScope = "instance" | "library";

const isInstanceOnly = (file: string) => /^\d{14}_instance_/.test(file);

/**
 * Migrations are loaded with import() from here rather than by knex itself, so the same
 * TypeScript files run under tsx (npm start) and under vitest's transform (npm test).
 */
function migrationSource(scope: MigrationScope): Knex.MigrationSource<string> {
  return {
    async getMigrations() {
      return readdirSync(MIGRATIONS_DIR)
        .filter((f) => /^\d{14}_.+\.ts$/.test(f))
        .filter((f) => scope === "instance" || !isInstanceOnly(f))
        .sort();
    },
    getMigrationName: (file) => file,
    getMigration: (file) => import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href),
  };
}

export function migrationConfig(scope: MigrationScope = "instance"): Knex.MigratorConfig {
  return { migrationSource: migrationSource(scope), tableName: "knex_migrations" };
}

export async function migrateLatest(db: Db, scope: MigrationScope = "instance"): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig(scope))) as [number, string[]];
  return applied;
}

export function isSqlite(db: Db): boolean {
  return db.client.config.client === "sqlite3";
}

interface DriverError {
  code?: string;
  name?: string;
  message?: string;
}

/** SQLite result codes that mean "the database cannot take this now", not "this request is wrong". */
const SQLITE_UNAVAILABLE = new Set([
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_READONLY",
  "SQLITE_CANTOPEN",
  "SQLITE_IOERR",
  "SQLITE_FULL",
]);
/** Node socket errors met when PostgreSQL is down or unreachable. */
const NETWORK_UNAVAILABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/**
 * Whether an error means the database is locked, read-only, full or unreachable: the request may
 * work later (503 with Retry-After), and nothing was stored. PostgreSQL: SQLSTATE class 08
 * (connection exception), 53 (insufficient resources), 57P01-57P03 (shutting down, cannot connect
 * now), 25006 (read-only transaction: a standby), 55P03 (lock not available).
 */
/** The driver's error code; Knex's migrator keeps only the message ("… - SQLITE_READONLY: …"). */
function errorCode(error: unknown): string {
  const e = error as DriverError | undefined;
  return e?.code ?? /\b(SQLITE_[A-Z]+)\b/.exec(e?.message ?? "")?.[1] ?? "";
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as DriverError | undefined;
  const code = errorCode(error);
  if (SQLITE_UNAVAILABLE.has(code) || NETWORK_UNAVAILABLE.has(code)) return true;
  if (
    /^(08|53)[0-9A-Z]{3}$/.test(code) ||
    ["57P01", "57P02", "57P03", "25006", "55P03"].includes(code)
  )
    return true;
  return e?.name === "KnexTimeoutError" || /Connection terminated/.test(e?.message ?? "");
}

/** Where the database is, for messages: the file, or the PostgreSQL host and database without the password. */
function databaseLocation(database: DatabaseConfig): string {
  if (database.client === "sqlite3") return database.filename;
  try {
    const url = new URL(database.connectionString);
    return `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  } catch {
    return "the PostgreSQL server in DATABASE_URL";
  }
}

/**
 * One line saying what is wrong with the database and what to do about it, for start-up and the
 * command-line tools; undefined when the error is not a database problem a user can fix.
 */
export function describeDatabaseProblem(
  error: unknown,
  database: DatabaseConfig,
): string | undefined {
  const e = error as DriverError | undefined;
  const code = errorCode(error);
  const where = databaseLocation(database);
  if (/Migration table is already locked/.test(e?.message ?? ""))
    return `the database's migrations are marked as running (an earlier migration stopped half-way?): if none is running, set is_locked to 0 in the knex_migrations_lock table of ${where}`;
  if (database.client === "sqlite3") {
    switch (code) {
      case "SQLITE_CANTOPEN":
        return `cannot open the SQLite database ${where}: check that its folder exists and that this user may write there`;
      case "SQLITE_READONLY":
        return `the SQLite database ${where} is read-only: let this user write to the file and its folder (SQLite writes its -wal and -shm files beside it), or set DATABASE_URL to a writable file`;
      case "SQLITE_NOTADB":
        return `${where} is not a SQLite database: set DATABASE_URL to an Open Door database file, or to a new file name to create one`;
      case "SQLITE_CORRUPT":
        return `the SQLite database ${where} is damaged: restore it from a backup`;
      case "SQLITE_BUSY":
      case "SQLITE_LOCKED":
        return `the SQLite database ${where} is locked by another program: wait for it to finish (an import?) and try again`;
      case "SQLITE_FULL":
        return `the disk holding ${where} is full: free some space and try again`;
      case "SQLITE_IOERR":
        return `cannot read or write the SQLite database ${where} (a disk error): check the disk and try again`;
    }
    return undefined;
  }
  switch (code) {
    case "ECONNREFUSED":
      return `cannot reach the PostgreSQL server at ${where} (connection refused): start PostgreSQL, or correct DATABASE_URL`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the PostgreSQL host in DATABASE_URL (${where}) is not known: correct DATABASE_URL`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `the PostgreSQL server at ${where} does not answer: check the network and the server, or correct DATABASE_URL`;
    case "28P01":
    case "28000":
      return `PostgreSQL at ${where} refused the user name or password in DATABASE_URL: correct them`;
    case "3D000":
      return `the PostgreSQL database ${where} does not exist: create it (createdb), or correct DATABASE_URL`;
    case "42501":
      return `the PostgreSQL user in DATABASE_URL may not create or change tables in ${where}: grant it those rights`;
  }
  if (isDatabaseUnavailable(error))
    return `the PostgreSQL server at ${where} is not available (${code || e?.message}): check it, and try again`;
  return undefined;
}
