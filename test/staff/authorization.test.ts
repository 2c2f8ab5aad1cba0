// Walks every registered /staff route: logged out, and as each role. A route added without a
// requireRole guard, or reachable by a role below its guard, or changing state without a CSRF
// token, fails here.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setInstanceRole } from "../../server/auth/accounts.ts";
import { hasRole } from "../../server/auth/roles.ts";
import { loadDemoData } from "../../server/imports/demo.ts";
import type { Requirement } from "../../server/middleware/auth.ts";
import { ROLES, type Role } from "../../server/queries/staff-users.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import {
  type Agent,
  addStaffAccount,
  createStaffTestApp,
  csrfToken,
  emailFor,
  loginAs,
  PASSWORD,
  type StaffTestApp,
} from "./helpers.ts";
import { type RegisteredRoute, staffRoutes } from "./routes.ts";

/** Routes anyone may reach: the login form, and the one-time password link (the link is the key). */
const OPEN = new Set([
  "GET /staff/login",
  "POST /staff/login",
  "GET /staff/reset/:token",
  "POST /staff/reset/:token",
]);

/** Routes that end the session they are called from: tried last, then logged in again. */
const ENDS_SESSION = new Set(["/staff/logout", "/staff/account/sign-out"]);

/** Sensitive routes whose guard must be exactly this role (so a relaxed guard fails here too). */
const EXPECTED_ROLES: Record<string, Requirement> = {
  "GET /staff": "staff",
  "GET /staff/users": "admin",
  "POST /staff/users": "admin",
  "POST /staff/users/:id/role": "admin",
  "POST /staff/users/:id/disable": "admin",
  "POST /staff/users/:id/reset-link": "admin",
  "POST /staff/users/:id/remove": "admin",
  "GET /staff/account": "logged-in",
  "POST /staff/account/password": "logged-in",
  "POST /staff/account/sign-out": "logged-in",
  "POST /staff/logout": "logged-in",
  "GET /staff/libraries": "logged-in",
  "POST /staff/libraries": "super-admin",
  "GET /staff/audit": "admin",
  "GET /staff/kiosks": "admin",
  "POST /staff/kiosks": "admin",
  "POST /staff/kiosks/pin": "admin",
  "POST /staff/kiosks/codes": "admin",
  "POST /staff/kiosks/codes/:codeId/revoke": "admin",
  "POST /staff/surveys/:slug/status": "admin",
  "GET /staff/surveys/:slug/paper": "staff",
  "POST /staff/surveys/:slug/entry": "staff",
  "GET /staff/exports/:slug/responses.csv": "analyst",
  "GET /staff/exports/:slug/responses-long.csv": "analyst",
  "GET /staff/exports/:slug/codebook.csv": "staff",
  "GET /staff/exports/:slug/results.csv": "staff",
  "GET /staff/exports/gaps.csv": "staff",
  "GET /staff/maps/:file": "staff",
  "GET /staff/imports": "admin",
  "POST /staff/imports/service-area": "admin",
  "GET /staff/demo": "admin",
  "POST /staff/demo/remove": "admin",
  "POST /staff/surveys/adopt": "admin",
  "GET /staff/consortium": "consortium",
  "GET /staff/consortium.json": "consortium",
  "GET /staff/consortium.csv": "consortium",
};

/**
 * Whether an account with `role` in the library (none: a member of no library) and these instance
 * roles passes a guard requiring `required`.
 */
function passes(
  required: Requirement,
  role: Role | undefined,
  account: { superAdmin?: boolean; consortium?: boolean } = {},
): boolean {
  if (required === "logged-in") return true;
  if (required === "super-admin") return account.superAdmin === true;
  if (required === "consortium") return account.consortium === true;
  return role !== undefined && hasRole(role, required);
}

let t: StaffTestApp;
let routes: RegisteredRoute[];
let targetUserId: number;

beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  const target = await addStaffAccount(t.db, "target@library.test");
  targetUserId = target.id;
  await t.db("kiosk_locations").insert({ id: "walk-test", name: "Walk test", retired: false });
  // Census and patron data, so the gaps pages and downloads have something to show.
  await loadDemoData(t.db, { force: true });
  routes = await staffRoutes(t.app);
});
afterAll(() => t.close());

/** Query strings some routes need to answer 200. */
const QUERIES: Record<string, string> = {
  "GET /staff/exports/:slug/crosstab.csv": "?rows=group:useStatus&cols=q:library_use",
};

/** A real value for each route parameter, so a refusal is about the role and not a 404. */
function fill(route: RegisteredRoute): string {
  return route.path.replace(/:(\w+)/g, (_match, name: string) => {
    if (name === "slug") return "community-needs";
    if (name === "id" && route.path.startsWith("/staff/users/")) return String(targetUserId);
    if (name === "id" && route.path.startsWith("/staff/kiosks/")) return "walk-test";
    if (name === "codeId") return "1";
    if (name === "file") return "penetration.csv";
    if (name === "lang") return "es";
    throw new Error(`add a sample value for :${name} in ${route.method} ${route.path}`);
  });
}

const key = (r: RegisteredRoute) => `${r.method} ${r.path}`;

function send(agent: Agent | ReturnType<typeof request>, route: RegisteredRoute, csrf?: string) {
  const url = fill(route);
  const base = agent as Agent;
  if (route.method === "GET")
    return base.get(url + (QUERIES[key(route)] ?? "")).set("Accept", "text/html");
  const req = base[route.method.toLowerCase() as "post"](url)
    .set("Accept", "text/html")
    .type("form");
  return csrf ? req.send({ _csrf: csrf }) : req.send({});
}

describe("every staff route", () => {
  it("is found by the walk (the walk itself works)", () => {
    expect(routes.length).toBeGreaterThanOrEqual(8);
    for (const path of Object.keys(EXPECTED_ROLES)) expect(routes.map(key)).toContain(path);
  });

  it("has a role guard, except the login form", () => {
    const unguarded = routes.filter((r) => !OPEN.has(key(r)) && !r.requiredRole).map(key);
    expect(unguarded).toEqual([]);
  });

  it("keeps the expected role on sensitive routes", () => {
    for (const route of routes) {
      const expected = EXPECTED_ROLES[key(route)];
      if (expected)
        expect(`${key(route)} → ${route.requiredRole}`).toBe(`${key(route)} → ${expected}`);
    }
  });

  it("refuses a visitor who is not logged in", async () => {
    const agent = request.agent(t.app);
    const token = csrfToken((await agent.get("/staff/login")).text);
    for (const route of routes.filter((r) => !OPEN.has(key(r)))) {
      const res = await send(agent, route, token);
      const where = `${key(route)} → ${res.status} ${res.headers.location ?? ""}`;
      if (route.method === "GET") expect(where).toMatch(/→ 303 \/staff\/login\?next=/);
      else expect(where).toMatch(/→ 401 /);
    }
  });

  for (const role of ROLES) {
    it(`lets the ${role} role through exactly the routes its role allows`, async () => {
      let session = await loginAs(t.app, emailFor(role));
      // Logging out last, so the other routes are tried while logged in.
      const ordered = [...routes.filter((r) => !OPEN.has(key(r)))].sort(
        (a, b) => Number(ENDS_SESSION.has(a.path)) - Number(ENDS_SESSION.has(b.path)),
      );
      for (const route of ordered) {
        const allowed = passes(route.requiredRole as Requirement, role);
        const res = await send(session.agent, route, session.csrf);
        const where = `${role}: ${key(route)} → ${res.status} ${res.headers.location ?? ""}`;
        if (!allowed) {
          expect(where).toMatch(/→ 403 /);
        } else if (route.method === "GET") {
          expect(where).toMatch(/→ 200 /);
        } else {
          expect(where).not.toMatch(/→ (401|403|5\d\d) /);
          if (!ENDS_SESSION.has(route.path)) expect(where).not.toMatch(/\/staff\/login/);
        }
        // An account change (the target) must not end this session; re-login if logout ran.
        if (ENDS_SESSION.has(route.path)) session = await loginAs(t.app, emailFor(role));
      }
    });
  }

  for (const instanceRole of ["consortium", "super-admin"] as const) {
    it(`lets a ${instanceRole} account of no library log in, use its own account and log out, and nothing of a library`, async () => {
      const email = `${instanceRole}-only@library.test`;
      const account = await addStaffAccount(t.db, email);
      await t.db("library_members").where({ staff_user_id: account.id }).delete();
      await setInstanceRole(t.db, account.id, instanceRole, true, null);
      const superAdmin = instanceRole === "super-admin";
      const login = async () => {
        const agent = request.agent(t.app);
        const page = await agent.get("/staff/login");
        const res = await agent
          .post("/staff/login")
          .type("form")
          .send({ email, password: PASSWORD, _csrf: csrfToken(page.text) });
        // No library to land in: the consortium view, or the list of libraries.
        expect(res.headers.location).toBe(superAdmin ? "/staff/libraries" : "/staff/consortium");
        const account = await agent.get("/staff/account");
        expect(account.status).toBe(200);
        return { agent, csrf: csrfToken(account.text) };
      };
      let session = await login();
      const ordered = [...routes.filter((r) => !OPEN.has(key(r)))].sort(
        (a, b) => Number(ENDS_SESSION.has(a.path)) - Number(ENDS_SESSION.has(b.path)),
      );
      for (const route of ordered) {
        const allowed = passes(route.requiredRole as Requirement, undefined, {
          superAdmin,
          consortium: !superAdmin,
        });
        const res = await send(session.agent, route, session.csrf);
        const where = `${instanceRole}: ${key(route)} → ${res.status} ${res.headers.location ?? ""}`;
        if (!allowed) expect(where).toMatch(/→ 403 /);
        else if (route.method === "GET") expect(where).toMatch(/→ 200 /);
        else expect(where).not.toMatch(/→ (401|403|5\d\d) /);
        if (ENDS_SESSION.has(route.path)) session = await login();
      }
    });
  }

  it("refuses every state-changing request without a CSRF token, form or upload", async () => {
    const { agent } = await loginAs(t.app, emailFor("admin"));
    for (const route of routes.filter((r) => r.method !== "GET" && !OPEN.has(key(r)))) {
      const form = await send(agent, route);
      expect(`${key(route)} (form) → ${form.status}`).toBe(`${key(route)} (form) → 403`);
      const upload = await agent
        .post(fill(route))
        .set("Accept", "text/html")
        .field("note", "no token")
        .attach("file", Buffer.from("a,b\n1,2\n"), "x.csv");
      expect(`${key(route)} (multipart) → ${upload.status}`).toBe(
        `${key(route)} (multipart) → 403`,
      );
    }
  });
});
