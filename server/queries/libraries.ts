// The libraries of an instance and who belongs to each, with which role. Read from the instance
// database only (server/libraries/library-databases.ts opens each library's own data).
import type { Db } from "../db.ts";
import type { Role } from "./staff-users.ts";

/** The library every install starts with: the instance database holds its data. */
export const DEFAULT_LIBRARY_ID = 1;
export const DEFAULT_LIBRARY_SLUG = "default";

export interface Library {
  id: number;
  slug: string;
  name: string;
  /** IMLS FSCS id, as in the Public Libraries Survey. */
  fscsId: string | null;
  region: string | null;
}

interface RawLibrary {
  id: number | string;
  slug: string;
  name: string;
  fscs_id: string | null;
  region: string | null;
}

const columns = ["id", "slug", "name", "fscs_id", "region"];

const toLibrary = (row: RawLibrary): Library => ({
  id: Number(row.id),
  slug: row.slug,
  name: row.name,
  fscsId: row.fscs_id,
  region: row.region,
});

export const isDefaultLibrary = (library: Pick<Library, "id">) => library.id === DEFAULT_LIBRARY_ID;

export async function listLibraries(db: Db): Promise<Library[]> {
  const rows = (await db("libraries").select(columns).orderBy("name")) as RawLibrary[];
  return rows.map(toLibrary);
}

export async function findLibrary(db: Db, slug: string): Promise<Library | undefined> {
  const row = (await db("libraries").where({ slug }).first(columns)) as RawLibrary | undefined;
  return row ? toLibrary(row) : undefined;
}

export async function findLibraryById(db: Db, id: number): Promise<Library | undefined> {
  const row = (await db("libraries").where({ id }).first(columns)) as RawLibrary | undefined;
  return row ? toLibrary(row) : undefined;
}

export async function insertLibrary(
  db: Db,
  input: { slug: string; name: string; fscsId?: string | null; region?: string | null },
): Promise<Library> {
  const [inserted] = await db("libraries")
    .insert({
      slug: input.slug,
      name: input.name,
      fscs_id: input.fscsId ?? null,
      region: input.region ?? null,
    })
    .returning("id");
  const id = Number(typeof inserted === "object" ? inserted.id : inserted);
  const library = await findLibraryById(db, id);
  if (!library) throw new Error(`library ${id} vanished after insert`);
  return library;
}

/** Takes a library out of the list (only one whose database could not be made). */
export async function deleteLibrary(db: Db, id: number): Promise<void> {
  await db("libraries").where({ id }).delete();
}

export async function updateLibrary(
  db: Db,
  id: number,
  change: { name?: string; fscsId?: string | null; region?: string | null },
): Promise<void> {
  const values: Record<string, unknown> = {};
  if (change.name !== undefined) values.name = change.name;
  if (change.fscsId !== undefined) values.fscs_id = change.fscsId;
  if (change.region !== undefined) values.region = change.region;
  if (Object.keys(values).length > 0) await db("libraries").where({ id }).update(values);
}

export interface Membership {
  library: Library;
  role: Role;
}

/** The libraries an account belongs to, with its role in each. */
export async function listMemberships(db: Db, staffUserId: number): Promise<Membership[]> {
  const rows = (await db("library_members as m")
    .join("libraries as l", "l.id", "m.library_id")
    .where("m.staff_user_id", staffUserId)
    .orderBy("l.name")
    .select(...columns.map((c) => `l.${c}`), "m.role")) as (RawLibrary & { role: Role })[];
  return rows.map((row) => ({ library: toLibrary(row), role: row.role }));
}

/** Adds the account to the library, or changes its role there. */
export async function setMembership(
  db: Db,
  input: { staffUserId: number; libraryId: number; role: Role },
): Promise<void> {
  await db("library_members")
    .insert({ staff_user_id: input.staffUserId, library_id: input.libraryId, role: input.role })
    .onConflict(["staff_user_id", "library_id"])
    .merge(["role"]);
}

export async function removeMembership(
  db: Db,
  staffUserId: number,
  libraryId: number,
): Promise<boolean> {
  return (
    (await db("library_members")
      .where({ staff_user_id: staffUserId, library_id: libraryId })
      .delete()) > 0
  );
}
