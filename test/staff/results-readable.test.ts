// Results in words (issue 16): rating anchors and choice text instead of codes, and a chart whose
// values are all withheld says so instead of drawing empty axes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertResponse } from "../../server/queries/responses.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { newId, PROJECT_SURVEYS } from "../helpers/app.ts";
import { createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  const survey = await findSurvey(t.db, "community-needs");
  if (!survey) throw new Error("community-needs survey missing");
  // 30 answers to the welcome rating, spread so every value but 5 has 10 or more; only 3
  // answers to the belonging rating, each alone in its cell (all withheld).
  const ratings = [...Array(10).fill(3), ...Array(10).fill(4), ...Array(7).fill(5), 1, 2, 2];
  for (const [i, rating] of ratings.entries()) {
    await insertResponse(t.db, {
      id: newId(),
      surveySlug: survey.slug,
      versionId: survey.versionId,
      language: "en",
      channel: "web",
      location: null,
      startedAt: null,
      submittedAt: new Date("2026-11-02T10:00:00Z"),
      data: {
        library_use: "monthly",
        feel_welcome: rating,
        ...(i < 3 ? { belonging: i + 1 } : {}),
      },
    });
  }
});
afterAll(() => t.close());

describe("survey results in words", () => {
  it("labels rating ends with their anchors and choices with their text", async () => {
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const page = (await agent.get("/staff/surveys/community-needs")).text;
    expect(page).toContain('<th scope="row">1 = Not at all</th>');
    expect(page).toContain('<th scope="row">5 = Very much</th>');
    expect(page).toContain('<th scope="row">Every month, but not every week</th>');
    expect(page).not.toMatch(/<th scope="row">few_times_year<\/th>/);
  });

  it("says a chart is withheld when every value in it is, and draws the others", async () => {
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const page = (await agent.get("/staff/surveys/community-needs")).text;
    const belonging = page.slice(page.indexOf('id="q-belonging"'));
    expect(belonging.slice(0, 3000)).toContain("Nothing to draw: every count here is below 10");
    expect(page).toMatch(/<figure class="chart" id="q-belonging"[^>]*data-all-withheld="true"/);
    expect(page).not.toMatch(/<figure class="chart" id="q-feel_welcome"[^>]*data-all-withheld/);
  });
});
