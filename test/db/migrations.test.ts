import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrateLatest, migrationConfig, openDb } from "../../server/db.ts";

const dir = mkdtempSync(path.join(tmpdir(), "opendoor-migrations-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function tableNames(db: ReturnType<typeof openDb>): Promise<string[]> {
  const rows = await db("sqlite_master")
    .where({ type: "table" })
    .whereNot("name", "like", "sqlite_%")
    .select("name");
  return rows.map((r: { name: string }) => r.name).sort();
}

describe("migrations", () => {
  it("run up on a fresh database file and all the way down again", async () => {
    const db = openDb({ client: "sqlite3", filename: path.join(dir, "fresh.sqlite") });
    try {
      const applied = await migrateLatest(db);
      expect(applied.length).toBeGreaterThan(0);
      const tables = await tableNames(db);
      expect(tables).toEqual(expect.arrayContaining(["surveys", "survey_versions", "responses"]));

      // Roll back one migration at a time, so every down() runs against the schema it expects.
      for (let i = 0; i < applied.length; i++) await db.migrate.down(migrationConfig());
      expect(await tableNames(db)).toEqual(["knex_migrations", "knex_migrations_lock"]);

      expect(await migrateLatest(db)).toEqual(applied);
    } finally {
      await db.destroy();
    }
  });

  it("is idempotent: a second run applies nothing", async () => {
    const db = openDb({ client: "sqlite3", filename: path.join(dir, "twice.sqlite") });
    try {
      await migrateLatest(db);
      expect(await migrateLatest(db)).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
