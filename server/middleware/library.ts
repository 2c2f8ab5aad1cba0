// Which library a request is about. Public pages name it in the URL (/l/:library/…, or none for
// the default library); staff pages keep the one chosen in the session (/staff?library=SLUG).
// Every library's pages then run on that library's own database (server/app.ts), so the
// choice here decides which rows can be reached at all.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Db } from "../db.ts";
import { NotFound } from "../errors.ts";
import {
  DEFAULT_LIBRARY_SLUG,
  findLibrary,
  type Library,
  listMemberships,
} from "../queries/libraries.ts";

declare module "express-session" {
  interface SessionData {
    /** The library the staff pages show (its slug). */
    library?: string;
  }
}

async function mustFind(instance: Db, slug: string): Promise<Library> {
  const library = await findLibrary(instance, slug);
  if (!library)
    throw new NotFound(`There is no library "${slug}"`, {
      translation: { key: "error.libraryNotFound", params: { library: slug.slice(0, 100) } },
    });
  return library;
}

function useLibrary(req: Request, res: Response, library: Library, inUrl: boolean): void {
  req.library = library;
  res.locals.library = library;
  // Where the library's public pages are: the default library keeps the unprefixed URLs.
  res.locals.libraryBase = inUrl ? `/l/${library.slug}` : "";
}

/** Public pages: the library in /l/:library, else the default library. */
export function libraryFromUrl(instance: Db): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const slug = (req.params as { library?: string }).library;
    useLibrary(
      req,
      res,
      await mustFind(instance, slug ?? DEFAULT_LIBRARY_SLUG),
      slug !== undefined,
    );
    next();
  };
}

/** The default library, for a request no earlier middleware gave one. */
export async function useDefaultLibrary(instance: Db, req: Request, res: Response): Promise<void> {
  useLibrary(req, res, await mustFind(instance, DEFAULT_LIBRARY_SLUG), false);
}

/**
 * Staff pages: `?library=SLUG` chooses (and is remembered in the session); otherwise the
 * session's choice; otherwise the account's first library (the default one when it is a member).
 * Membership is checked by loadStaff and the role guards, not here: choosing a library one does
 * not belong to shows nothing but "not a member".
 */
export function staffLibrary(instance: Db): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const asked = typeof req.query.library === "string" ? req.query.library : undefined;
    let library: Library | undefined;
    if (asked !== undefined) {
      library = await mustFind(instance, asked);
      if (req.session) req.session.library = library.slug;
    } else if (req.session?.library) {
      library = await findLibrary(instance, req.session.library);
    }
    if (!library && req.session?.userId !== undefined) {
      const memberships = await listMemberships(instance, req.session.userId);
      library =
        memberships.find((m) => m.library.slug === DEFAULT_LIBRARY_SLUG)?.library ??
        memberships[0]?.library;
    }
    library ??= await mustFind(instance, DEFAULT_LIBRARY_SLUG);
    useLibrary(req, res, library, library.slug !== DEFAULT_LIBRARY_SLUG);
    next();
  };
}
