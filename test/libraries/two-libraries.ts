// Two libraries in one instance for the tenant-isolation tests (issue 23): the default library A
// (the instance database, with the demo loaded) and library B (its own SQLite database or
// PostgreSQL schema), each with data of every kind. B's private data carries markers — strings
// that appear nowhere in A — so a page of A showing any of them shows B's data.
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Express } from "express";
import request from "supertest";
import { createApp } from "../../server/app.ts";
import { hashPassword } from "../../server/auth/password.ts";
import { type Db, isSqlite } from "../../server/db.ts";
import { DEMO_DIR } from "../../server/imports/demo.ts";
import { DEMO_FILES } from "../../server/imports/demo-data.ts";
import type { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import { schemaOf } from "../../server/libraries/library-databases.ts";
import { appendAudit } from "../../server/queries/audit-log.ts";
import {
  replaceFieldworkTargets,
  saveFieldworkEndDate,
} from "../../server/queries/fieldwork-targets.ts";
import {
  DEFAULT_LIBRARY_ID,
  insertLibrary,
  type Library,
  setMembership,
} from "../../server/queries/libraries.ts";
import { insertStaffUser, type Role } from "../../server/queries/staff-users.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { submitResponse } from "../../server/surveys/submit.ts";
import { createTestDb, PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import { dropPostgresSchema, freshPostgresSchema } from "../helpers/postgres.ts";
import { type Agent, FAST_SCRYPT, loginAs, PASSWORD } from "../staff/helpers.ts";
import { seedNeedsResponses } from "../staff/seed.ts";

export type Engine = { kind: "sqlite" } | { kind: "pg"; schema: string };

export const EMAILS = {
  aAdmin: "a-admin@a.test",
  bAdmin: "bmark-admin@b.test",
  bStaff: "bmark-staff@b.test",
  /** Analyst in A, staff in B. */
  both: "both@ab.test",
} as const;

/** The survey B has and A has not, and the one both have (with different answers). */
export const B_ONLY_SLUG = "bmark-outcome";
export const SHARED_SLUG = "community-needs";
export const B_KIOSK_ID = "bmark-room";
/** A survey of A's that B does not have. */
export const A_ONLY_SLUG = "non-user-interview";

export interface TwoLibraries {
  app: Express;
  instance: Db;
  a: Library;
  b: Library;
  bDb: Db;
  userIds: Record<keyof typeof EMAILS, number>;
  /** B's response ids (its own markers: a UUID appears in no other library). */
  bResponseIds: string[];
  bRubricIds: number[];
  bCodeIds: number[];
  aResponseIds: string[];
  aRubricIds: number[];
  aCodeIds: number[];
  /** B's private data: must never appear in a page of A, nor in B's public pages. */
  bMarkers: string[];
  /** Public in B (its public pages show them), never in A. */
  bPublicMarkers: string[];
  /** A's own private data, for the account that belongs to both. */
  aMarkers: string[];
  /** A's admin, logged in (session on A). */
  aAdmin: { agent: Agent; csrf: string };
  bAdmin: { agent: Agent; csrf: string };
  close(): Promise<void>;
}

const B_NAME = "Bmark Branch Library";

/** A survey folder for B: the shared survey as A has it, and one of B's own. */
function bSurveys(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "opendoor-iso-b-"));
  copyFileSync(
    path.join(PROJECT_SURVEYS, `${SHARED_SLUG}.json`),
    path.join(dir, `${SHARED_SLUG}.json`),
  );
  const outcome = JSON.parse(
    readFileSync(path.join(PROJECT_SURVEYS, "standard", "program-outcome.json"), "utf8"),
  );
  outcome.title = { default: "Bmark outcome survey" };
  writeFileSync(path.join(dir, `${B_ONLY_SLUG}.json`), JSON.stringify(outcome));
  return dir;
}

async function account(
  instance: Db,
  email: string,
  memberships: [number, Role][],
): Promise<number> {
  const [first, ...rest] = memberships;
  if (!first) throw new Error("an account needs a library");
  // Straight through the queries: account changes are still audited in the instance database
  // (a known gap of issue 23, outside these tests), which would put B's e-mails in A's log.
  const user = await insertStaffUser(instance, {
    email,
    passwordHash: await hashPassword(PASSWORD, FAST_SCRYPT),
    role: first[1],
    libraryId: first[0],
  });
  for (const [libraryId, role] of rest)
    await setMembership(instance, { staffUserId: user.id, libraryId, role });
  return user.id;
}

async function submit(db: Db, slug: string, data: Record<string, unknown>, channel = "web") {
  const id = crypto.randomUUID();
  const result = await submitResponse(
    db,
    slug,
    { id, language: "en", channel, data },
    { staff: true },
  ).catch((e) => {
    throw new Error(`seeding ${slug}: ${e.message} ${JSON.stringify(e.details)}`);
  });
  if (result.status !== 201)
    throw new Error(`seeding ${slug} gave ${result.status}: ${JSON.stringify(result)}`);
  return id;
}

const needs = (comment: string) => ({
  library_use: "weekly",
  barriers: ["hours"],
  services_wanted: ["coding"],
  feel_welcome: 4,
  age_band: "25_34",
  comment,
});

/** The private things seedLibrary gives a library, by its mark. */
const markersOf = (mark: string) => [
  `${mark} comment`,
  `${mark} Reading Room`,
  `${mark.toLowerCase()}-room`,
  `${mark} tablets`,
  `${mark} assessment team`,
  `${mark} rubric notes`,
  `${mark} next steps`,
  `${mark.toLowerCase()}-census-age.csv`,
  `${mark.toLowerCase()}-patrons.csv`,
  `${mark.toLowerCase()}-tag`,
  `${mark} audit target`,
  ...(mark === "Bmark" ? ["Bmark liked", "2031-07-19"] : ["2032-08-21"]),
];

/**
 * A library's own data, marked: through its pages where a page makes it, as its admin would (a
 * kiosk place, an enrolment code, a rubric assessment, a census and a patron import, a tag), and
 * through the queries otherwise (responses, fieldwork targets, an audit entry). Returns the id of
 * the response to B's own survey (B only).
 */
async function seedLibrary(
  db: Db,
  admin: { agent: Agent; csrf: string },
  mark: "Amark" | "Bmark",
  scratch: string,
): Promise<string | undefined> {
  const lower = mark.toLowerCase();
  const post = (url: string, body: Record<string, string>) =>
    admin.agent
      .post(url)
      .set("Accept", "text/html")
      .type("form")
      .send({ _csrf: admin.csrf, ...body });
  const ok = (what: string, res: { status: number; text: string }) => {
    if (res.status >= 400)
      throw new Error(`seeding ${mark}: ${what} gave ${res.status}: ${res.text.slice(0, 500)}`);
  };
  ok("kiosk", await post("/staff/kiosks", { id: `${lower}-room`, name: `${mark} Reading Room` }));
  ok("enrolment code", await post("/staff/kiosks/codes", { label: `${mark} tablets` }));
  ok(
    "rubric",
    await post("/staff/rubric", {
      assessed_on: "2026-03-02",
      participants: `${mark} assessment team`,
      score_a: "3",
      met_a1: "on",
      notes_a1: `${mark} rubric notes on the gaps`,
      next_steps: `${mark} next steps`,
    }),
  );
  ok(
    "census import",
    await admin.agent
      .post("/staff/imports/community")
      .field("_csrf", admin.csrf)
      .attach("file", readFileSync(path.join(DEMO_DIR, DEMO_FILES.age)), `${lower}-census-age.csv`),
  );
  ok(
    "patron import",
    await admin.agent
      .post("/staff/imports/circulation")
      .field("_csrf", admin.csrf)
      .field("asOf", "2024-06-30")
      .attach("file", smallPatronFile(scratch), `${lower}-patrons.csv`)
      .attach("mappingFile", path.join(DEMO_DIR, DEMO_FILES.mapping)),
  );
  const comment = await submit(db, SHARED_SLUG, needs(`${mark} comment: a reading room upstairs`));
  ok(
    "tag",
    await post(`/staff/surveys/${SHARED_SLUG}/tags`, {
      responseId: comment,
      question: "comment",
      tag: `${lower}-tag`,
    }),
  );
  await replaceFieldworkTargets(db, SHARED_SLUG, "age", [{ category: null, target: 4321 }], lower);
  await saveFieldworkEndDate(
    db,
    SHARED_SLUG,
    mark === "Bmark" ? "2031-07-19" : "2032-08-21",
    lower,
  );
  await appendAudit(db, { actor: null, action: `${lower}.note`, target: `${mark} audit target` });
  if (mark === "Amark") return undefined;
  return submit(db, B_ONLY_SLUG, {
    program_name: "Robot club",
    what_liked: "Bmark liked the robot kits",
  });
}

/** A small patron export: the demo's first rows, so B's patron import differs from A's. */
function smallPatronFile(dir: string): string {
  const lines = readFileSync(path.join(DEMO_DIR, DEMO_FILES.patrons), "utf8").split("\n");
  const file = path.join(dir, "patrons.csv");
  writeFileSync(file, `${lines.slice(0, 400).join("\n")}\n`);
  return file;
}

export async function createTwoLibraries(engine: Engine, bSlug: string): Promise<TwoLibraries> {
  const config = testConfig({ surveysDir: PROJECT_SURVEYS, resultsCacheResponses: 20_000 });
  const instance =
    engine.kind === "sqlite"
      ? await createTestDb(config)
      : await freshPostgresSchema(engine.schema);
  if (engine.kind === "pg") await instance.raw(`drop schema if exists ${schemaOf(bSlug)} cascade`);
  await syncSurveys(instance, PROJECT_SURVEYS);
  const app = createApp({ db: instance, config });
  const libraries = app.locals.libraries as LibraryDatabases;
  const b = await insertLibrary(instance, { slug: bSlug, name: B_NAME, fscsId: "ZZ0042" });
  const bDb = await libraries.db(b);
  const surveysB = bSurveys();
  await syncSurveys(bDb, surveysB);

  const userIds = {
    aAdmin: await account(instance, EMAILS.aAdmin, [[DEFAULT_LIBRARY_ID, "admin"]]),
    bAdmin: await account(instance, EMAILS.bAdmin, [[b.id, "admin"]]),
    bStaff: await account(instance, EMAILS.bStaff, [[b.id, "staff"]]),
    both: await account(instance, EMAILS.both, [
      [DEFAULT_LIBRARY_ID, "analyst"],
      [b.id, "staff"],
    ]),
  };
  const aAdmin = await loginAs(app, EMAILS.aAdmin);
  const bAdmin = await loginAs(app, EMAILS.bAdmin);
  await seedLibrary(instance, aAdmin, "Amark", surveysB);
  const bOnly = await seedLibrary(bDb, bAdmin, "Bmark", surveysB);
  await seedNeedsResponses(instance, { count: 40, seed: 1717 });
  await seedNeedsResponses(bDb, { count: 40, seed: 4242 });

  const bResponseIds = ((await bDb("responses").select("id")) as { id: string }[]).map((r) => r.id);
  if (!bOnly || !bResponseIds.includes(bOnly))
    throw new Error("B's own survey's response is missing");
  const bRubricIds = ((await bDb("rubric_assessments").select("id")) as { id: number }[]).map((r) =>
    Number(r.id),
  );
  const bCodeIds = ((await bDb("kiosk_enrolment_codes").select("id")) as { id: number }[]).map(
    (r) => Number(r.id),
  );
  const ids = async (db: Db, table: string) =>
    ((await db(table).select("id")) as { id: number | string }[]).map((r) => r.id);
  const aResponseIds = (await ids(instance, "responses")).map(String);
  const aRubricIds = (await ids(instance, "rubric_assessments")).map(Number);
  const aCodeIds = (await ids(instance, "kiosk_enrolment_codes")).map(Number);
  rmSync(surveysB, { recursive: true, force: true });
  // Each library's kiosk pages add the configured kiosk places on first use: done here, so the
  // walk compares B before and after with that already behind it.
  for (const base of ["", `/l/${b.slug}`]) await request(app).get(`${base}/kiosk`);
  return {
    app,
    instance,
    a: { id: DEFAULT_LIBRARY_ID, slug: "default", name: "Our library", fscsId: null, region: null },
    b,
    bDb,
    userIds,
    bResponseIds,
    bRubricIds,
    bCodeIds,
    aResponseIds,
    aRubricIds,
    aCodeIds,
    bMarkers: [...markersOf("Bmark"), EMAILS.bAdmin, EMAILS.bStaff, ...bResponseIds],
    bPublicMarkers: ["Bmark outcome survey", B_ONLY_SLUG, B_NAME, "ZZ0042"],
    aMarkers: [...markersOf("Amark"), EMAILS.aAdmin, ...aResponseIds],
    aAdmin,
    bAdmin,
    async close() {
      await libraries.close();
      if (engine.kind === "pg") {
        await instance.raw(`drop schema if exists ${schemaOf(bSlug)} cascade`);
        await dropPostgresSchema(instance, engine.schema);
      } else await instance.destroy();
    },
  };
}

/** A checksum of every row of every table of a database, with its row count per table. */
export async function tableChecksums(db: Db): Promise<Record<string, string>> {
  const tables = isSqlite(db)
    ? (
        (await db("sqlite_master")
          .where({ type: "table" })
          .andWhereNot("name", "like", "sqlite_%")
          .select("name")) as { name: string }[]
      ).map((t) => t.name)
    : (
        (
          await db.raw(
            "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
          )
        ).rows as { name: string }[]
      ).map((t) => t.name);
  const out: Record<string, string> = {};
  for (const table of tables.sort()) out[table] = await rowsChecksum(await db(table).select("*"));
  return out;
}

/** Rows in a stable order, each value as JSON gives it (dates as ISO strings), hashed. */
export function rowsChecksum(rows: Record<string, unknown>[]): string {
  const lines = rows
    .map((row) =>
      JSON.stringify(
        Object.keys(row)
          .sort()
          .map((key) => [key, normalise(row[key])]),
      ),
    )
    .sort();
  return `${rows.length} rows ${createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16)}`;
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString("hex");
  if (typeof value === "bigint") return String(value);
  return value;
}
