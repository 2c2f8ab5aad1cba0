// Census rows for areas outside the current service area are not added to it silently (issue
// 16): the import report lists them, the analysis leaves them out, and an admin adds them (or not).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCirculation } from "../../server/imports/circulation.ts";
import { DEMO_DIR } from "../../server/imports/demo.ts";
import { DEMO_AS_OF, DEMO_FILES } from "../../server/imports/demo-data.ts";
import { loadMapping } from "../../server/imports/mapping.ts";
import { commandLine, listAudit } from "../../server/queries/audit-log.ts";
import { listOutsideServiceArea } from "../../server/queries/community.ts";
import { runUsageGapAnalysis } from "../../server/reports/usage-gaps.ts";
import { tempDir } from "../imports/helpers.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
let admin: { agent: Agent; csrf: string };
const demo = (key: keyof typeof DEMO_FILES) => path.join(DEMO_DIR, DEMO_FILES[key]);

/** The demo's tidy equivalent for two tracts of a neighbouring county (99003). */
function neighbourFile(): string {
  const file = path.join(tempDir(), "neighbours-tidy.csv");
  writeFileSync(
    file,
    [
      "geoid,name,kind,dimension,category,count,moe",
      "99003000100,Census Tract 1; Hill County; Demo State,tract,age,Under 5 years,210,40",
      "99003000200,Census Tract 2; Hill County; Demo State,tract,age,Under 5 years,180,38",
      "99001000100,Census Tract 1; Riverbend County; Demo State,tract,age,Under 5 years,250,41",
    ].join("\n"),
  );
  return file;
}

beforeAll(async () => {
  t = await createStaffTestApp();
  admin = await loginAs(t.app, emailFor("admin"));
  for (const key of ["age", "language"] as const) {
    const res = await admin.agent
      .post("/staff/imports/community")
      .field("_csrf", admin.csrf)
      .attach("file", demo(key));
    expect(res.status).toBe(200);
  }
  const mappingFile = demo("mapping");
  await importCirculation(t.db, {
    by: commandLine(),
    file: demo("patrons"),
    mapping: await loadMapping(mappingFile),
    mappingFile,
    asOf: DEMO_AS_OF,
  });
}, 120_000);
afterAll(() => t.close());

describe("census areas outside the service area", () => {
  it("are listed in the import report with the choice to add them, and not added", async () => {
    const res = await admin.agent
      .post("/staff/imports/community")
      .field("_csrf", admin.csrf)
      .attach("file", neighbourFile());
    expect(res.status).toBe(200);
    expect(res.text).toContain("2 areas are outside the current service area");
    expect(res.text).toContain("Tract 1 (99003000100), Tract 2 (99003000200)");
    expect(res.text).toContain("Add these 2 areas to the service area");
    expect(res.text).not.toContain("--service-area");
    expect((await listOutsideServiceArea(t.db)).map((g) => g.geoid)).toEqual([
      "99003000100",
      "99003000200",
    ]);
  });

  it("stay out of the analysis until an admin adds them, which is audit-logged", async () => {
    const before = await runUsageGapAnalysis(t.db, {
      by: commandLine(),
      suppressBelow: 10,
      save: false,
    });
    expect(before.document.areas.map((a) => a.geoid)).not.toContain("99003000100");
    expect(before.document.serviceArea.areas).toBe(40);

    const page = await admin.agent.get("/staff/imports");
    expect(page.text).toContain("Areas waiting to be added to the service area");
    const add = await admin.agent
      .post("/staff/imports/service-area")
      .type("form")
      .send({ _csrf: admin.csrf, geoid: ["99003000100", "99003000200"] });
    expect(add.status).toBe(303);
    expect(await listOutsideServiceArea(t.db)).toEqual([]);
    const [entry] = await listAudit(t.db, { action: "serviceArea.add" });
    expect(entry?.actorEmail).toBe(emailFor("admin"));

    const after = await runUsageGapAnalysis(t.db, {
      by: commandLine(),
      suppressBelow: 10,
      save: false,
    });
    expect(after.document.serviceArea.areas).toBe(42);
  });

  it("are not asked about on the first census import: that one sets the service area", async () => {
    const fresh = await createStaffTestApp();
    try {
      const first = await loginAs(fresh.app, emailFor("admin"));
      const res = await first.agent
        .post("/staff/imports/community")
        .field("_csrf", first.csrf)
        .attach("file", demo("age"));
      expect(res.text).not.toContain("outside the current service area");
      expect(await listOutsideServiceArea(fresh.db)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
