// The survey map on the results page: responses per 1,000 residents by ZIP code area, small
// counts withheld (with a complementary area when only one is small), and its downloads.
// Real Census county shapes (test/fixtures/boundaries) stand in for ZIP code areas here: their
// GEOIDs have five digits, as ZCTAs' do, and the mechanism does not depend on the kind.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importBoundaries } from "../../server/imports/boundaries.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import { CT, SHAPEFILE } from "../helpers/boundaries.ts";
import { tempFile } from "../imports/helpers.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
let staff: { agent: Agent; csrf: string };

/** Responses per area: 09001 20, 09003 12, 09005 3 (small), 5 without a ZIP code. */
const PLAN: [string | null, number][] = [
  ["09001", 20],
  ["09003", 12],
  ["09005", 3],
  [null, 5],
];

beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  staff = await loginAs(t.app, emailFor("staff"));
  const rows = CT.map((g) => `${g},ZIP ${g},zcta,age,Under 5 years,1000,10`);
  await importCommunity(t.db, {
    by: commandLine(),
    file: tempFile(
      "zcta.csv",
      ["geoid,name,kind,dimension,category,count,moe", ...rows].join("\n"),
    ),
  });
  await importBoundaries(t.db, { by: commandLine(), file: SHAPEFILE });
  for (const [zip, count] of PLAN) {
    for (let i = 0; i < count; i++) {
      const res = await request(t.app)
        .post("/api/surveys/community-needs/responses")
        .send({
          id: crypto.randomUUID(),
          language: "en",
          channel: "web",
          startedAt: "2026-11-30T10:00:00Z",
          data: { library_use: "weekly", ...(zip ? { zip } : {}) },
        });
      expect(res.status, res.text).toBe(201);
    }
  }
});
afterAll(() => t.close());

describe("the responses map", () => {
  it("draws responses per 1,000 residents by ZIP code area on the results page", async () => {
    const page = await staff.agent.get("/staff/surveys/community-needs");
    expect(page.status).toBe(200);
    const svg = page.text.match(/<svg [^>]*class="map">[\s\S]*?<\/svg>/)?.[0] ?? "";
    expect(svg.match(/role="img" aria-label="/g)).toHaveLength(8);
    expect(svg).toContain(
      'aria-label="ZIP 09001 (09001): 20.0 responses per 1,000 residents (20)"',
    );
    expect(svg).toContain('aria-label="ZIP 09007 (09007): 0.0 responses per 1,000 residents (0)"');
  });

  it("draws the same map on the fieldwork guide (issue 18), from the survey's area question", async () => {
    const page = await staff.agent.get("/staff/surveys/community-needs/fieldwork");
    expect(page.status).toBe(200);
    const svg = page.text.match(/<svg [^>]*class="map">[\s\S]*?<\/svg>/)?.[0] ?? "";
    expect(svg.match(/role="img" aria-label="/g)).toHaveLength(8);
    expect(svg).toContain(
      'aria-label="ZIP 09001 (09001): 20.0 responses per 1,000 residents (20)"',
    );
  });

  it("hatches the small area and one more, and does not give away the responses elsewhere", async () => {
    const page = await staff.agent.get("/staff/surveys/community-needs");
    expect(page.text).toMatch(
      /fill="url\(#map-responses-suppressed\)" role="img" aria-label="ZIP 09005 \(09005\): fewer than 10 responses \(withheld\)"/,
    );
    expect(page.text).toMatch(
      /fill="url\(#map-responses-suppressed\)" role="img" aria-label="ZIP 09003 \(09003\): responses withheld to protect a smaller count"/,
    );
    expect(page.text).not.toMatch(/\b12 responses|\(12\)/);
    expect(page.text).not.toContain("responses have no answer or one outside");
  });

  it("counts every response whatever the filters, so filtered maps cannot be subtracted", async () => {
    const filtered = await staff.agent.get("/staff/surveys/community-needs?language=es");
    expect(filtered.status).toBe(200);
    expect(filtered.text).toContain(
      'aria-label="ZIP 09001 (09001): 20.0 responses per 1,000 residents (20)"',
    );
    expect(filtered.text).toContain("Every response to the survey, whatever the filters above.");
  });

  it("downloads the area table as CSV with the withheld counts marked", async () => {
    const csv = await staff.agent.get("/staff/maps/responses.csv?survey=community-needs");
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toBe("geoid,name,residents,responses,responses_per_1000,map_class,drawn");
    expect(lines).toContain("09005,ZIP 09005,1000,<10,,suppressed,1");
    expect(lines).toContain("09003,ZIP 09003,1000,suppressed,,suppressed,1");
    expect(csv.text).toMatch(/\n09001,ZIP 09001,1000,20,20,[^,]+,1/);
    const svg = await staff.agent.get("/staff/maps/responses.svg?survey=community-needs");
    expect(svg.headers["content-type"]).toBe("image/svg+xml; charset=utf-8");
    expect((await staff.agent.get("/staff/maps/responses.svg")).status).toBe(400);
  });
});
