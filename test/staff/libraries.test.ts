// Staff pages across libraries: the chooser, switching with ?library=, a non-member kept out,
// the super-admin adding a library, the users page's memberships, the last-admin rule per
// library, and audit entries in the right library's log.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addStaffMember, createStaffAccount, setInstanceRole } from "../../server/auth/accounts.ts";
import { type Db, migrateLatest, openDb } from "../../server/db.ts";
import { addLibrary, openLibrary } from "../../server/libraries/libraries.ts";
import { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { findLibrary, type Library, listMemberships } from "../../server/queries/libraries.ts";
import { findStaffUserByEmail } from "../../server/queries/staff-users.ts";
import { postgresEnabled, warnIfPostgresSkipped } from "../helpers/postgres.ts";
import {
  addStaffAccount,
  createStaffTestApp,
  csrfToken,
  emailFor,
  FAST_SCRYPT,
  loginAs,
  PASSWORD,
  type StaffTestApp,
} from "./helpers.ts";

let t: StaffTestApp;
let libraries: LibraryDatabases;
let east: Library;
let eastDb: Db;
const by = { actor: null, via: "command line" } as const;

beforeAll(async () => {
  t = await createStaffTestApp();
  libraries = t.app.locals.libraries as LibraryDatabases;
  east = await addLibrary(t.db, libraries, { slug: "east", name: "East Branch" }, by);
  eastDb = await libraries.db(east);
  await eastDb("kiosk_locations").insert({
    id: "east-lobby",
    name: "East lobby kiosk",
    retired: false,
  });
  // ana: admin of the default library and of east.
  await addStaffAccount(t.db, "ana@library.test", "admin");
  await addStaffMember(
    t.db,
    { email: "ana@library.test", role: "admin", libraryId: east.id },
    null,
  );
});
afterAll(() => t.close());

describe("choosing a library", () => {
  it("lists the account's libraries, marks the current one, and switches with ?library=", async () => {
    const { agent } = await loginAs(t.app, "ana@library.test");
    const home = await agent.get("/staff");
    expect(home.text).toContain(
      '<p class="library-name">Our library <a href="/staff/libraries">Switch library</a></p>',
    );
    const chooser = await agent.get("/staff/libraries");
    expect(chooser.status).toBe(200);
    expect(chooser.text).toMatch(
      /<a href="\/staff\?library=default" aria-current="page">Our library<\/a>/,
    );
    expect(chooser.text).toContain('<a href="/staff?library=east">East Branch</a>');
    const switched = await agent.get("/staff/kiosks?library=east");
    expect(switched.status).toBe(200);
    expect(switched.text).toContain("East lobby kiosk");
    // The choice is remembered: the next page is east's too.
    expect((await agent.get("/staff/kiosks")).text).toContain("East lobby kiosk");
    expect((await agent.get("/staff/kiosks?library=default")).text).not.toContain(
      "East lobby kiosk",
    );
  });

  it("shows a member of one library no switch link", async () => {
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const home = await agent.get("/staff");
    expect(home.text).toContain('<p class="library-name">Our library</p>');
  });

  it("answers a non-member 403 on every page of a library, showing nothing of it", async () => {
    const { agent } = await loginAs(t.app, emailFor("admin"));
    for (const path of [
      "/staff?library=east",
      "/staff/kiosks?library=east",
      "/staff/users",
      "/staff/audit",
    ]) {
      const res = await agent.get(path);
      expect(`${path} → ${res.status}`).toBe(`${path} → 403`);
      expect(res.text).toContain("not a member of this library");
      expect(res.text).not.toContain("East Branch");
      expect(res.text).not.toContain("East lobby kiosk");
      expect(res.text).not.toContain("ana@library.test");
    }
    // Its own library is one choice away.
    expect((await agent.get("/staff/kiosks?library=default")).status).toBe(200);
  });

  it("logs in to the library chosen on the login page, or the account's first", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/staff/login?library=east");
    await agent
      .post("/staff/login")
      .type("form")
      .send({ email: "ana@library.test", password: PASSWORD, _csrf: csrfToken(page.text) })
      .expect(303);
    expect((await agent.get("/staff/kiosks")).text).toContain("East lobby kiosk");
  });
});

describe("the users page of a library", () => {
  it("adds an existing account as a member, keeping its password, and audits it in that library", async () => {
    const { agent, csrf } = await loginAs(t.app, "ana@library.test");
    await agent.get("/staff?library=east");
    const before = (await findStaffUserByEmail(t.db, emailFor("analyst")))?.passwordHash;
    const res = await agent
      .post("/staff/users")
      .type("form")
      .send({ _csrf: csrf, email: emailFor("analyst"), password: "", role: "staff" });
    expect(res.status).toBe(303);
    const page = await agent.get("/staff/users");
    expect(page.text).toContain("The account already existed: its password is unchanged.");
    expect(page.text).toContain(emailFor("analyst"));
    expect(page.text).not.toContain(emailFor("admin"));
    const account = await findStaffUserByEmail(t.db, emailFor("analyst"));
    expect(account?.passwordHash).toBe(before);
    const roles = (await listMemberships(t.db, account?.id ?? 0)).map(
      (m) => `${m.library.slug}:${m.role}`,
    );
    expect(roles.sort()).toEqual(["default:analyst", "east:staff"]);
    const eastLog = await listAudit(eastDb, { action: "user.add" });
    expect(eastLog.map((e) => e.target)).toContain(emailFor("analyst"));
    const instanceLog = await listAudit(t.db, { action: "user.add" });
    expect(
      instanceLog.filter((e) => e.target === emailFor("analyst") && e.details?.library === east.id),
    ).toEqual([]);
  });

  it("refuses to disable an account shared with another library, and removes it from this one instead", async () => {
    const { agent, csrf } = await loginAs(t.app, "ana@library.test");
    await agent.get("/staff?library=east");
    const id = (await findStaffUserByEmail(t.db, emailFor("analyst")))?.id;
    const disable = await agent
      .post(`/staff/users/${id}/disable`)
      .type("form")
      .send({ _csrf: csrf });
    expect(disable.status).toBe(409);
    expect(disable.text).toContain(
      "also belongs to Our library: remove it from this library instead",
    );
    const remove = await agent.post(`/staff/users/${id}/remove`).type("form").send({ _csrf: csrf });
    expect(remove.status).toBe(303);
    expect((await agent.get("/staff/users")).text).toContain(
      `${emailFor("analyst")} is no longer a member of East Branch.`,
    );
    const roles = (await listMemberships(t.db, id ?? 0)).map((m) => m.library.slug);
    expect(roles).toEqual(["default"]);
    expect((await listAudit(eastDb, { action: "user.remove" })).map((e) => e.target)).toEqual([
      emailFor("analyst"),
    ]);
  });

  it("keeps one admin per library: east's only admin cannot lose the role while the default library has others", async () => {
    const bo = await addStaffAccount(t.db, "bo@library.test", "staff");
    await addStaffMember(
      t.db,
      { email: "bo@library.test", role: "admin", libraryId: east.id },
      null,
    );
    const { agent, csrf } = await loginAs(t.app, "bo@library.test");
    await agent.get("/staff?library=east");
    const ana = (await findStaffUserByEmail(t.db, "ana@library.test"))?.id;
    // Two admins in east: ana may become staff there.
    const first = await agent
      .post(`/staff/users/${ana}/role`)
      .type("form")
      .send({ _csrf: csrf, role: "staff" });
    expect(first.status).toBe(303);
    // Now bo is east's only admin; the default library's admins do not count for east.
    const last = await agent
      .post(`/staff/users/${bo.id}/role`)
      .type("form")
      .send({ _csrf: csrf, role: "staff" });
    expect(last.status).toBe(409);
    expect(last.text).toContain("bo@library.test is the only active admin");
  });
});

describe("adding a library (super-admin)", () => {
  it("refuses an account without the super-admin role", async () => {
    const { agent, csrf } = await loginAs(t.app, emailFor("admin"));
    const res = await agent
      .post("/staff/libraries")
      .type("form")
      .send({ _csrf: csrf, slug: "west", name: "West", admin: emailFor("admin") });
    expect(res.status).toBe(403);
    expect(await findLibrary(t.db, "west")).toBeUndefined();
  });

  it("adds a library with a new admin account and shows its one-time password link", async () => {
    const root = await addStaffAccount(t.db, "root@library.test");
    await t.db("library_members").where({ staff_user_id: root.id }).delete();
    await setInstanceRole(t.db, root.id, "super-admin", true, null);
    const { agent, csrf } = await loginAs(t.app, "root@library.test");
    const bad = await agent
      .post("/staff/libraries")
      .type("form")
      .send({ _csrf: csrf, slug: "West Side", name: "West", admin: "west@library.test" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("is not a library slug: 2 to 40 characters");
    const res = await agent.post("/staff/libraries").type("form").send({
      _csrf: csrf,
      slug: "west",
      name: "West Side Library",
      fscs: "il0456",
      region: "North",
      admin: "west@library.test",
    });
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.text).toMatch(/\/staff\/reset\/[\w-]{43}/);
    const west = await findLibrary(t.db, "west");
    expect(west).toMatchObject({ name: "West Side Library", fscsId: "IL0456", region: "North" });
    const admin = await findStaffUserByEmail(t.db, "west@library.test");
    const roles = (await listMemberships(t.db, admin?.id ?? 0)).map(
      (m) => `${m.library.slug}:${m.role}`,
    );
    expect(roles).toEqual(["west:admin"]);
    // The super-admin itself gets no access to the new library's pages.
    const pages = await agent.get("/staff?library=west");
    expect(pages.status).toBe(403);
    // An existing account as the first admin keeps its password.
    const again = await agent
      .post("/staff/libraries")
      .type("form")
      .send({ _csrf: csrf, slug: "south", name: "South", admin: emailFor("staff") });
    expect(again.status).toBe(303);
    expect((await agent.get("/staff/libraries")).text).toContain(
      "as its admin (the account&#39;s password is unchanged)",
    );
  });
});

describe("the default library's audit page", () => {
  it("shows its own accounts' logins but not those of another library's staff", async () => {
    await createStaffAccount(
      t.db,
      {
        email: "eastonly@library.test",
        password: PASSWORD,
        role: "staff",
        libraryId: east.id,
        libraryDb: eastDb,
      },
      null,
      FAST_SCRYPT,
    );
    await loginAs(t.app, "eastonly@library.test");
    const { agent } = await loginAs(t.app, emailFor("admin"));
    const audit = await agent.get("/staff/audit?library=default");
    expect(audit.status).toBe(200);
    expect(audit.text).toContain(emailFor("admin"));
    expect(audit.text).not.toContain("eastonly@library.test");
    expect(audit.text).not.toContain("west@library.test");
    // The entries are kept, in the instance's log.
    const logins = await listAudit(t.db, { action: "login", actorEmail: "eastonly@library.test" });
    expect(logins.length).toBeGreaterThan(0);
  });
});

warnIfPostgresSkipped("Libraries on PostgreSQL");

// A library on PostgreSQL is a schema of its own in the instance's database. The instance uses
// the public schema here, as a real install does (LibraryDatabases pins it there).
describe.runIf(postgresEnabled)("adding a library on PostgreSQL", () => {
  const url = process.env.TEST_DATABASE_URL ?? "";
  let instance: Db;
  let pg: LibraryDatabases;

  beforeAll(async () => {
    instance = openDb({ client: "pg", connectionString: url });
    await instance.raw("drop schema if exists library_pg_east cascade");
    await instance.raw("drop schema if exists public cascade");
    await instance.raw("create schema public");
    await migrateLatest(instance);
    pg = new LibraryDatabases(instance, { client: "pg", connectionString: url });
  }, 120_000);
  afterAll(async () => {
    await pg?.close();
    await instance?.raw("drop schema if exists library_pg_east cascade");
    await instance?.destroy();
  });

  it("creates the library's schema with its tables, and refuses a taken slug and a bad FSCS id", async () => {
    const added = await addLibrary(
      instance,
      pg,
      { slug: "pg-east", name: "East on PostgreSQL", fscsId: "il0999" },
      by,
    );
    expect(added.fscsId).toBe("IL0999");
    const schemas = await instance("information_schema.schemata")
      .where({ schema_name: "library_pg_east" })
      .select("schema_name");
    expect(schemas).toHaveLength(1);
    const { db } = await openLibrary(pg, "pg-east");
    await db("kiosk_locations").insert({ id: "pg-lobby", name: "PG lobby", retired: false });
    expect(await db("kiosk_locations").pluck("id")).toEqual(["pg-lobby"]);
    expect(await instance("kiosk_locations").where({ id: "pg-lobby" })).toEqual([]);
    expect((await listAudit(db, { action: "library.add" })).map((e) => e.target)).toEqual([
      "pg-east",
    ]);
    await expect(addLibrary(instance, pg, { slug: "pg-east", name: "Again" }, by)).rejects.toThrow(
      'there is already a library "pg-east"',
    );
    await expect(
      addLibrary(instance, pg, { slug: "pg-west", name: "West", fscsId: "ILLINOIS" }, by),
    ).rejects.toThrow("a two-letter state code and four digits");
    await expect(openLibrary(pg, "nope")).rejects.toThrow(
      'there is no library "nope" (libraries: default, pg-east;',
    );
  });
});
