// An existing single-library database becomes the default library without loss (issue 23): a
// database at the migration before 20261203190000_instance_libraries, filled by the demo loader
// with staff accounts of every role and sessions, is migrated to the latest; every row of every
// table is there unchanged, each account's role became its membership of the default library, and
// the accounts log in with their roles. Migrating down gives back the database as it was (roles
// on the accounts again), and up again the same migrated one. On SQLite and PostgreSQL.
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { hashPassword } from "../../server/auth/password.ts";
import { SESSION_COOKIE } from "../../server/auth/session.ts";
import type { DatabaseConfig } from "../../server/config.ts";
import { type Db, migrateLatest, migrationConfig, openDb } from "../../server/db.ts";
import { loadDemoData } from "../../server/imports/demo.ts";
import { ROLES, type Role } from "../../server/queries/staff-users.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import { emailFor, FAST_SCRYPT, loginAs } from "../staff/helpers.ts";
import { rowsChecksum, tableChecksums } from "./two-libraries.ts";

warnIfPostgresSkipped("Single-library migration tests on PostgreSQL");

const LIBRARIES_MIGRATION = "20261203190000_instance_libraries.ts";
const config = migrationConfig("instance");

/** Knex lists migrations as names or as objects, depending on where they came from. */
const nameOf = (entry: unknown): string | undefined =>
  typeof entry === "string"
    ? entry
    : ((entry as { name?: string; file?: string } | undefined)?.name ??
      (entry as { file?: string } | undefined)?.file);

/** Applies the migrations one by one up to (not including) `stop`. */
async function migrateUpTo(db: Db, stop: string): Promise<void> {
  for (;;) {
    const [, pending] = (await db.migrate.list(config)) as [unknown, unknown[]];
    const next = nameOf(pending[0]);
    if (!next || next >= stop) return;
    await db.migrate.up(config);
  }
}

/** Undoes the latest migrations one by one until `stop` is undone too. */
async function migrateDownThrough(db: Db, stop: string): Promise<void> {
  for (;;) {
    const [done] = (await db.migrate.list(config)) as [unknown[], unknown];
    const last = nameOf(done.at(-1));
    if (!last || last < stop) return;
    await db.migrate.down(config);
  }
}

/** The responses, column by column, in a stable order: what "without loss" is checked on. */
async function responsesChecksum(db: Db): Promise<string> {
  return rowsChecksum(
    await db("responses")
      .select(
        "id",
        "survey_slug",
        "version_id",
        "language",
        "channel",
        "location",
        "started_at",
        "submitted_at",
        "data",
      )
      .orderBy("id"),
  );
}

type StaffRow = Record<string, unknown> & { id: number; email: string; role?: Role };

async function staffRows(db: Db): Promise<StaffRow[]> {
  return ((await db("staff_users").select("*").orderBy("id")) as StaffRow[]).map((row) => ({
    ...row,
    id: Number(row.id),
  }));
}

/** A database as an existing one-library install has it: the demo, every role, sessions. */
async function fillOldDatabase(db: Db): Promise<void> {
  await syncSurveys(db, PROJECT_SURVEYS);
  await loadDemoData(db, { force: true, now: new Date("2026-04-01T12:00:00Z") });
  const passwordHash = await hashPassword("a long test password", FAST_SCRYPT);
  for (const role of ROLES)
    await db("staff_users").insert({ email: emailFor(role), password_hash: passwordHash, role });
  await db("staff_users").insert({
    email: "gone@library.test",
    password_hash: passwordHash,
    role: "admin",
    disabled: true,
  });
  // Staff logged in before the upgrade: one session per account, as express-session stores it.
  const expired = new Date(Date.now() + 3_600_000);
  const cookie = {
    originalMaxAge: 3_600_000,
    expires: expired.toISOString(),
    httpOnly: true,
    path: "/",
  };
  for (const { id } of (await db("staff_users").select("id")) as { id: number }[])
    await db("sessions").insert({
      sid: `old-session-${id}`,
      sess: JSON.stringify({ cookie, userId: Number(id), epoch: 0 }),
      // As connect-session-knex writes it (SQLite compares it as text with datetime()).
      expired: expired.toISOString(),
    });
}

/** The session cookie of a stored session, signed as express-session signs it. */
function sessionCookie(sid: string, secret: string): string {
  const signature = createHmac("sha256", secret).update(sid).digest("base64").replace(/=+$/, "");
  return `${SESSION_COOKIE}=${encodeURIComponent(`s:${sid}.${signature}`)}`;
}

function migrationSuite(
  name: string,
  open: () => Promise<{ db: Db; database: DatabaseConfig }>,
  close: (db: Db) => Promise<void>,
) {
  it(`keeps every row and every role when an existing database becomes the default library (${name})`, async () => {
    const { db, database } = await open();
    try {
      await migrateUpTo(db, LIBRARIES_MIGRATION);
      await fillOldDatabase(db);
      const before = await tableChecksums(db);
      const beforeResponses = await responsesChecksum(db);
      const beforeStaff = await staffRows(db);
      expect(Number((await db("responses").count({ n: "*" }))[0]?.n)).toBeGreaterThan(100);
      expect(before.staff_users).toMatch(new RegExp(`^${ROLES.length + 1} rows`));

      await migrateLatest(db);
      const after = await tableChecksums(db);
      expect(await responsesChecksum(db)).toBe(beforeResponses);
      // Every table that was there is unchanged, row for row, except the accounts' role column.
      const { staff_users: _before, knex_migrations: _m1, ...kept } = before;
      const {
        staff_users: _after,
        knex_migrations: _m2,
        libraries,
        library_members,
        ...now
      } = after;
      expect(now).toEqual(kept);
      expect(libraries).toMatch(/^1 rows/);
      expect(await db("libraries").select("id", "slug")).toEqual([{ id: 1, slug: "default" }]);
      // The accounts, each as it was without the role, which is now its membership of library 1.
      const staff = await staffRows(db);
      expect(
        staff.map(({ consortium, super_admin, ...rest }) => ({
          ...rest,
          consortium: Boolean(consortium),
          super_admin: Boolean(super_admin),
        })),
      ).toEqual(
        beforeStaff.map(({ role: _role, ...rest }) => ({
          ...rest,
          consortium: false,
          super_admin: false,
        })),
      );
      const members = (await db("library_members").select(
        "staff_user_id",
        "library_id",
        "role",
      )) as {
        staff_user_id: number;
        library_id: number;
        role: string;
      }[];
      expect(library_members).toMatch(new RegExp(`^${ROLES.length + 1} rows`));
      expect(
        members
          .map((m) => ({
            id: Number(m.staff_user_id),
            library: Number(m.library_id),
            role: m.role,
          }))
          .sort((a, b) => a.id - b.id),
      ).toEqual(beforeStaff.map((u) => ({ id: u.id, library: 1, role: u.role })));

      // Down: the accounts get their roles back and the database is as it was before; up again,
      // the same migrated database.
      await migrateDownThrough(db, LIBRARIES_MIGRATION);
      const { knex_migrations: _m3, ...down } = await tableChecksums(db);
      expect(down).toEqual({ ...kept, staff_users: before.staff_users });
      await migrateLatest(db);
      // (The default library's row is made anew, with a new created_at.)
      const { knex_migrations: _m4, libraries: _l1, ...upAgain } = await tableChecksums(db);
      const { knex_migrations: _m5, libraries: _l2, ...migrated } = after;
      expect(upAgain).toEqual(migrated);
      expect(await db("libraries").select("id", "slug")).toEqual([{ id: 1, slug: "default" }]);

      // Sessions from before the upgrade go on, with the account's role in the default library.
      const appConfig = testConfig({ surveysDir: PROJECT_SURVEYS, database });
      const app = createApp({ db, config: appConfig });
      for (const user of beforeStaff) {
        const users = await request(app)
          .get("/staff/users")
          .set("Accept", "text/html")
          .set("Cookie", sessionCookie(`old-session-${user.id}`, appConfig.sessionSecret));
        const expected = user.disabled ? 303 : user.role === "admin" ? 200 : 403;
        expect(users.status, user.email).toBe(expected);
      }
      // Every account logs in, with its role in the default library.
      for (const role of ROLES) {
        const { agent } = await loginAs(app, emailFor(role));
        const users = await agent.get("/staff/users").set("Accept", "text/html");
        expect(users.status, role).toBe(role === "admin" ? 200 : 403);
        const exportFile = await agent.get("/staff/exports/community-needs/responses.csv");
        expect(exportFile.status, role).toBe(role === "staff" ? 403 : 200);
      }
      await (app.locals.libraries as { close(): Promise<void> }).close();
    } finally {
      await close(db);
    }
  }, 240_000);
}

describe("a library's own database", () => {
  it("records who made a rubric assessment though its staff_users table is empty, and migrates down and up", async () => {
    const db = openDb({ client: "sqlite3", filename: ":memory:" });
    try {
      const applied = await migrateLatest(db, "library");
      expect(applied).not.toContain(LIBRARIES_MIGRATION);
      // Accounts live in the instance database: account 7 is not in this one.
      await db("rubric_assessments").insert({
        assessed_on: "2026-03-02",
        participants: "team",
        created_by: 7,
      });
      const [assessment] = await db("rubric_assessments").select("id", "created_by");
      await db("rubric_scores").insert({
        assessment_id: assessment.id,
        end_goal_id: "a",
        score: 3,
      });
      const libraryConfig = migrationConfig("library");
      // Down one step (the constraint comes back) and up again: the assessment and its score stay.
      await db("rubric_assessments").update({ created_by: null });
      await db.migrate.down(libraryConfig);
      await migrateLatest(db, "library");
      expect(await db("rubric_scores").count({ n: "*" })).toEqual([{ n: 1 }]);
      for (let i = 0; i < applied.length; i++) await db.migrate.down(libraryConfig);
      expect(await migrateLatest(db, "library")).toEqual(applied);
    } finally {
      await db.destroy();
    }
  });
});

describe("an existing single-library database migrated into the default library", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "opendoor-libraries-migration-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  migrationSuite(
    "SQLite",
    async () => {
      const database: DatabaseConfig = {
        client: "sqlite3",
        filename: path.join(dir, "open-door.db"),
      };
      return { db: openDb(database), database };
    },
    (db) => db.destroy(),
  );
  const SCHEMA = "libraries_migration_test";
  describe.runIf(postgresEnabled)("on PostgreSQL", () => {
    migrationSuite(
      "PostgreSQL",
      async () => {
        const db = await freshPostgresSchema(SCHEMA, { migrate: false });
        return {
          db,
          database: { client: "pg", connectionString: process.env.TEST_DATABASE_URL ?? "" },
        };
      },
      (db) => dropPostgresSchema(db, SCHEMA),
    );
  });
});
