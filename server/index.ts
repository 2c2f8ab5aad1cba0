// Starts Open Door: migrate, sync surveys, load demo data into an empty database, listen.
import { createApp } from "./app.ts";
import { type DatabaseConfig, isDebug, loadConfig } from "./config.ts";
import { migrateLatest, openDb } from "./db.ts";
import { exitMessage } from "./exit-message.ts";
import { loadDemoData } from "./imports/demo.ts";
import { seedKiosks } from "./kiosk/setup.ts";
import type { LibraryDatabases } from "./libraries/library-databases.ts";
import { DEFAULT_LIBRARY_ID, findLibraryById, listLibraries } from "./queries/libraries.ts";
import { countActiveStaff } from "./queries/staff-users.ts";
import { syncLibrarySurveys } from "./surveys/catalogue.ts";

/** The database being opened, so a start-up failure can say which one. */
let database: DatabaseConfig | undefined;

async function main(): Promise<void> {
  const config = loadConfig();
  database = config.database;
  const db = openDb(config.database);
  try {
    const applied = await migrateLatest(db);
    if (applied.length) console.log(`Database migrated (${applied.length} migrations).`);
    const defaultLibrary = await findLibraryById(db, DEFAULT_LIBRARY_ID);
    if (!defaultLibrary) throw new Error("the default library is missing from the database");
    const surveys = await syncLibrarySurveys(db, defaultLibrary, config);
    for (const s of surveys.filter((r) => r.newVersion))
      console.log(`Survey ${s.slug}: version ${s.versionId} recorded.`);
    await seedKiosks(db, config.kiosk);
    if (config.loadDemo) {
      const demo = await loadDemoData(db, { suppressBelow: config.suppressBelow });
      if (demo.loaded) {
        console.log(
          "Demo data loaded (a fictional county; see db/demo/README.md). Remove it before going live: the button on /staff/demo, or npm run demo:remove. Set DEMO=0 to start empty.",
        );
      }
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }

  // There is never a default password: the first admin is made from a terminal.
  const noAdmin = (await countActiveStaff(db, DEFAULT_LIBRARY_ID, "admin")) === 0;

  const app = createApp({ db, config });
  try {
    // Every other library's own survey files and adopted standard surveys (a changed standard
    // file becomes a new version in each library that adopted it).
    const libraries = app.locals.libraries as LibraryDatabases;
    for (const library of (await listLibraries(db)).filter((l) => l.id !== DEFAULT_LIBRARY_ID)) {
      const synced = await syncLibrarySurveys(await libraries.db(library), library, config);
      for (const s of synced.filter((r) => r.newVersion))
        console.log(`Survey ${s.slug} of ${library.slug}: version ${s.versionId} recorded.`);
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const server = app.listen(config.port, (error?: Error) => {
    if (error) {
      const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
      fail(
        inUse
          ? new Error(`port ${config.port} is in use: stop the program using it, or set PORT`)
          : error,
      );
      return;
    }
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    console.log(`Open Door is listening on http://localhost:${port}/`);
    if (noAdmin) {
      console.log(
        [
          "",
          "No staff admin account exists yet. Create one (you will be asked for a password):",
          "  npm run user -- add you@library.org --role admin",
          `Then log in at http://localhost:${port}/staff/login`,
          "",
        ].join("\n"),
      );
    }
  });

  const shutdown = (signal: string) => {
    console.log(`${signal} received: closing.`);
    server.close(() => {
      db.destroy().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

/** One line saying what is wrong and what to do; the stack only with DEBUG. */
function fail(error: unknown): never {
  console.error(`Cannot start Open Door: ${exitMessage(error, database).line}`);
  if (isDebug()) console.error(error);
  process.exit(1);
}

main().catch(fail);
