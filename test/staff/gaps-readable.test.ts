// The gaps page read in two minutes (issue 16): findings first, grouped by dimension, one sentence
// each with its number and interval; "no clear difference" apart; areas by name; and a tiny or
// partial patron export is called too small to conclude instead of "nothing stands out".
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataSufficiency } from "../../server/analysis/data-sufficiency.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { DEMO_DIR, loadDemoData } from "../../server/imports/demo.ts";
import { DEMO_AS_OF, DEMO_FILES } from "../../server/imports/demo-data.ts";
import { loadMapping } from "../../server/imports/mapping.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { areaLabel } from "../../server/reports/gaps-page.ts";
import { usageGapText } from "../../server/reports/usage-gap-text.ts";
import { runUsageGapAnalysis } from "../../server/reports/usage-gaps.ts";
import { tempDir } from "../imports/helpers.ts";
import { createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

describe("area names", () => {
  it("names tracts, block groups, ZIP codes and numbered areas, never a bare number", () => {
    expect(areaLabel("99001980401", "99001980401")).toBe("Tract 9804.01");
    expect(areaLabel("99001001000", "99001001000")).toBe("Tract 10");
    expect(areaLabel("990010010002", "990010010002")).toBe("Block group 2, tract 10");
    expect(areaLabel("94110", "94110")).toBe("ZIP 94110");
    expect(areaLabel("11", "11")).toBe("Area 11");
    expect(areaLabel("District 11", "11")).toBe("District 11");
    expect(areaLabel("Census Tract 32; Riverbend County; Demo State", "99001003200")).toBe(
      "Tract 32",
    );
  });
});

describe("the demo's gaps page", () => {
  let t: StaffTestApp;
  beforeAll(async () => {
    t = await createStaffTestApp();
    await loadDemoData(t.db, { force: true });
  }, 120_000);
  afterAll(() => t.close());

  it("opens with findings by dimension, then no clear difference, then the details", async () => {
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const page = (await agent.get("/staff/gaps")).text;
    const findings = page.indexOf('id="findings-heading"');
    expect(findings).toBeGreaterThan(0);
    expect(findings).toBeLessThan(page.indexOf('id="active-rule-heading"'));
    expect(findings).toBeLessThan(page.indexOf('id="dim-age"'));
    expect(page).not.toContain("Too little data to conclude");
    // One sentence per planted gap, with its shares and interval, under its dimension.
    expect(page).toMatch(
      /<h3>By age<\/h3>\s*<ul class="findings">\s*<li>20 to 24 years: [\d.]+% of active users against [\d.]+% of residents, fewer than their share; representation index 0\.\d\d \(95% interval 0\.\d\d–0\.\d\d\)\.<\/li>/,
    );
    expect(page).toMatch(/<li>Spanish: [^<]+representation index 0\.6\d/);
    expect(page).toMatch(
      /<h3>No clear difference<\/h3>[\s\S]*?<li><strong>By age:<\/strong> 75 to 79 years 1\.\d\d \(0\.\d\d–1\.\d\d\)/,
    );
    expect(page).toMatch(
      /<h3>Small differences, not flagged<\/h3>[\s\S]*?Under 5 years 1\.\d\d \(1\.\d\d–1\.\d\d\)/,
    );
    expect(page).toMatch(/<th scope="row">Tract 32 \(99001003200\)/);
    // Priority area by name, rate per 1,000 with its interval.
    expect(page).toMatch(
      /<li>Tract 32: \d+ active users per 1,000 residents \(95% interval \d+–\d+\), against \d+ per 1,000/,
    );
    expect(page).not.toMatch(/<th scope="row">99001\d{6}/);
  });
});

describe("a tiny patron export", () => {
  let t: StaffTestApp;
  beforeAll(async () => {
    t = await createStaffTestApp();
    for (const key of ["age", "language"] as const) {
      await importCommunity(t.db, {
        by: commandLine(),
        file: path.join(DEMO_DIR, DEMO_FILES[key]),
        format: "acs",
      });
    }
    // 20 patrons of one tract: what a first try with a part of the export looks like.
    const rows = parse(readFileSync(path.join(DEMO_DIR, DEMO_FILES.patrons)), {
      columns: true,
    }) as Record<string, string>[];
    const few = rows.filter((r) => r.CENSUS === "99001000300").slice(0, 20);
    const file = path.join(tempDir(), "patrons-20.csv");
    writeFileSync(file, stringify(few, { header: true }));
    const mappingFile = path.join(DEMO_DIR, DEMO_FILES.mapping);
    await importCirculation(t.db, {
      by: commandLine(),
      file,
      mapping: await loadMapping(mappingFile),
      mappingFile,
      asOf: DEMO_AS_OF,
    });
  }, 120_000);
  afterAll(() => t.close());

  it("is called too small to conclude, with the minimum and why, on the page and in the CLI report", async () => {
    const report = await runUsageGapAnalysis(t.db, {
      by: commandLine(),
      suppressBelow: 10,
      save: true,
    });
    const sufficiency = dataSufficiency(report.document);
    expect(sufficiency.conclusive).toBe(false);
    expect(sufficiency.reasons.join(" ")).toMatch(/only 1 of 40 areas/);
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const page = (await agent.get("/staff/gaps")).text;
    expect(page).toContain("Too little data to conclude");
    expect(page).toContain("at least 5 active users in proportion to its size");
    expect(page).toMatch(
      /By age: (&lt;10|\d+) active users|By age: with \d+ active users, \d+ of \d+ groups would expect fewer than 5/,
    );
    expect(page).not.toMatch(/No group stands out\.</);
    expect(usageGapText(report)).toContain("TOO LITTLE DATA TO CONCLUDE");
  });
});
