// A second library in a test app (a consortium member beside the default library), on its own
// database as the app opens it, with the surveys of `surveysDir`.
import type { Express } from "express";
import type { Db } from "../../server/db.ts";
import type { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import { insertLibrary, type Library } from "../../server/queries/libraries.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";

export async function addLibrary(
  app: Express,
  instance: Db,
  slug: string,
  surveysDir: string,
): Promise<{ library: Library; db: Db }> {
  const library = await insertLibrary(instance, { slug, name: `Library ${slug}` });
  const db = await (app.locals.libraries as LibraryDatabases).db(library);
  await syncSurveys(db, surveysDir);
  return { library, db };
}
