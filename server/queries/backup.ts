// What a backup check reads from one library's database: its tables' row counts and its
// responses in a fixed order (server/libraries/backup.ts sums them into a checksum).
import type { Db } from "../db.ts";
import { isSqlite } from "../db.ts";
import { RESPONSE_COLUMNS } from "./responses.ts";

/** The data tables of the database (of the handle's schema on PostgreSQL), by name. */
export async function listTables(db: Db): Promise<string[]> {
  const rows = isSqlite(db)
    ? ((await db.raw(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )) as { name: string }[])
    : (
        (await db.raw(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
        )) as { rows: { name: string }[] }
      ).rows;
  return rows.map((row) => row.name);
}

export async function countRows(db: Db, table: string): Promise<number> {
  const [row] = (await db(table).count({ n: "*" })) as { n: number | string }[];
  return Number(row?.n ?? 0);
}

/** Stored responses as they are in the table, by id after `afterId`. */
export async function responsesById(
  db: Db,
  afterId: string,
  limit: number,
): Promise<Record<string, unknown>[]> {
  return db("responses")
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .select(RESPONSE_COLUMNS);
}
