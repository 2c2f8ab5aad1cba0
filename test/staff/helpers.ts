// Staff test helpers: an app with one account per role, and logged-in supertest agents.
import request from "supertest";
import { createStaffAccount } from "../../server/auth/accounts.ts";
import type { ScryptParams } from "../../server/auth/password.ts";
import type { Config } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import { ROLES, type Role } from "../../server/queries/staff-users.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";

/** Cheap scrypt settings for tests only; the stored hash records them, so verification matches. */
export const FAST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
export const PASSWORD = "a long test password";

export const emailFor = (role: Role) => `${role}@library.test`;

export interface StaffTestApp extends TestApp {
  ids: Record<Role, number>;
}

/** A staff account with the test password (cheap scrypt), as an admin would add it. */
export function addStaffAccount(db: Db, email: string, role: Role = "staff") {
  return createStaffAccount(db, { email, password: PASSWORD, role }, null, FAST_SCRYPT);
}

export async function createStaffTestApp(
  options: { surveysDir?: string; config?: Partial<Config> } = {},
): Promise<StaffTestApp> {
  const t = await createTestApp(options);
  const ids = {} as Record<Role, number>;
  for (const role of ROLES) ids[role] = (await addStaffAccount(t.db, emailFor(role), role)).id;
  return { ...t, ids };
}

/** The CSRF token a staff page put in its forms. */
export function csrfToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error("no CSRF token in the page");
  return match[1];
}

export type Agent = ReturnType<typeof request.agent>;

/** A supertest agent logged in as `email`, with the CSRF token of its session. */
export async function loginAs(
  app: TestApp["app"],
  email: string,
  password = PASSWORD,
): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(app);
  const page = await agent.get("/staff/login");
  const res = await agent
    .post("/staff/login")
    .type("form")
    .send({ email, password, _csrf: csrfToken(page.text) });
  if (res.status !== 303) throw new Error(`login as ${email} failed with ${res.status}`);
  const home = await agent.get("/staff");
  return { agent, csrf: csrfToken(home.text) };
}
