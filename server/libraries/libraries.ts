// Adding and editing the libraries of an instance: the rules `npm run library` and the
// super-admin's page (/staff/libraries) share, so both check the same things and audit the same way.

import type { Config } from "../config.ts";
import type { Db } from "../db.ts";
import { Conflict, InputError, NotFound } from "../errors.ts";
import { type AuditBy, appendAuditBy } from "../queries/audit-log.ts";
import {
  DEFAULT_LIBRARY_SLUG,
  deleteLibrary,
  findLibrary,
  insertLibrary,
  type Library,
  listLibraries,
  updateLibrary,
} from "../queries/libraries.ts";
import { syncLibrarySurveys } from "../surveys/catalogue.ts";
import { LIBRARY_SLUG, type LibraryDatabases } from "./library-databases.ts";

/** What the slug rule says, in words, wherever a slug is refused. */
export const SLUG_RULE =
  "2 to 40 characters: lower-case letters a-z, digits and hyphens, starting with a letter (e.g. springfield-east)";

/**
 * An IMLS FSCS id (the Public Libraries Survey's FSCSKEY): the two-letter postal code of the
 * state or outlying area, then four digits, e.g. "IL0123".
 */
export const FSCS_ID = /^[A-Z]{2}\d{4}$/;
const FSCS_RULE =
  'the Public Libraries Survey\'s FSCSKEY: a two-letter state code and four digits, e.g. "IL0123"';

const NAME_MAX = 200;
const REGION_MAX = 100;

export interface LibraryInput {
  slug: string;
  name: string;
  fscsId?: string | null;
  region?: string | null;
}

export type LibraryChange = Partial<Omit<LibraryInput, "slug">>;

function fieldError(field: string, message: string): InputError {
  return new InputError(`${field}: ${message}`, {}, undefined, [{ question: field, message }]);
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw fieldError("name", "give the library's name");
  if (trimmed.length > NAME_MAX) throw fieldError("name", `at most ${NAME_MAX} characters`);
  return trimmed;
}

/** An FSCS id in capitals, or null for none (an empty value clears it). */
function checkFscsId(value: string | null | undefined): string | null {
  const id = value?.trim().toUpperCase() ?? "";
  if (!id) return null;
  if (!FSCS_ID.test(id)) throw fieldError("fscs", `"${value}" is not ${FSCS_RULE}`);
  return id;
}

function checkRegion(value: string | null | undefined): string | null {
  const region = value?.trim() ?? "";
  if (region.length > REGION_MAX) throw fieldError("region", `at most ${REGION_MAX} characters`);
  return region || null;
}

async function checkFscsFree(instance: Db, fscsId: string | null, except?: number) {
  if (!fscsId) return;
  const holder = (await listLibraries(instance)).find(
    (l) => l.fscsId === fscsId && l.id !== except,
  );
  if (holder)
    throw new Conflict(
      `fscs: ${fscsId} is already the FSCS id of ${holder.name} (${holder.slug})`,
      {
        details: [{ question: "fscs", message: `already the FSCS id of ${holder.name}` }],
      },
    );
}

/**
 * Adds a library: checks its slug, name and FSCS id, records it in the instance database, then
 * creates and migrates its own database (a SQLite file or a PostgreSQL schema). When that fails
 * the library is taken out of the list again, so no library exists without its database.
 */
export async function addLibrary(
  instance: Db,
  libraries: LibraryDatabases,
  input: LibraryInput,
  by: AuditBy,
  /** Where survey files are: the new library's own folder (surveys/libraries/SLUG) is read. */
  surveys?: Pick<Config, "surveysDir" | "standardSurveysDir">,
): Promise<Library> {
  const slug = input.slug.trim();
  if (!LIBRARY_SLUG.test(slug))
    throw fieldError("slug", `"${input.slug}" is not a library slug: ${SLUG_RULE}`);
  const name = checkName(input.name);
  const fscsId = checkFscsId(input.fscsId);
  const region = checkRegion(input.region);
  if (await findLibrary(instance, slug))
    throw new Conflict(`slug: there is already a library "${slug}"`, {
      details: [{ question: "slug", message: `there is already a library "${slug}"` }],
    });
  await checkFscsFree(instance, fscsId);
  const library = await insertLibrary(instance, { slug, name, fscsId, region });
  let db: Db;
  try {
    db = await libraries.db(library);
  } catch (error) {
    await deleteLibrary(instance, library.id);
    throw error;
  }
  const entry = { action: "library.add", target: slug, details: { name, fscsId, region } };
  await appendAuditBy(instance, by, entry);
  await appendAuditBy(db, by, entry);
  if (surveys) await syncLibrarySurveys(db, library, surveys);
  return library;
}

/** Changes a library's name, FSCS id or region (the slug stays: it names its database and URLs). */
export async function editLibrary(
  instance: Db,
  slug: string,
  change: LibraryChange,
  by: AuditBy,
): Promise<Library> {
  const library = await findLibrary(instance, slug);
  if (!library) throw new NotFound(await unknownLibrary(instance, slug));
  const next: LibraryChange = {};
  if (change.name !== undefined) next.name = checkName(change.name);
  if (change.fscsId !== undefined) {
    next.fscsId = checkFscsId(change.fscsId);
    await checkFscsFree(instance, next.fscsId, library.id);
  }
  if (change.region !== undefined) next.region = checkRegion(change.region);
  await updateLibrary(instance, library.id, next);
  const changed = (await findLibrary(instance, slug)) ?? library;
  await appendAuditBy(instance, by, {
    action: "library.edit",
    target: slug,
    details: {
      from: { name: library.name, fscsId: library.fscsId, region: library.region },
      to: { name: changed.name, fscsId: changed.fscsId, region: changed.region },
    },
  });
  return changed;
}

/** "There is no library X", with the slugs there are, so a typo is easy to see. */
export async function unknownLibrary(instance: Db, slug: string): Promise<string> {
  const slugs = (await listLibraries(instance)).map((l) => l.slug).sort();
  return `there is no library "${slug}" (libraries: ${slugs.join(", ")}; npm run library -- list)`;
}

/**
 * The library a command works on, and its database: `slug`, or the default library when none is
 * given, so a one-library install never needs the option.
 */
export async function openLibrary(
  libraries: LibraryDatabases,
  slug: string | undefined,
): Promise<{ library: Library; db: Db }> {
  const wanted = slug ?? DEFAULT_LIBRARY_SLUG;
  const library = await findLibrary(libraries.instance, wanted);
  if (!library) throw new NotFound(await unknownLibrary(libraries.instance, wanted));
  return { library, db: await libraries.db(library) };
}
