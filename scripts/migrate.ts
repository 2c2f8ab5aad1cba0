// npm run migrate [-- --down]: applies (or rolls back the last batch of) database migrations.
import { parseArgs } from "node:util";
import { loadConfig } from "../server/config.ts";
import { migrateLatest, migrationConfig, openDb } from "../server/db.ts";

const { values } = parseArgs({
  options: { down: { type: "boolean" }, help: { type: "boolean", short: "h" } },
});
if (values.help) {
  console.log(
    "Usage: npm run migrate [-- --down]\n  Applies pending migrations to DATABASE_URL; --down rolls back the last batch.",
  );
  process.exit(0);
}
const db = openDb(loadConfig().database);
try {
  if (values.down) {
    const [, undone] = (await db.migrate.rollback(migrationConfig())) as [number, string[]];
    console.log(undone.length ? `Rolled back: ${undone.join(", ")}` : "Nothing to roll back.");
  } else {
    const applied = await migrateLatest(db);
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Already up to date.");
  }
} finally {
  await db.destroy();
}
