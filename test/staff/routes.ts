// Lists every route registered on the app under /staff, with the role its guard requires,
// by walking Express's router stack (so routes added later are covered without editing tests).
import type { Express } from "express";
import type { Role } from "../../server/queries/staff-users.ts";

export interface RegisteredRoute {
  method: string;
  path: string;
  /** The role of the requireRole guard on the route, or undefined when it has none. */
  requiredRole: Role | undefined;
}

interface LayerLike {
  route?: { path: string | string[]; methods: Record<string, boolean>; stack: LayerLike[] };
  handle?: { stack?: LayerLike[]; requiredRole?: Role };
  rawPath?: string | string[];
}

function join(prefix: string, path: string): string {
  if (path === "/" || path === "") return prefix || "/";
  return `${prefix}${path}`.replace(/\/{2,}/g, "/");
}

function walk(stack: LayerLike[], prefix: string, guards: Role[], out: RegisteredRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      const own = layer.route.stack
        .map((l) => l.handle?.requiredRole)
        .filter((r): r is Role => r !== undefined);
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

export function staffRoutes(app: Express): RegisteredRoute[] {
  const router = (app as unknown as { router: { stack: LayerLike[] } }).router;
  const out: RegisteredRoute[] = [];
  walk(router.stack, "", [], out);
  return out.filter((r) => r.path === "/staff" || r.path.startsWith("/staff/"));
}
