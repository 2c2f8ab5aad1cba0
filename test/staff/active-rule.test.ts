// The staff pages state who counts as an active user: /staff/gaps (the rule's sentence and the
// counts it produced, small counts withheld) and the import report on /staff/imports.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  basePatrons,
  importCensus,
  importPatrons,
  tempDir,
} from "../reports/usage-gaps-fixture.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
let admin: { agent: Agent; csrf: string };

beforeAll(async () => {
  t = await createStaffTestApp();
  admin = await loginAs(t.app, emailFor("admin"));
  const dir = tempDir();
  await importCensus(t.db, dir);
  await importPatrons(t.db, dir, basePatrons());
});
afterAll(() => t.close());

// The fixture's export: 685 registered patrons (535 flagged "Y", 150 "N"), 7 staff cards excluded.
describe("the active-user rule on the staff pages", () => {
  it("states the rule and its counts on /staff/gaps", async () => {
    const run = await admin.agent.post("/staff/gaps/run").type("form").send({ _csrf: admin.csrf });
    expect(run.status).toBe(303);
    const page = await admin.agent.get("/staff/gaps");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2 id="active-rule-heading">Who counts as an active user</h2>');
    expect(page.text).toContain(
      "Active = “Active” holds one of “Y”; registrations alone do not count.",
    );
    expect(page.text).toContain('<th scope="row">Registered patrons</th><td class="num">685</td>');
    expect(page.text).toContain('<th scope="row">Never active</th><td class="num">0</td>');
    // 7 staff cards: fewer than 10, so withheld, and rows read with them.
    expect(page.text).toContain('<th scope="row">Excluded</th><td class="num">&lt;10</td>');
    expect(page.text).toContain('<th scope="row">Rows read</th><td class="num">suppressed</td>');
  });

  it("states the rule in the import report on /staff/imports", async () => {
    const page = await admin.agent.get("/staff/imports");
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      '<p class="active-rule">Active = “Active” holds one of “Y”; registrations alone do not count.</p>',
    );
    expect(page.text).toContain("<li>Registered patrons 685</li>");
  });
});
