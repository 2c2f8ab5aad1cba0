// Shared by the import tests: a fresh migrated database, fixture paths, files written on the fly.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT_DIR } from "../../server/config.ts";
import { type Db, migrateLatest, openDb } from "../../server/db.ts";
import type { CalendarDate } from "../../server/imports/dates.ts";

export const FIXTURES = path.join(ROOT_DIR, "test", "fixtures", "imports");
export const fixture = (name: string) => path.join(FIXTURES, name);

/** The as-of date most patron fixtures are written for: window 2023-04-01 … 2024-03-31. */
export const AS_OF: CalendarDate = { year: 2024, month: 3, day: 31 };

/** A migrated SQLite database: in memory, or in a file when `file` is given. */
export async function freshDb(file = ":memory:"): Promise<Db> {
  const db = openDb({ client: "sqlite3", filename: file });
  await migrateLatest(db);
  return db;
}

/** A new temporary folder. */
export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "opendoor-imports-"));
}

/** Writes `content` to a file named `name` in a new temporary folder and returns its path. */
export function tempFile(name: string, content: string): string {
  const file = path.join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}
