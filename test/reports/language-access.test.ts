// The language-access ranking from ACS C16001. Fixture: test/fixtures/language-access (the real
// data.census.gov column layout and labels, illustrative values; see its README). The expected
// sums, margins, shares and safe-harbor results in expected.json were computed by
// make_fixture.py (Python, independent of this code) from the ACS handbook's formulas.
import { readFileSync } from "node:fs";
import path from "node:path";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { safeHarborThreshold } from "../../server/analysis/safe-harbor-threshold.ts";
import { ROOT_DIR } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { populationBy } from "../../server/queries/community.ts";
import {
  type LanguageRanking,
  languageAccessReport,
  rankLanguages,
} from "../../server/reports/language-access.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import { freshDb, tempFile } from "../imports/helpers.ts";
import { seedResponses } from "../rubric/helpers.ts";
import { createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "../staff/helpers.ts";

const DIR = path.join(ROOT_DIR, "test", "fixtures", "language-access");
const CENSUS = path.join(DIR, "ACSDT5Y2022.C16001-Data.csv");
const TIDY = path.join(DIR, "c16001-tidy.csv");
const expected = JSON.parse(readFileSync(path.join(DIR, "expected.json"), "utf8")) as {
  serviceArea: Expected;
  areas: Record<string, Expected>;
};
interface Expected {
  population: number;
  populationMoe: number;
  safeHarborThreshold: number;
  languages: {
    group: string;
    speakers: number;
    limitedEnglish: number;
    limitedEnglishMoe: number;
    share: number;
    shareMoe: number;
    reliable: boolean;
    meetsSafeHarbor: boolean;
  }[];
}

function expectRanking(actual: LanguageRanking, want: Expected) {
  expect(actual.population).toBe(want.population);
  expect(actual.populationMoe).toBeCloseTo(want.populationMoe, 4);
  expect(actual.safeHarborThreshold).toBeCloseTo(want.safeHarborThreshold, 9);
  expect(actual.languages.map((l) => l.group)).toEqual(want.languages.map((l) => l.group));
  actual.languages.forEach((language, index) => {
    const w = want.languages[index] as Expected["languages"][number];
    expect(language.speakers).toBe(w.speakers);
    expect(language.limitedEnglish).toBe(w.limitedEnglish);
    expect(language.limitedEnglishMoe).toBeCloseTo(w.limitedEnglishMoe, 4);
    expect(language.share).toBeCloseTo(w.share, 8);
    expect(language.shareMoe).toBeCloseTo(w.shareMoe, 8);
    expect(language.reliable).toBe(w.reliable);
    expect(
      language.safeHarbor !== "below" && language.limitedEnglish >= actual.safeHarborThreshold,
    ).toBe(w.meetsSafeHarbor);
  });
}

describe("C16001 import with the speakers of English less than 'very well'", () => {
  let db: Db;
  beforeEach(async () => {
    db = await freshDb();
  });
  afterEach(() => db.destroy());

  it("stores each group's total and its 'less than very well' count from a data.census.gov file with its label row", async () => {
    const report = await importCommunity(db, { by: commandLine(), file: CENSUS });
    expect(report.rowsAccepted).toBe(3);
    const lep = await populationBy(db, { dimension: "english_less_than_very_well" });
    const tract = lep.filter((cell) => cell.geoid === "27053104800");
    expect(tract).toHaveLength(12); // every group but English only
    expect(tract.find((c) => c.category === "Other and unspecified")).toMatchObject({
      count: 1385, // C16001_038E
      moe: 290, // C16001_038M
    });
    const speakers = await populationBy(db, { dimension: "language" });
    expect(speakers.filter((c) => c.geoid === "27053104800")).toHaveLength(13);
  });

  it("reads the same file without its label row, and the tidy CSV, to the same ranking", async () => {
    const lines = readFileSync(CENSUS, "utf8").split("\n");
    const noLabels = tempFile(
      "ACSDT5Y2022.C16001-Data.csv",
      [lines[0], ...lines.slice(2)].join("\n"),
    );
    await importCommunity(db, { by: commandLine(), file: noLabels });
    const fromCensus = await languageAccessReport(db, { suppressBelow: 10 });
    const other = await freshDb();
    await importCommunity(other, { by: commandLine(), file: TIDY, year: 2022 });
    const fromTidy = await languageAccessReport(other, { suppressBelow: 10 });
    await other.destroy();
    expect(fromCensus).not.toBeNull();
    if (!fromCensus || !fromTidy) throw new Error("no report");
    expectRanking(fromCensus.serviceArea, expected.serviceArea);
    expectRanking(fromTidy.serviceArea, expected.serviceArea);
  });

  it("refuses a row whose 'less than very well' count exceeds its language's total, naming the column", async () => {
    const lines = readFileSync(CENSUS, "utf8").split("\n");
    const cells = (lines[2] as string).split(",");
    const header = (lines[0] as string).split(",");
    const column = header.indexOf('"C16001_005E"');
    cells[column] = '"99999"';
    const file = tempFile(
      "ACSDT5Y2022.C16001-Data.csv",
      [lines[0], lines[1], cells.join(","), lines[3], ""].join("\n"),
    );
    const report = await importCommunity(db, { by: commandLine(), file });
    expect(report.rejected["a subset is larger than its whole (C16001)"]).toMatchObject({
      lines: [3],
      column: "C16001_005E",
    });
  });
});

describe("the ranking", () => {
  let db: Db;
  beforeEach(async () => {
    db = await freshDb();
    await importCommunity(db, { by: commandLine(), file: CENSUS });
  });
  afterEach(() => db.destroy());

  it("ranks by speakers of English less than 'very well' with √ΣMOE² margins, shares, reliability and the safe harbor, for the service area and each area", async () => {
    const report = await languageAccessReport(db, { suppressBelow: 10 });
    if (!report) throw new Error("no report");
    expect(report.geography).toBe("tract");
    expectRanking(report.serviceArea, expected.serviceArea);
    expect(report.areas.map((a) => a.geoid).sort()).toEqual(Object.keys(expected.areas).sort());
    for (const area of report.areas) expectRanking(area, expected.areas[area.geoid] as Expected);
    expect(report.note).toContain("not legal advice");
  });

  it("uses 1,000 people or 5% of the population, whichever is less", () => {
    expect(safeHarborThreshold(13820)).toBeCloseTo(691, 9);
    expect(safeHarborThreshold(20000)).toBe(1000);
    expect(safeHarborThreshold(30000)).toBe(1000);
    expect(() => safeHarborThreshold(-1)).toThrow(/safeHarborThreshold/);
  });

  it("marks a group 'near' when the 90% interval straddles the threshold, and unknown reliability without margins", () => {
    const speakers = [
      { category: "English only", count: 18000, moe: null },
      { category: "Spanish", count: 2000, moe: null },
    ];
    // Threshold min(1000, 5% of 20,000) = 1000.
    const near = rankLanguages(
      speakers.map((c) => ({ ...c, moe: 50 })),
      [{ category: "Spanish", count: 950, moe: 100 }],
    );
    expect(near.languages[0]).toMatchObject({ safeHarbor: "near", reliable: true });
    const meets = rankLanguages(
      speakers.map((c) => ({ ...c, moe: 50 })),
      [{ category: "Spanish", count: 1200, moe: 100 }],
    );
    expect(meets.languages[0]?.safeHarbor).toBe("meets");
    const unknown = rankLanguages(speakers, [{ category: "Spanish", count: 1200, moe: null }]);
    expect(unknown.languages[0]).toMatchObject({
      safeHarbor: "meets",
      reliable: null,
      shareMoe: null,
    });
  });
});

describe("/staff/languages", () => {
  let t: StaffTestApp;
  beforeEach(async () => {
    t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  });
  afterEach(() => t.close());

  it("says what to import when there is no language table", async () => {
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const page = await agent.get("/staff/languages");
    expect(page.status).toBe(200);
    expect(page.text).toContain("No language table is imported yet");
    expect((await agent.get("/staff/languages.json")).status).toBe(409);
  });

  it("shows, beside each language, whether each open survey offers it, its responses (small counts hidden) and responses per 1,000 speakers", async () => {
    await importCommunity(t.db, { by: commandLine(), file: CENSUS });
    const base = { library_use: "never", home_languages: ["spanish"], age_band: "25_34" };
    await seedResponses(t.db, "community-needs", 12, { language: "es", data: base });
    await seedResponses(t.db, "community-needs", 3, { language: "ar", data: base });
    const { agent } = await loginAs(t.app, emailFor("staff"));

    const json = await agent.get("/staff/languages.json");
    expect(json.status).toBe(200);
    const spanish = json.body.serviceArea.languages.find(
      (l: { group: string }) => l.group === "Spanish",
    );
    const needs = spanish.surveys.find((s: { slug: string }) => s.slug === "community-needs");
    expect(needs.offered).toEqual(["es"]);
    expect(needs.responses.display).toBe("12");
    expect(needs.per1000Speakers).toBeCloseTo((1000 * 12) / 1268, 9); // 1,268 Spanish speakers
    const arabic = json.body.serviceArea.languages.find(
      (l: { group: string }) => l.group === "Arabic",
    );
    const arabicNeeds = arabic.surveys.find((s: { slug: string }) => s.slug === "community-needs");
    expect(arabicNeeds.responses).toEqual({ value: null, display: "<10", suppressed: true });
    expect(arabicNeeds.per1000Speakers).toBeNull();

    const page = await agent.get("/staff/languages");
    expect(page.text).toContain("Other and unspecified");
    expect(page.text).toContain("not legal advice");
    expect(page.text).toContain("&lt;10");

    const csv = await agent.get("/staff/languages.csv");
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    const rows = csv.text.trim().split("\r\n");
    expect(rows[0]).toContain("speak_english_less_than_very_well");
    expect(rows[1]).toMatch(/^service area,,Other and unspecified,1,2950,/);
    const column = (rows[0] ?? "").split(",").indexOf("community-needs_offered_in");
    const arabicRow = rows.find((row) => row.startsWith("service area,,Arabic,")) ?? "";
    // Offered in Arabic; its 3 responses hidden, and so the rate derived from them.
    expect(arabicRow.split(",").slice(column, column + 3)).toEqual(["ar", "<10", ""]);
  });

  it("is for logged-in staff only", async () => {
    const res = await request(t.app).get("/staff/languages.json");
    expect([302, 303, 401]).toContain(res.status);
  });
});
