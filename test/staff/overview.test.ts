import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoData } from "../../server/imports/demo.ts";
import { insertResponse } from "../../server/queries/responses.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { buildOverview, weekOf } from "../../server/reports/overview.ts";
import { newId, PROJECT_SURVEYS } from "../helpers/app.ts";
import { createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;

/**
 * 40 responses to the needs survey: 25 in English on the web, 12 in Spanish on paper, 3 in Arabic
 * at a kiosk; 14 of them from people who never use the library.
 */
beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  const survey = await findSurvey(t.db, "community-needs");
  if (!survey) throw new Error("community-needs survey missing");
  const plan = [
    { n: 25, language: "en", channel: "web", location: null, day: "2026-03-02" },
    { n: 12, language: "es", channel: "paper", location: "main", day: "2026-03-10" },
    { n: 3, language: "ar", channel: "kiosk", location: "main", day: "2026-03-11" },
  ];
  let i = 0;
  for (const group of plan) {
    for (let j = 0; j < group.n; j++, i++) {
      await insertResponse(t.db, {
        id: newId(),
        surveySlug: survey.slug,
        versionId: survey.versionId,
        language: group.language,
        channel: group.channel,
        location: group.location,
        startedAt: null,
        submittedAt: new Date(`${group.day}T12:00:00Z`),
        data: { library_use: i < 14 ? "never" : "monthly" },
      });
    }
  }
});
afterAll(() => t.close());

describe("staff overview", () => {
  it("counts responses per survey and the non-users heard", async () => {
    const overview = await buildOverview(t.db, { suppressBelow: 10 });
    const needs = overview.surveys.find((s) => s.slug === "community-needs");
    expect(needs?.responses.display).toBe("40");
    expect(needs?.nonUsers?.count.display).toBe("14");
    expect(needs?.nonUsers?.share).toBe("35%");
    expect(needs?.lastResponse).toBe("2026-03-11");
  });

  it("suppresses the 3 Arabic responses, and the Spanish ones that would give them away", async () => {
    const overview = await buildOverview(t.db, { suppressBelow: 10 });
    const rows = overview.byLanguage.rows.map((r) => [r.label, r.cells[0]?.display]);
    expect(rows).toEqual([
      ["English", "25"],
      ["Spanish", "suppressed"],
      ["Arabic", "<10"],
    ]);
    expect(overview.byLanguage.totals?.cells[0]?.display).toBe("40");
  });

  it("withholds the grand total when a survey with a few responses could be worked out from it (issue 13)", async () => {
    // A survey's count of 10 or more is shown on its own results page, so a survey with 4
    // responses beside it would be total − 40: the total goes instead, on every table.
    const local = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
    try {
      for (const [slug, n] of [
        ["community-needs", 40],
        ["plan-input", 4],
      ] as const) {
        const survey = await findSurvey(local.db, slug);
        if (!survey) throw new Error(`${slug} survey missing`);
        for (let j = 0; j < n; j++)
          await insertResponse(local.db, {
            id: newId(),
            surveySlug: slug,
            versionId: survey.versionId,
            language: "en",
            channel: "web",
            location: null,
            startedAt: null,
            submittedAt: new Date("2026-03-02T12:00:00Z"),
            data: {},
          });
      }
      const overview = await buildOverview(local.db, { suppressBelow: 10 });
      const count = (slug: string) => overview.surveys.find((s) => s.slug === slug)?.responses;
      expect(count("community-needs")?.display).toBe("40");
      expect(count("plan-input")?.display).toBe("<10");
      // …and a table whose only row would equal the total is withheld too.
      for (const table of [overview.byLanguage, overview.byChannel, overview.byLocation]) {
        expect(table.totals?.cells[0]?.display).toBe("suppressed");
        expect(table.rows.map((r) => r.cells[0]?.display)).toEqual(["suppressed"]);
      }
    } finally {
      await local.close();
    }
  });

  it("groups responses by the week they arrived (weeks start on Monday)", async () => {
    expect(weekOf("2026-03-11")).toBe("2026-03-09");
    expect(weekOf("2026-03-09")).toBe("2026-03-09");
    expect(weekOf("2026-03-08")).toBe("2026-03-02");
    const overview = await buildOverview(t.db, { suppressBelow: 10 });
    expect(overview.overTime.rows.map((r) => [r.label, r.total?.display])).toEqual([
      ["2026-03-02", "25"],
      ["2026-03-09", "15"],
    ]);
  });

  it("lists the latest imports and analyses", async () => {
    expect((await buildOverview(t.db, { suppressBelow: 10 })).latest).toEqual([]);
    await loadDemoData(t.db, { force: true, activity: false });
    const latest = (await buildOverview(t.db, { suppressBelow: 10 })).latest;
    expect(latest.map((l) => l.what)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Patron export imported: /)]),
    );
  }, 60_000);

  it("shows the same suppressed numbers on the page, with a data table for every chart", async () => {
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const res = await agent.get("/staff");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Responses by language");
    expect(res.text).toMatch(/<th scope="row">Arabic<\/th>\s*<td class="suppressed">&lt;10<\/td>/);
    const figures = res.text.match(/<figure class="chart"/g) ?? [];
    const tables = res.text.match(/<details class="chart-table"/g) ?? [];
    expect(figures.length).toBeGreaterThanOrEqual(4);
    expect(tables.length).toBe(figures.length);
  });
});
