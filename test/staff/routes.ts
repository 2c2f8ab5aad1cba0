// Lists every route registered on the app under /staff, with the role its guard requires,
// by walking Express's router stack (so routes added later are covered without editing tests).
import type { Express } from "express";
import type { LibrarySite } from "../../server/app.ts";
import type { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import type { Requirement } from "../../server/middleware/auth.ts";
import { DEFAULT_LIBRARY_SLUG, findLibrary, type Library } from "../../server/queries/libraries.ts";

export interface RegisteredRoute {
  method: string;
  path: string;
  /** What the route's guard requires (a role, "logged-in" or "super-admin"); undefined: no guard. */
  requiredRole: Requirement | undefined;
}

interface LayerLike {
  route?: { path: string | string[]; methods: Record<string, boolean>; stack: LayerLike[] };
  handle?: { stack?: LayerLike[]; requiredRole?: Requirement };
  rawPath?: string | string[];
}

function join(prefix: string, path: string): string {
  if (path === "/" || path === "") return prefix || "/";
  return `${prefix}${path}`.replace(/\/{2,}/g, "/");
}

function walk(
  stack: LayerLike[],
  prefix: string,
  guards: Requirement[],
  out: RegisteredRoute[],
): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      const own = layer.route.stack
        .map((l) => l.handle?.requiredRole)
        .filter((r): r is Requirement => r !== undefined);
      for (const path of paths)
        for (const method of Object.keys(layer.route.methods).filter(
          (m) => layer.route?.methods[m],
        ))
          out.push({
            method: method.toUpperCase(),
            path: join(prefix, path),
            requiredRole: own[0] ?? guards[guards.length - 1],
          });
    } else if (layer.handle?.stack) {
      const raw = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath ?? "/"];
      for (const path of raw) walk(layer.handle.stack, join(prefix, path), guards, out);
    } else if (layer.handle?.requiredRole) {
      // A router-level guard applies to the routes after it in the same router.
      guards = [...guards, layer.handle.requiredRole];
    }
  }
}

/** Every route of the app and of a library's pages (the default library's unless given). */
export async function allRoutes(app: Express, library?: Library): Promise<RegisteredRoute[]> {
  const router = (app as unknown as { router: { stack: LayerLike[] } }).router;
  const out: RegisteredRoute[] = [];
  walk(router.stack, "", [], out);
  const siteOf = app.locals.librarySite as (library: Library) => Promise<LibrarySite>;
  const site = await siteOf(library ?? (await defaultLibrary(app)));
  for (const pages of [site.publicPages, site.staffPages])
    walk((pages as unknown as { stack: LayerLike[] }).stack, "", [], out);
  return out;
}

async function defaultLibrary(app: Express): Promise<Library> {
  const { instance } = app.locals.libraries as LibraryDatabases;
  const library = await findLibrary(instance, DEFAULT_LIBRARY_SLUG);
  if (!library) throw new Error("no default library");
  return library;
}

export async function staffRoutes(app: Express, library?: Library): Promise<RegisteredRoute[]> {
  return (await allRoutes(app, library)).filter(
    (r) => r.path === "/staff" || r.path.startsWith("/staff/"),
  );
}
