import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCirculation } from "../../server/imports/circulation.ts";
import { formatIsoDate } from "../../server/imports/dates.ts";
import { DEMO_DIR, loadDemoData } from "../../server/imports/demo.ts";
import { DEMO_AS_OF, DEMO_FILES } from "../../server/imports/demo-data.ts";
import { loadMapping } from "../../server/imports/mapping.ts";
import { commandLine, listAudit } from "../../server/queries/audit-log.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
let staff: { agent: Agent; csrf: string };

beforeAll(async () => {
  t = await createStaffTestApp();
  staff = await loginAs(t.app, emailFor("staff"));
});
afterAll(() => t.close());

describe("usage gaps page", () => {
  it("says what to import first when there is no data", async () => {
    const page = await staff.agent.get("/staff/gaps");
    expect(page.status).toBe(200);
    expect(page.text).toContain("No analysis has been run yet");
    const run = await staff.agent.post("/staff/gaps/run").type("form").send({ _csrf: staff.csrf });
    expect(run.status).toBe(409);
    expect(run.text).toContain("No community (census) data is imported yet");
  });

  it("runs the analysis on the demo data and shows paired bars, findings and priority areas", async () => {
    await loadDemoData(t.db, { force: true });
    const run = await staff.agent.post("/staff/gaps/run").type("form").send({ _csrf: staff.csrf });
    expect(run.status).toBe(303);
    const page = await staff.agent.get("/staff/gaps");
    expect(page.status).toBe(200);
    expect(page.text).toContain("What the numbers say");
    expect(page.text).toMatch(/<li>Residents [^<]+representation index/);
    expect(page.text).toContain('id="gap-shares-age"');
    expect(page.text).toContain('<th scope="col">Community share</th>');
    expect(page.text).toContain('id="gap-index-language"');
    expect(page.text).toContain('<span class="priority">Priority area</span>');
    // Issue 12: the methods note says once which errors the index intervals include and how
    // multiple comparisons are handled; each group's census reliability is in the index table.
    expect(page.text.match(/How these numbers are computed/g)).toHaveLength(1);
    expect(page.text.match(/Holm/g)).toHaveLength(1);
    expect(page.text).toContain(
      "the patron side&#39;s (binomial, Wilson interval) and the census side&#39;s (ACS margins of error, delta method)",
    );
    expect(page.text).toContain('<th scope="col">Census estimate</th>');
    expect(page.text).toMatch(/Cohen&#39;s w|Cohen's w/);
    expect(page.text).not.toMatch(/p = 0\.000\b/);
    const audit = await listAudit(t.db, { action: "analysis.run" });
    expect(audit[0]?.actorEmail).toBe(emailFor("staff"));
  }, 120_000);

  it("shows the change since the run on the previous patron export", async () => {
    // The same export again, as of three months later (some patrons fall out of the active
    // window): the new run is compared with the first one.
    const mappingFile = path.join(DEMO_DIR, DEMO_FILES.mapping);
    await importCirculation(t.db, {
      by: commandLine(),
      file: path.join(DEMO_DIR, DEMO_FILES.patrons),
      mapping: await loadMapping(mappingFile),
      mappingFile,
      asOf: { year: 2024, month: 9, day: 30 },
      replace: true,
    });
    const run = await staff.agent.post("/staff/gaps/run").type("form").send({ _csrf: staff.csrf });
    expect(run.status).toBe(303);
    const page = await staff.agent.get("/staff/gaps");
    expect(page.text).toContain(`Change since the export of ${formatIsoDate(DEMO_AS_OF)}`);
    expect(page.text).toContain("Representation index by group, then and now");
  }, 120_000);
});
