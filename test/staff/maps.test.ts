// Maps on the staff pages: boundaries uploaded on /staff/imports, the choropleths on
// /staff/gaps, and the map files (SVG, PNG, area CSV with GEOIDs) at /staff/maps/:measure.*.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoData } from "../../server/imports/demo.ts";
import { commandLine, listAudit } from "../../server/queries/audit-log.ts";
import { saveGeographies } from "../../server/queries/community.ts";
import { listImports } from "../../server/queries/imports.ts";
import { CT, SHAPEFILE } from "../helpers/boundaries.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
let staff: { agent: Agent; csrf: string };
let admin: { agent: Agent; csrf: string };

beforeAll(async () => {
  t = await createStaffTestApp();
  staff = await loginAs(t.app, emailFor("staff"));
  admin = await loginAs(t.app, emailFor("admin"));
});
afterAll(() => t.close());

/** Collects a binary response body (supertest buffers only text by default). */
const binary = (res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on("data", (chunk: Buffer) => chunks.push(chunk));
  res.on("end", () => done(null, Buffer.concat(chunks)));
};

describe("maps", () => {
  it("refuses a boundary file when no census area matches, and stores nothing", async () => {
    const res = await admin.agent
      .post("/staff/imports/boundaries")
      .field("_csrf", admin.csrf)
      .attach("file", SHAPEFILE);
    expect(res.status).toBe(400);
    expect(res.text).toContain("Nothing was imported.");
    expect(res.text).toContain("import the census tables first");
    expect(await listImports(t.db, "boundaries")).toEqual([]);
  });

  it("shows no map on the gaps page until an analysis has areas with shapes", async () => {
    const page = await staff.agent.get("/staff/gaps");
    expect(page.text).not.toContain('class="map"');
    expect((await staff.agent.get("/staff/maps/penetration.svg")).status).toBe(404);
  });

  it("draws both choropleths of the demo's tracts on the gaps page, one path per tract", async () => {
    await loadDemoData(t.db, { force: true });
    await staff.agent.post("/staff/gaps/run").type("form").send({ _csrf: staff.csrf });
    const page = await staff.agent.get("/staff/gaps");
    expect(page.status).toBe(200);
    const svg = page.text.match(/<svg [^>]*class="map">[\s\S]*?<\/svg>/)?.[0] ?? "";
    expect(svg.match(/<path d="[^"]+" fill="[^"]+" role="img" aria-label="/g)).toHaveLength(40);
    expect(svg).toContain(
      'aria-label="Census Tract 32; Riverbend County; Demo State (99001003200): 36.7 active users per 1,000 residents (priority area)"',
    );
    expect(page.text).toContain("Class breaks are quintiles");
    const nonUsers = await staff.agent.get("/staff/gaps?map=non-users");
    expect(nonUsers.text).toMatch(/aria-label="[^"]*\(99001003200\): 3,888 estimated non-users/);
    expect(nonUsers.text).toMatch(
      /href="\/staff\/gaps\?map=non-users#map-heading" aria-current="page"/,
    );
    // The whole page with its map stays small (DESIGN.md: a map page under 1 MB).
    expect(Buffer.byteLength(page.text)).toBeLessThan(1_000_000);
  });

  it("downloads the map as SVG and PNG, and the area table as CSV with GEOIDs, each audited", async () => {
    const svg = await staff.agent.get("/staff/maps/non-users.svg?download=1");
    expect(svg.status).toBe(200);
    expect(svg.headers["content-type"]).toBe("image/svg+xml; charset=utf-8");
    expect(svg.headers["content-disposition"]).toContain("map-non-users_as-of-2024-06-30.svg");
    const png = await staff.agent
      .get("/staff/maps/penetration.png")
      .buffer(true)
      .parse(binary as never);
    expect(png.status).toBe(200);
    expect((png.body as Buffer).subarray(1, 4).toString("latin1")).toBe("PNG");
    const csv = await staff.agent.get("/staff/maps/penetration.csv");
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toBe(
      "geoid,name,residents,active_users,users_per_1000,estimated_non_users,priority,suppressed,map_class_penetration,drawn",
    );
    expect(lines).toHaveLength(41);
    expect(csv.text).toMatch(
      /\n99001003200,Census Tract 32; Riverbend County; Demo State,4036,148,36\.7,3888,1,0,/,
    );
    const audit = await listAudit(t.db, { action: "export.map" });
    expect(audit.map((a) => (a.details as { file: string }).file)).toEqual(
      expect.arrayContaining([
        "map-non-users_as-of-2024-06-30.svg",
        "map-penetration_as-of-2024-06-30.png",
        "map-penetration_as-of-2024-06-30.csv",
      ]),
    );
  });

  it("makes area names that look like formulas inert in the CSV", async () => {
    await saveGeographies(t.db, [
      { geoid: "99001000100", name: '=HYPERLINK("http://x")', kind: "tract", line: 1 },
    ]);
    await staff.agent.post("/staff/gaps/run").type("form").send({ _csrf: staff.csrf });
    const csv = await staff.agent.get("/staff/maps/penetration.csv");
    expect(csv.text).toContain(`99001000100,"'=HYPERLINK(""http://x"")"`);
  });

  it("draws the branch areas, merged from their tracts, when the analysis is by crosswalk area", async () => {
    const { runUsageGapAnalysis } = await import("../../server/reports/usage-gaps.ts");
    await runUsageGapAnalysis(t.db, { by: commandLine(), suppressBelow: 10, geography: "custom" });
    const page = await staff.agent.get("/staff/gaps");
    const svg = page.text.match(/<svg [^>]*class="map">[\s\S]*?<\/svg>/)?.[0] ?? "";
    expect(svg.match(/role="img" aria-label="/g)).toHaveLength(5);
    expect(page.text).toContain(
      "5 areas are drawn from the census areas the crosswalk puts in them",
    );
  });

  it("imports boundaries through the form and logs it", async () => {
    const { importCommunity } = await import("../../server/imports/community.ts");
    const { tempFile } = await import("../imports/helpers.ts");
    const rows = CT.map((g) => `${g},County ${g},county,age,Under 5 years,100,10`);
    await importCommunity(t.db, {
      by: commandLine(),
      file: tempFile(
        "ct.csv",
        ["geoid,name,kind,dimension,category,count,moe", ...rows].join("\n"),
      ),
    });
    const res = await admin.agent
      .post("/staff/imports/boundaries")
      .field("_csrf", admin.csrf)
      .attach("file", SHAPEFILE);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Imported cb_2017_09_county_5m.zip (boundary file, import ");
    expect(res.text).toContain("<dt>Shapes matched to census areas</dt><dd>8</dd>");
    const [entry] = await listAudit(t.db, { action: "import.boundaries" });
    expect(entry).toMatchObject({
      actorEmail: emailFor("admin"),
      target: "cb_2017_09_county_5m.zip",
    });
  });

  it("answers 404 for a map that does not exist", async () => {
    expect((await staff.agent.get("/staff/maps/income.svg")).status).toBe(404);
    expect((await staff.agent.get("/staff/maps/penetration.gif")).status).toBe(404);
  });
});
