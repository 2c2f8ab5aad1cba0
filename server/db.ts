// Opens the database (SQLite by default, PostgreSQL when configured) and runs migrations.
import { mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import knex, { type Knex } from "knex";
import { type DatabaseConfig, ROOT_DIR } from "./config.ts";

export type Db = Knex;

export function openDb(database: DatabaseConfig): Db {
  if (database.client === "pg") {
    return knex({ client: "pg", connection: database.connectionString, pool: { min: 0, max: 10 } });
  }
  if (database.filename !== ":memory:")
    mkdirSync(path.dirname(database.filename), { recursive: true });
  return knex({
    client: "sqlite3",
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
          "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
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
 * Migrations are loaded with import() from here rather than by knex itself, so the same
 * TypeScript files run under tsx (npm start) and under vitest's transform (npm test).
 */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{14}_.+\.ts$/.test(f))
      .sort();
  },
  getMigrationName: (file) => file,
  getMigration: (file) => import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href),
};

export function migrationConfig(): Knex.MigratorConfig {
  return { migrationSource, tableName: "knex_migrations" };
}

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig())) as [number, string[]];
  return applied;
}

export function isSqlite(db: Db): boolean {
  return db.client.config.client === "sqlite3";
}
