// npm run backup -- dump FILE | restore FILE | summary
//   dump: the instance and every library. PostgreSQL: one pg_dump archive (custom format) of the
//     instance's schema and every library_<slug> schema. SQLite: FILE is a folder; the instance
//     file and libraries/<slug>.db are written into it (VACUUM INTO: safe while the server runs).
//   restore (PostgreSQL): pg_restore of such an archive into DATABASE_URL, all or nothing; restore
//     into a fresh database. (SQLite: stop the server and copy the folder's files back.)
//   summary: each library's row counts and a SHA-256 of its responses, as JSON: run it before the
//     dump and after the restore; the two must be equal.
import { parseArgs } from "node:util";
import { type DatabaseConfig, loadConfig } from "../server/config.ts";
import { type Db, migrateLatest, openDb } from "../server/db.ts";
import { endWith, UsageError } from "../server/exit-message.ts";
import {
  backupSqlite,
  dumpPostgres,
  restorePostgres,
  summarizeLibraries,
} from "../server/libraries/backup.ts";
import { LibraryDatabases } from "../server/libraries/library-databases.ts";

const HELP = `Usage: npm run backup -- dump FILE | restore FILE | summary
  dump FILE     PostgreSQL: a pg_dump archive (custom format) of the instance and every library.
                SQLite: FILE is a folder; the instance file and libraries/<slug>.db go into it.
  restore FILE  PostgreSQL: pg_restore of a dump into DATABASE_URL (a fresh database), all or nothing.
  summary       Each library's row counts and responses checksum (JSON), to compare before and after.`;

let database: DatabaseConfig | undefined;
let db: Db | undefined;
let libraries: LibraryDatabases | undefined;
try {
  const { values, positionals } = parseArgs({
    options: { help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const [command, file] = positionals;
  if (!command || !["dump", "restore", "summary"].includes(command))
    throw new UsageError(`say what to do: dump FILE, restore FILE or summary\n${HELP}`);
  if (command !== "summary" && !file) throw new UsageError(`${command} needs a FILE\n${HELP}`);
  database = loadConfig().database;
  if (command === "restore") {
    if (database.client !== "pg")
      throw new UsageError(
        "restore is for PostgreSQL; on SQLite stop the server and copy the backup folder's files back beside DATABASE_URL's file",
      );
    await restorePostgres(database.connectionString, file as string);
    console.log(`Restored ${file}. Compare npm run backup -- summary with the one taken before.`);
  } else {
    db = openDb(database);
    await migrateLatest(db);
    libraries = new LibraryDatabases(db, database);
    if (command === "summary") {
      console.log(JSON.stringify(await summarizeLibraries(libraries), null, 2));
    } else if (database.client === "pg") {
      const schemas = await dumpPostgres(libraries, database.connectionString, file as string);
      console.log(`Wrote ${file}: schemas ${schemas.join(", ")}.`);
    } else {
      const files = await backupSqlite(libraries, database, file as string);
      console.log(`Wrote ${files.length} database files to ${file}.`);
    }
  }
} catch (error) {
  process.exitCode = endWith(error, { database, prefix: "backup: " });
} finally {
  await libraries?.close();
  await db?.destroy();
}
