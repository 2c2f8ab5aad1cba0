import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_DIR } from "../../server/imports/demo.ts";
import { DEMO_FILES } from "../../server/imports/demo-data.ts";
import { UPLOAD_ROOT } from "../../server/middleware/uploads.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { listImports } from "../../server/queries/imports.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
let admin: { agent: Agent; csrf: string };
const demo = (key: keyof typeof DEMO_FILES) => path.join(DEMO_DIR, DEMO_FILES[key]);

beforeAll(async () => {
  t = await createStaffTestApp();
  admin = await loginAs(t.app, emailFor("admin"));
});
afterAll(() => t.close());

const uploadFolders = () => (existsSync(UPLOAD_ROOT) ? readdirSync(UPLOAD_ROOT) : []);

/**
 * Expects no upload folder made since `before` to be left behind. Test files run in parallel and
 * share UPLOAD_ROOT, so another file's request may hold a folder for a moment: wait for it to end.
 */
const expectNoLeftovers = (before: string[]) =>
  vi.waitFor(() => expect(uploadFolders().filter((d) => !before.includes(d))).toEqual([]), {
    timeout: 5000,
  });

describe("imports in the browser", () => {
  it("imports a census table, shows its report, logs it and keeps no file", async () => {
    const before = uploadFolders();
    const res = await admin.agent
      .post("/staff/imports/community")
      .field("_csrf", admin.csrf)
      .attach("file", demo("age"));
    expect(res.status).toBe(200);
    expect(res.text).toContain(`Imported ${DEMO_FILES.age} (census table, import `);
    expect(res.text).toContain("Rows accepted");
    const [entry] = await listAudit(t.db, { action: "import.community" });
    expect(entry).toMatchObject({ actorEmail: emailFor("admin"), target: DEMO_FILES.age });
    await expectNoLeftovers(before);
  });

  it("refuses the same file twice, saying what to do, and changes nothing", async () => {
    const res = await admin.agent
      .post("/staff/imports/community")
      .field("_csrf", admin.csrf)
      .attach("file", demo("age"));
    expect(res.status).toBe(400);
    expect(res.text).toContain("Nothing was imported.");
    expect(res.text).not.toContain(UPLOAD_ROOT);
    // Issue 16: the web has its own control, not the command line's option.
    expect(res.text).not.toContain("--replace");
    expect(res.text).toContain("Tick “Replace an earlier import of the same file”");
    expect((await listImports(t.db, "community")).length).toBe(1);
  });

  it("suggests a mapping for a patron export without importing or keeping it", async () => {
    const res = await admin.agent
      .post("/staff/imports/circulation")
      .field("_csrf", admin.csrf)
      .field("action", "suggest")
      .attach("file", demo("patrons"));
    expect(res.status).toBe(200);
    expect(res.text).toContain("(the file was not kept)");
    expect(res.text).toMatch(/&#34;activity&#34;/);
    expect((await listImports(t.db, "circulation")).length).toBe(0);
  });

  it("imports a patron export with its mapping file and reports active patrons", async () => {
    const res = await admin.agent
      .post("/staff/imports/circulation")
      .field("_csrf", admin.csrf)
      .field("asOf", "2024-06-30")
      .attach("file", demo("patrons"))
      .attach("mappingFile", demo("mapping"));
    expect(res.status).toBe(200);
    expect(res.text).toContain("(patron export, import ");
    expect(res.text).toContain("As of</dt><dd>2024-06-30");
    // Issue 16: plain words, no internal field names or JSON.
    expect(res.text).toContain("<dt>Active patrons</dt><dd>17,783</dd>");
    expect(res.text).toContain("<dt>Patrons placed by</dt><dd>census tract</dd>");
    expect(res.text).toContain("<dt>Mapping file</dt><dd>patrons-mapping.json</dd>");
    for (const internal of [
      "activePatrons",
      "cubeCells",
      "geographyKind",
      "unknownArea",
      "{&#34;",
    ]) {
      expect(res.text).not.toContain(internal);
    }
    const stored = await listImports(t.db, "circulation");
    expect(stored[0]?.asOf).toBe("2024-06-30");
  }, 60_000);

  it("names the field when the mapping is wrong", async () => {
    const res = await admin.agent
      .post("/staff/imports/circulation")
      .field("_csrf", admin.csrf)
      .field("mapping", '{"activity": {"column": "Nope", "as": "sometimes"}}')
      .attach("file", Buffer.from("A,B\n1,2\n"), "tiny.csv");
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/mapping.*activity/);
  });

  it("refuses an upload without its CSRF token after reading it, and still deletes it", async () => {
    const before = uploadFolders();
    const res = await admin.agent
      .post("/staff/imports/crosswalk")
      .attach("file", Buffer.from(readFileSync(demo("crosswalk"))), "crosswalk.csv");
    expect(res.status).toBe(403);
    await expectNoLeftovers(before);
    expect(await listImports(t.db, "crosswalk")).toEqual([]);
  });

  it("keeps the import page for admins", async () => {
    const analyst = await loginAs(t.app, emailFor("analyst"));
    expect((await analyst.agent.get("/staff/imports")).status).toBe(403);
  });
});
