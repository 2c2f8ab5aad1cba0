// PostgreSQL for tests: runs when TEST_DATABASE_URL names a PostgreSQL database (.ci/run starts
// one), skipped loudly otherwise. Each test file works in a schema of its own, so files running in
// parallel never meet each other's tables.
import { type Db, migrateLatest, openDb } from "../../server/db.ts";

const url = process.env.TEST_DATABASE_URL;

export const postgresEnabled = Boolean(url?.startsWith("postgres"));

/** Says loudly, once per file, that this file's PostgreSQL tests did not run. */
export function warnIfPostgresSkipped(what: string): void {
  if (!postgresEnabled) {
    console.warn(
      `\n*** ${what} SKIPPED: set TEST_DATABASE_URL=postgres://… to run them (CI does). ***\n`,
    );
  }
}

/** The URL with every connection's search_path set to one schema. */
function inSchema(connection: string, schema: string): string {
  const address = new URL(connection);
  address.searchParams.set("options", `-c search_path=${schema}`);
  return address.toString();
}

/** Drops and recreates `schema`, and opens a database on it; `migrate` (default) applies the migrations. */
export async function freshPostgresSchema(
  schema: string,
  options: { migrate?: boolean } = {},
): Promise<Db> {
  if (!url || !postgresEnabled)
    throw new Error("freshPostgresSchema: TEST_DATABASE_URL is not a PostgreSQL URL");
  if (!/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error(`freshPostgresSchema: bad schema name "${schema}"`);
  const admin = openDb({ client: "pg", connectionString: url });
  try {
    await admin.raw(`drop schema if exists ${schema} cascade`);
    await admin.raw(`create schema ${schema}`);
  } finally {
    await admin.destroy();
  }
  const db = openDb({ client: "pg", connectionString: inSchema(url, schema) });
  if (options.migrate !== false) await migrateLatest(db);
  return db;
}

/** Drops the schema and closes the database. */
export async function dropPostgresSchema(db: Db | undefined, schema: string): Promise<void> {
  if (!db) return;
  await db.raw(`drop schema if exists ${schema} cascade`);
  await db.destroy();
}
