// npm run migrate [-- --down]: applies (or rolls back the last batch of) database migrations, on
// the instance database and on every library's own database.
import { parseArgs } from "node:util";
import { type DatabaseConfig, loadConfig } from "../server/config.ts";
import { type Db, migrateLatest, migrationConfig, openDb } from "../server/db.ts";
import { Conflict } from "../server/errors.ts";
import { endWith } from "../server/exit-message.ts";
import { LibraryDatabases } from "../server/libraries/library-databases.ts";
import { isDefaultLibrary, listLibraries } from "../server/queries/libraries.ts";

const HELP = `Usage: npm run migrate [-- --down]
  Applies pending migrations to DATABASE_URL and to every library's database.
  --down rolls back DATABASE_URL's last batch, and the same migrations in every library's
  database, so they stay at one level. It refuses
  to roll back the migration that made the library list while libraries other than "default"
  exist: their databases would be left behind with no way to reach them.`;

/** The migration that made the library list (and memberships). */
const LIBRARIES_MIGRATION = "20261203190000_instance_libraries.ts";

/** The migrations rolling back `db`'s last batch would undo. */
async function lastBatch(db: Db): Promise<string[]> {
  if (!(await db.schema.hasTable("knex_migrations"))) return [];
  const [row] = await db("knex_migrations").max({ batch: "batch" });
  if (row?.batch === null || row?.batch === undefined) return [];
  const rows = (await db("knex_migrations").where({ batch: row.batch }).select("name")) as {
    name: string;
  }[];
  return rows.map((r) => r.name);
}

let database: DatabaseConfig | undefined;
let db: Db | undefined;
let libraries: LibraryDatabases | undefined;
try {
  const { values } = parseArgs({
    options: { down: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  database = loadConfig().database;
  db = openDb(database);
  if (values.down) {
    const hasList = await db.schema.hasTable("libraries");
    const others = hasList ? (await listLibraries(db)).filter((l) => !isDefaultLibrary(l)) : [];
    if (others.length && (await lastBatch(db)).includes(LIBRARIES_MIGRATION))
      throw new Conflict(
        `rolling back ${LIBRARIES_MIGRATION} would drop the list of libraries while ${others.map((l) => l.slug).join(", ")} have databases of their own; nothing was rolled back`,
      );
    // Each library steps back with the instance: the same migrations, those of the instance's
    // last batch that libraries have (opening a library brings it up to the instance's level).
    const undo = (await lastBatch(db)).filter((name) => !/^\d{14}_instance_/.test(name)).reverse();
    libraries = new LibraryDatabases(db, database);
    for (const library of others) {
      const libraryDb = await libraries.db(library);
      for (const name of undo)
        await libraryDb.migrate.down({ ...migrationConfig("library"), name });
      console.log(
        `${library.slug}: ${undo.length ? `rolled back ${undo.join(", ")}` : "nothing to roll back"}`,
      );
    }
    const [, undone] = (await db.migrate.rollback(migrationConfig())) as [number, string[]];
    console.log(undone.length ? `Rolled back: ${undone.join(", ")}` : "Nothing to roll back.");
  } else {
    const applied = await migrateLatest(db);
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
    libraries = new LibraryDatabases(db, database);
    for (const library of (await listLibraries(db)).filter((l) => !isDefaultLibrary(l))) {
      await libraries.db(library); // migrated on opening
      console.log(`${library.slug}: up to date`);
    }
  }
} catch (error) {
  process.exitCode = endWith(error, { database, prefix: "migrate: " });
} finally {
  await libraries?.close();
  await db?.destroy();
}
