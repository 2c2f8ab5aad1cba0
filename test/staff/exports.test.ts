import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoData } from "../../server/imports/demo.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";
import { seedNeedsResponses } from "./seed.ts";

let t: StaffTestApp;
let staff: { agent: Agent; csrf: string };
let analyst: { agent: Agent; csrf: string };

beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  await seedNeedsResponses(t.db, { count: 150, seed: 3 });
  await loadDemoData(t.db, { force: true, activity: false });
  staff = await loginAs(t.app, emailFor("staff"));
  analyst = await loginAs(t.app, emailFor("analyst"));
}, 120_000);
afterAll(() => t.close());

const csv = (text: string) =>
  parse(text.replace(/^\uFEFF/, ""), { columns: true }) as Record<string, string>[];

describe("exports in the browser", () => {
  it("gives an analyst the raw responses, one row each, and logs who took them", async () => {
    const res = await analyst.agent.get(
      "/staff/exports/community-needs/responses.csv?lang=es&labels=1",
    );
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-disposition"]).toMatch(
      /community-needs_v\d+_responses-wide_labels-es\.csv/,
    );
    const rows = csv(res.text);
    expect(rows).toHaveLength(150);
    const [entry] = await listAudit(t.db, { action: "export.responses" });
    expect(entry).toMatchObject({ actorEmail: emailFor("analyst"), target: "community-needs" });
  });

  // Issue 22: each export is audited once, in one shape, by the export and not by its caller.
  it("writes exactly one audit entry per download", async () => {
    const before = (await listAudit(t.db, { limit: 1000 })).length;
    const res = await staff.agent.get("/staff/exports/community-needs/codebook.csv");
    expect(res.status).toBe(200);
    const after = await listAudit(t.db, { limit: 1000 });
    expect(after).toHaveLength(before + 1);
    expect(after[0]).toMatchObject({
      actorEmail: emailFor("staff"),
      action: "export.codebook",
      target: "community-needs",
      details: { via: "web", filters: "none", weighted: false },
    });
  });

  it("refuses raw responses to the staff role, and logs nothing for them", async () => {
    const before = (await listAudit(t.db, { action: "export.responses" })).length;
    for (const file of ["responses.csv", "responses-long.csv", "responses.R", "responses.sps"]) {
      const res = await staff.agent.get(`/staff/exports/community-needs/${file}`);
      expect(`${file} → ${res.status}`).toBe(`${file} → 403`);
    }
    expect((await listAudit(t.db, { action: "export.responses" })).length).toBe(before);
  });

  it("gives staff the suppressed results tables with the page's filters in the file name", async () => {
    const res = await staff.agent.get(
      "/staff/exports/community-needs/results.csv?channel=kiosk&group=useStatus&bom=1",
    );
    expect(res.status).toBe(200);
    expect(res.text.startsWith("\uFEFF")).toBe(true);
    expect(res.headers["content-disposition"]).toContain("results-by-usestatus");
    expect(res.headers["content-disposition"]).toContain("channel-kiosk");
    expect(res.text).toMatch(/<10/);
  });

  it("gives the codebook and the usage-gaps tables", async () => {
    const codebook = await staff.agent.get("/staff/exports/community-needs/codebook.csv?lang=vi");
    expect(codebook.status).toBe(200);
    expect(csv(codebook.text).length).toBeGreaterThan(20);
    const gaps = await staff.agent.get("/staff/exports/gaps.csv");
    expect(gaps.status).toBe(200);
    expect(gaps.headers["content-disposition"]).toContain("usage-gaps_as-of-");
    expect(gaps.text.split("\n").length).toBeGreaterThan(10);
  }, 60_000);

  it("lists the downloads each role may take", async () => {
    const forStaff = await staff.agent.get("/staff/exports");
    expect(forStaff.text).not.toContain("/responses.csv");
    expect(forStaff.text).toContain("analysts and admins only");
    const forAnalyst = await analyst.agent.get("/staff/exports");
    expect(forAnalyst.text).toContain('formaction="/staff/exports/community-needs/responses.csv"');
  });
});
