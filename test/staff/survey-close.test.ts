// Closing a survey that kiosks are showing (issue 16): the staff page names the kiosks (from their
// recent responses) and asks for confirmation before closing; without kiosks it closes at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addLocation } from "../../server/kiosk/locations.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { insertResponse } from "../../server/queries/responses.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { newId, PROJECT_SURVEYS } from "../helpers/app.ts";
import { enrolledKiosk } from "../kiosk/enrol.ts";
import { createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  await addLocation(t.db, "central", "Central Library", commandLine());
  const survey = await findSurvey(t.db, "community-needs");
  if (!survey) throw new Error("community-needs survey missing");
  for (const [location, daysAgo] of [
    ["central", 2],
    ["old-fair", 90],
  ] as const) {
    await insertResponse(t.db, {
      id: newId(),
      surveySlug: survey.slug,
      versionId: survey.versionId,
      language: "en",
      channel: "kiosk",
      location,
      startedAt: null,
      submittedAt: new Date(Date.now() - daysAgo * 86_400_000),
      data: { library_use: "weekly" },
    });
  }
});
afterAll(() => t.close());

describe("closing a survey shown on kiosks", () => {
  it("lists the kiosks showing each open survey", async () => {
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const page = await agent.get("/staff/surveys");
    expect(page.text).toContain("On kiosks at Central Library (kiosks that opened it");
    expect(page.text).not.toContain("old-fair");
  });

  it("names the kiosks and asks before closing; closes once confirmed", async () => {
    const { agent, csrf } = await loginAs(t.app, emailFor("admin"));
    const ask = await agent
      .post("/staff/surveys/community-needs/status")
      .type("form")
      .send({ _csrf: csrf, status: "closed" });
    expect(ask.status).toBe(409);
    expect(ask.text).toContain("Kiosks are showing this survey");
    expect(ask.text).toContain("<strong>Central Library</strong>");
    expect(ask.text).toContain('name="confirmKiosks" value="yes"');
    expect((await findSurvey(t.db, "community-needs"))?.status).toBe("open");

    const done = await agent
      .post("/staff/surveys/community-needs/status")
      .type("form")
      .send({ _csrf: csrf, status: "closed", confirmKiosks: "yes" });
    expect(done.status).toBe(303);
    expect((await findSurvey(t.db, "community-needs"))?.status).toBe("closed");
  });

  it("names a kiosk that has the survey open though nobody answered there yet", async () => {
    await addLocation(t.db, "eastside", "Eastside Branch", commandLine());
    const kiosk = await enrolledKiosk(t);
    expect((await kiosk.get("/kiosk/program-followup?location=eastside")).status).toBe(404);
    const shown = await kiosk.get("/kiosk/plan-input?location=eastside");
    expect(shown.status).toBe(200);
    const { agent, csrf } = await loginAs(t.app, emailFor("admin"));
    const ask = await agent
      .post("/staff/surveys/plan-input/status")
      .type("form")
      .send({ _csrf: csrf, status: "closed" });
    expect(ask.status).toBe(409);
    expect(ask.text).toContain("<strong>Eastside Branch</strong>");
  });

  it("closes a survey no kiosk shows without asking", async () => {
    const { agent, csrf } = await loginAs(t.app, emailFor("admin"));
    const res = await agent
      .post("/staff/surveys/program-outcome/status")
      .type("form")
      .send({ _csrf: csrf, status: "closed" });
    expect(res.status).toBe(303);
    expect((await findSurvey(t.db, "program-outcome"))?.status).toBe("closed");
  });
});
