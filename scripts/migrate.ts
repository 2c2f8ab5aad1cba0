// npm run migrate [-- --down]: applies (or rolls back the last batch of) database migrations.
import { parseArgs } from "node:util";
import { type DatabaseConfig, loadConfig } from "../server/config.ts";
import { type Db, migrateLatest, migrationConfig, openDb } from "../server/db.ts";
import { endWith } from "../server/exit-message.ts";

const HELP =
  "Usage: npm run migrate [-- --down]\n  Applies pending migrations to DATABASE_URL; --down rolls back the last batch.";

let database: DatabaseConfig | undefined;
let db: Db | undefined;
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
    const [, undone] = (await db.migrate.rollback(migrationConfig())) as [number, string[]];
    console.log(undone.length ? `Rolled back: ${undone.join(", ")}` : "Nothing to roll back.");
  } else {
    const applied = await migrateLatest(db);
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
  }
} catch (error) {
  process.exitCode = endWith(error, { database, prefix: "migrate: " });
} finally {
  await db?.destroy();
}
