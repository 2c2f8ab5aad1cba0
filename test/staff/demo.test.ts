// The demo on the first login and its removal: every kind of data is there and marked, every
// staff page says so, one audited admin action (or command) removes exactly the demo rows, and
// the getting-started checklist and the public-address warning read the database and the request.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { migrateLatest, openDb } from "../../server/db.ts";
import { demoWanted, loadDemoData } from "../../server/imports/demo.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { countDemoRows } from "../../server/queries/demo.ts";
import { listImports } from "../../server/queries/imports.ts";
import { insertResponse } from "../../server/queries/responses.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { unreachableHost } from "../../server/surveys/public-address.ts";
import { newId, PROJECT_SURVEYS } from "../helpers/app.ts";
import { createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

const run = promisify(execFile);
let t: StaffTestApp;
/** A response the library collected itself, and an import of its own: they must survive. */
const realResponse = newId();

beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  await loadDemoData(t.db, { now: new Date("2026-11-30T12:00:00Z") });
  const survey = await findSurvey(t.db, "community-needs");
  if (!survey) throw new Error("community-needs survey missing");
  await insertResponse(t.db, {
    id: realResponse,
    surveySlug: survey.slug,
    versionId: survey.versionId,
    language: "en",
    channel: "web",
    location: null,
    startedAt: null,
    submittedAt: new Date("2026-12-01T10:00:00Z"),
    data: { library_use: "weekly", comment: "Real answer" },
  });
  await t
    .db("open_answer_tags")
    .insert({ response_id: realResponse, question: "comment", tag: "real" });
}, 120_000);
afterAll(async () => {
  await t.close();
});

describe("the demo on the first login", () => {
  it("holds responses on every channel, in several languages, from users and non-users", async () => {
    const rows = (await t
      .db("responses")
      .where({ demo: true, survey_slug: "community-needs" })
      .select("channel", "language", "data")) as {
      channel: string;
      language: string;
      data: string;
    }[];
    expect(new Set(rows.map((r) => r.channel))).toEqual(
      new Set(["web", "kiosk", "paper", "event"]),
    );
    expect(new Set(rows.map((r) => r.language)).size).toBe(7);
    const uses = rows.map((r) => (JSON.parse(r.data) as { library_use?: string }).library_use);
    expect(uses.filter((u) => u === "never").length).toBeGreaterThan(40);
    expect(uses.filter((u) => u === "weekly").length).toBeGreaterThan(40);
  });

  it("holds tagged open answers, two self-assessments and a saved usage-gap analysis", async () => {
    const counts = await countDemoRows(t.db);
    expect(counts.tags).toBeGreaterThan(50);
    expect(counts.assessments).toBe(2);
    expect(counts.analyses).toBe(1);
    expect(counts.imports).toBe(6);
  });

  it("marks every staff page as demo data, with the way to remove it for admins", async () => {
    const { agent } = await loginAs(t.app, emailFor("admin"));
    for (const page of [
      "/staff",
      "/staff/surveys",
      "/staff/gaps",
      "/staff/surveys/community-needs",
      "/staff/rubric",
    ]) {
      const res = await agent.get(page);
      expect(res.status, page).toBe(200);
      expect(res.text, page).toContain("Demo data.");
      expect(res.text, page).toContain('href="/staff/demo"');
    }
    const staff = await loginAs(t.app, emailFor("staff"));
    const res = await staff.agent.get("/staff");
    expect(res.text).toContain("An admin removes it before going live");
    expect(res.text).not.toContain('href="/staff/demo"');
  });

  it("shows content on the results, answers and gaps pages", async () => {
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const gaps = await agent.get("/staff/gaps");
    expect(gaps.text).not.toContain("No analysis yet");
    const answers = await agent.get("/staff/surveys/community-needs/answers");
    expect(answers.status).toBe(200);
    expect(answers.text).toMatch(/hours|transport|welcome/);
  });

  it("lists the getting-started steps as not done: the demo is not the library's own work", async () => {
    const { agent } = await loginAs(t.app, emailFor("admin"));
    const res = await agent.get("/staff");
    expect(res.text).toContain("Getting started");
    expect(res.text).toMatch(/Not done:<\/span>\s*<a href="\/staff\/imports">Import census tables/);
    expect(res.text).toMatch(
      /Not done:<\/span>\s*<a href="\/staff\/gaps">Run the usage-gap analysis/,
    );
    // The real response counts: results have arrived.
    expect(res.text).toMatch(
      /Done:<\/span>\s*<a href="\/staff\/surveys\/community-needs">Read the results/,
    );
  });
});

describe("removing the demo", () => {
  it("is refused to non-admins and without the confirmation", async () => {
    const staff = await loginAs(t.app, emailFor("staff"));
    expect(
      (
        await staff.agent
          .post("/staff/demo/remove")
          .type("form")
          .send({ _csrf: staff.csrf, confirm: "remove" })
      ).status,
    ).toBe(403);
    const admin = await loginAs(t.app, emailFor("admin"));
    const res = await admin.agent
      .post("/staff/demo/remove")
      .type("form")
      .send({ _csrf: admin.csrf });
    expect(res.status).toBe(400);
    expect((await countDemoRows(t.db)).responses).toBeGreaterThan(0);
  });

  it("deletes every demo row and keeps the library's own, logged in the audit log", async () => {
    const admin = await loginAs(t.app, emailFor("admin"));
    const confirm = await admin.agent.get("/staff/demo");
    expect(confirm.text).toContain("Yes, remove all demo data");
    const res = await admin.agent
      .post("/staff/demo/remove")
      .type("form")
      .send({ _csrf: admin.csrf, confirm: "remove" });
    expect(res.status).toBe(303);
    expect(await countDemoRows(t.db)).toEqual({
      imports: 0,
      areas: 0,
      responses: 0,
      tags: 0,
      assessments: 0,
      analyses: 0,
    });
    for (const table of [
      "community_population",
      "crosswalk",
      "patron_counts",
      "boundaries",
      "boundary_topologies",
      "geographies",
      "usage_gap_runs",
      "rubric_assessments",
      "rubric_scores",
    ]) {
      expect(Number((await t.db(table).count({ n: "*" }))[0]?.n), table).toBe(0);
    }
    const left = await t.db("responses").select("id");
    expect(left).toEqual([{ id: realResponse }]);
    expect(await t.db("open_answer_tags").select("tag")).toEqual([{ tag: "real" }]);
    const [entry] = await listAudit(t.db, { action: "demo.remove" });
    expect(entry?.actorEmail).toBe(emailFor("admin"));
    const home = await admin.agent.get("/staff");
    expect(home.text).toContain("Demo data removed");
    expect(home.text).not.toContain("Demo data.</strong>");
  });

  it("is not loaded again once removed, even into an emptied database", async () => {
    await t.db("open_answer_tags").delete();
    await t.db("responses").delete();
    expect(await demoWanted(t.db)).toBe(false);
    expect((await loadDemoData(t.db)).loaded).toBe(false);
  });
});

describe("npm run demo:remove", () => {
  it("says what it would remove, removes with --yes, and leaves a real import alone", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "opendoor-demo-cli-"));
    const file = path.join(dir, "db.sqlite");
    const db = openDb({ client: "sqlite3", filename: file });
    try {
      await migrateLatest(db);
      await syncSurveys(db, PROJECT_SURVEYS);
      await loadDemoData(db, { now: new Date("2026-11-30T12:00:00Z") });
      const [real] = await db("imports")
        .insert({ kind: "community", file_name: "library-own.csv", file_sha256: "f".repeat(64) })
        .returning("id");
      const env = { ...process.env, DATABASE_URL: file, NODE_ENV: "test" };
      const script = path.join(ROOT_DIR, "scripts", "remove-demo.ts");
      const dry = await run("npx", ["tsx", script], { env, cwd: ROOT_DIR }).catch((e) => e);
      expect(dry.code).toBe(1);
      expect(dry.stderr).toMatch(/Would remove 6 imports, \d+ survey responses/);
      const done = await run("npx", ["tsx", script, "--yes"], { env, cwd: ROOT_DIR });
      expect(done.stdout).toMatch(/Removed the demo data: 6 imports/);
      const ids = (await listImports(db)).map((i) => i.id);
      expect(ids).toEqual([Number(typeof real === "object" ? real.id : real)]);
      const [entry] = await listAudit(db, { action: "demo.remove" });
      expect(entry?.details).toMatchObject({ via: "command line" });
    } finally {
      await db.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe("public address warning", () => {
  it("names localhost, private addresses and bare machine names, and nothing once PUBLIC_URL is set", () => {
    expect(unreachableHost(undefined, "localhost:3000")).toBe("localhost");
    expect(unreachableHost(undefined, "192.168.1.20:3000")).toBe("192.168.1.20");
    expect(unreachableHost(undefined, "10.0.0.5")).toBe("10.0.0.5");
    expect(unreachableHost(undefined, "[::1]:3000")).toBe("::1");
    expect(unreachableHost(undefined, "library-pc:3000")).toBe("library-pc");
    expect(unreachableHost(undefined, "survey.library.org")).toBeNull();
    expect(unreachableHost(undefined, "8.8.8.8")).toBeNull();
    expect(unreachableHost("https://survey.library.org", "localhost:3000")).toBeNull();
  });

  it("shows on the share page and the flyer when staff use a private address", async () => {
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const share = await agent
      .get("/staff/surveys/community-needs/share")
      .set("Host", "localhost:3000");
    expect(share.text).toContain("These links will not work for the public");
    expect(share.text).toContain("PUBLIC_URL=https://survey.yourlibrary.org");
    const flyer = await agent
      .get("/staff/surveys/community-needs/flyer")
      .set("Host", "192.168.1.20:3000");
    expect(flyer.text).toContain("its address will not work for the public");
    const outside = await agent
      .get("/staff/surveys/community-needs/share")
      .set("Host", "survey.library.org");
    expect(outside.text).not.toContain("These links will not work for the public");
  });
});
