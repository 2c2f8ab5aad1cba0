// Issue 22, "options shared by CLI and web": the same text gives the same options through
// `npm run export` and the staff pages, and a bad value the same message naming the option. Each
// CLI run is a child process (Node with tsx) on the SQLite file the app under test uses.
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_DIR } from "../../server/imports/demo.ts";
import { DEMO_FILES } from "../../server/imports/demo-data.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import { runScript } from "../helpers/cli.ts";
import { tempDir } from "../reports/usage-gaps-fixture.ts";
import {
  type Agent,
  createStaffTestApp,
  emailFor,
  loginAs,
  type StaffTestApp,
} from "../staff/helpers.ts";
import { seedNeedsResponses } from "../staff/seed.ts";

let dir: string;
let database: string;
let t: StaffTestApp;
let staff: { agent: Agent; csrf: string };

beforeAll(async () => {
  dir = tempDir();
  database = path.join(dir, "options.sqlite");
  t = await createStaffTestApp({
    surveysDir: PROJECT_SURVEYS,
    config: { database: { client: "sqlite3", filename: database } },
  });
  await seedNeedsResponses(t.db, { count: 150, seed: 3 });
  staff = await loginAs(t.app, emailFor("staff"));
}, 120_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (script: string, args: string[]) =>
  runScript(script, args, { DATABASE_URL: database, DATA_DIR: dir });

/** `npm run export -- KIND --survey community-needs ARGS`. */
const exportCli = (kind: string, ...args: string[]) =>
  cli("export.ts", [kind, "--survey", "community-needs", ...args]);

/** Text as EJS escaped it into the page. */
const unescapeHtml = (html: string) =>
  html
    .replaceAll("&#34;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

const webCrossTab = (rows: string, cols: string) =>
  staff.agent.get(
    `/staff/exports/community-needs/crosstab.csv?rows=${encodeURIComponent(rows)}&cols=${encodeURIComponent(cols)}`,
  );

describe("cross-tab variables", { timeout: 120_000 }, () => {
  it("QUESTION:CHOICE gives the same cross-tab through npm run export and the web, which also reads its old q: form", async () => {
    const web = await webCrossTab("barriers:hours", "group:channel");
    expect(web.status).toBe(200);
    const old = await webCrossTab("q:barriers:hours", "group:channel");
    expect(old.text).toBe(web.text);
    const line = await exportCli(
      "crosstab",
      "--rows",
      "barriers:hours",
      "--columns",
      "group:channel",
    );
    expect(line.code, line.stderr).toBe(0);
    expect(line.stdout).toBe(web.text);
    expect(web.text).toContain("hours");
  });

  it("a bad variable gives the same message, naming the option, on both", async () => {
    const detail =
      'group:DIMENSION takes language, channel, location, useStatus, month (got "shoe")';
    const web = await webCrossTab("group:shoe", "group:channel");
    expect(web.status).toBe(400);
    const html = `rows: ${detail}.`.replaceAll('"', "&#34;");
    expect(web.text).toContain(html);
    const page = await staff.agent.get(
      "/staff/surveys/community-needs/crosstab?rows=group%3Ashoe&cols=group%3Achannel",
    );
    expect(page.text).toContain(html);
    const line = await exportCli("crosstab", "--rows", "group:shoe", "--columns", "group:channel");
    expect(line.code).toBe(1);
    expect(line.stderr.trim()).toBe(`--rows ${detail}. (--help lists the options)`);
  });

  it("the cross-tab page offers variables in the one syntax", async () => {
    const page = await staff.agent.get("/staff/surveys/community-needs/crosstab");
    expect(page.text).toContain('value="barriers:hours"');
    expect(page.text).not.toContain('value="q:');
  });
});

describe("grouping", { timeout: 120_000 }, () => {
  it("--by and group= give the same grouped results, and the same message naming the option for an unknown dimension", async () => {
    const web = await staff.agent.get("/staff/exports/community-needs/results.csv?group=channel");
    expect(web.status).toBe(200);
    const line = await exportCli("results", "--by", "channel");
    expect(line.code, line.stderr).toBe(0);
    expect(line.stdout).toBe(web.text);

    const detail = 'takes language, channel, location, useStatus, month (got "shoe")';
    const bad = await staff.agent.get("/staff/exports/community-needs/results.csv?group=shoe");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain(`group: ${detail}.`.replaceAll('"', "&#34;"));
    // The results page used to show the tables ungrouped, as if no group had been asked for.
    const page = await staff.agent.get("/staff/surveys/community-needs?group=shoe");
    expect(page.status).toBe(400);
    const refused = await exportCli("results", "--by", "shoe");
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`--by ${detail}. (--help lists the options)`);
  });
});

describe("import options", { timeout: 120_000 }, () => {
  it("a bad census year gives the same message, naming the option, on the command line and the form", async () => {
    const detail = 'must be a four-digit year (got "22")';
    const admin = await loginAs(t.app, emailFor("admin"));
    const web = await admin.agent
      .post("/staff/imports/community")
      .field("_csrf", admin.csrf)
      .field("year", "22")
      .attach("file", Buffer.from("geoid,name,kind,dimension,category,estimate,moe\n"), "c.csv");
    expect(web.status).toBe(400);
    expect(web.text).toContain(`field year: ${detail}`.replaceAll('"', "&#34;"));
    const line = await cli("import-community.ts", ["c.csv", "--year", "22"]);
    expect(line.code).toBe(1);
    expect(line.stderr.trim()).toBe(`--year ${detail}. (--help lists the options)`);
  });

  it("a bad as-of date gives the same message on both, before the file is read", async () => {
    const detail = 'must be a date YYYY-MM-DD (got "2024-02-30")';
    const admin = await loginAs(t.app, emailFor("admin"));
    const web = await admin.agent
      .post("/staff/imports/circulation")
      .field("_csrf", admin.csrf)
      .field("asOf", "2024-02-30")
      .field("mapping", "{}")
      .attach("file", Buffer.from("A,B\n1,2\n"), "patrons.csv");
    expect(web.status).toBe(400);
    expect(web.text).toContain(`field as-of: ${detail}`.replaceAll('"', "&#34;"));
    const line = await cli("import-circulation.ts", [
      "p.csv",
      "--map",
      "m.json",
      "--as-of",
      "2024-02-30",
    ]);
    expect(line.code).toBe(1);
    expect(line.stderr.trim()).toBe(`--as-of ${detail}. (--help lists the options)`);
  });

  it("--suggest-map and the form's suggestion read the same sample of a patron export and propose the same mapping", async () => {
    // The demo's 3.7 MB export: both read its first 256 KB (sampleFile), never the whole file.
    const file = path.join(DEMO_DIR, DEMO_FILES.patrons);
    const admin = await loginAs(t.app, emailFor("admin"));
    const web = await admin.agent
      .post("/staff/imports/circulation")
      .field("_csrf", admin.csrf)
      .field("action", "suggest")
      .attach("file", file);
    expect(web.status).toBe(200);
    const textarea = /<textarea id="patrons-mapping"[^>]*>([^<]*)<\/textarea>/.exec(web.text)?.[1];
    const fromWeb = JSON.parse(unescapeHtml(textarea ?? ""));
    const line = await cli("import-circulation.ts", [file, "--suggest-map"]);
    expect(line.code, line.stderr).toBe(0);
    expect(fromWeb).toEqual(JSON.parse(line.stdout));
    const rows = /Suggested from the header and (\d+) rows/.exec(web.text)?.[1];
    expect(line.stderr).toContain(`Suggested from the header and ${rows} sample rows`);
  });
});
