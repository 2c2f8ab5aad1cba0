import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../server/queries/audit-log.ts";
import { findResponse } from "../../server/queries/responses.ts";
import { findSurveyStatus } from "../../server/queries/surveys.ts";
import { newId, PROJECT_SURVEYS } from "../helpers/app.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
let staff: { agent: Agent; csrf: string };
let admin: { agent: Agent; csrf: string };

beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  await t.db("kiosk_locations").insert({ id: "eastside", name: "Eastside Branch", retired: false });
  staff = await loginAs(t.app, emailFor("staff"));
  admin = await loginAs(t.app, emailFor("admin"));
});
afterAll(() => t.close());

describe("survey management", () => {
  it("lets an admin close and reopen a survey, and logs both", async () => {
    const close = await admin.agent
      .post("/staff/surveys/community-needs/status")
      .type("form")
      .send({ status: "closed", _csrf: admin.csrf });
    expect(close.status).toBe(303);
    expect((await findSurveyStatus(t.db, "community-needs"))?.status).toBe("closed");
    expect((await request(t.app).get("/s/community-needs")).status).toBe(410);
    await admin.agent
      .post("/staff/surveys/community-needs/status")
      .type("form")
      .send({ status: "open", _csrf: admin.csrf });
    expect((await findSurveyStatus(t.db, "community-needs"))?.status).toBe("open");
    const actions = (await listAudit(t.db, {})).map((e) => `${e.action} ${e.target}`);
    expect(actions).toEqual(
      expect.arrayContaining(["survey.close community-needs", "survey.open community-needs"]),
    );
  });

  it("refuses open/close to the staff role", async () => {
    const res = await staff.agent
      .post("/staff/surveys/community-needs/status")
      .type("form")
      .send({ status: "closed", _csrf: staff.csrf });
    expect(res.status).toBe(403);
  });

  it("downloads the public link as a QR code, PNG and SVG, per language", async () => {
    const png = await staff.agent.get("/staff/surveys/community-needs/qr.png?lang=vi");
    expect(png.status).toBe(200);
    expect(png.headers["content-type"]).toBe("image/png");
    expect(png.headers["content-disposition"]).toContain("community-needs-vi-qr.png");
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe("PNG");
    const svg = await staff.agent.get("/staff/surveys/community-needs/qr.svg?lang=ar");
    expect(svg.headers["content-type"]).toContain("image/svg+xml");
    expect(String(svg.body)).toContain("<svg");
  });

  it("prints a flyer in the chosen languages, each with its own link", async () => {
    const res = await staff.agent.get("/staff/surveys/community-needs/flyer?lang=es&lang=ko");
    expect(res.status).toBe(200);
    expect(res.text).toContain('<section class="flyer-block" lang="es" dir="ltr">');
    expect(res.text).toContain('<section class="flyer-block" lang="ko" dir="ltr">');
    expect(res.text).toContain("Su biblioteca quiere escucharle");
    expect(res.text).toContain("/s/community-needs?lang=ko");
    expect(res.text).not.toContain("Your library wants to hear from you");
  });

  it("prints the paper version right to left in Arabic, with no English in it", async () => {
    const res = await staff.agent.get("/staff/surveys/community-needs/paper?lang=ar");
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="ar" dir="rtl">');
    const printed = res.text.replace(/<nav class="no-print[\s\S]*?<\/nav>/, "");
    expect(printed).not.toMatch(/Answer only|Please answer|Thank you/);
    expect(printed).toContain("أجيبوا فقط");
  });

  it("records a paper response with its place, through the survey's validation", async () => {
    const id = newId();
    const res = await staff.agent
      .post("/staff/surveys/community-needs/entry")
      .set("X-CSRF-Token", staff.csrf)
      .set("Accept", "application/json")
      .send({
        id,
        language: "es",
        channel: "paper",
        location: "eastside",
        data: { library_use: "never", would_bring_you: "Horario de noche" },
      });
    expect(res.status).toBe(201);
    const stored = await findResponse(t.db, id);
    expect(stored).toMatchObject({ channel: "paper", location: "eastside", language: "es" });
  });

  it("refuses an invalid paper response, naming the question", async () => {
    const res = await staff.agent
      .post("/staff/surveys/community-needs/entry")
      .set("X-CSRF-Token", staff.csrf)
      .set("Accept", "application/json")
      .send({ id: newId(), language: "en", channel: "event", data: { library_use: "sometimes" } });
    expect(res.status).toBe(400);
    expect(res.body.details[0].question).toBe("library_use");
  });

  it("refuses a web channel or an unknown place in data entry", async () => {
    const web = await staff.agent
      .post("/staff/surveys/community-needs/entry")
      .set("X-CSRF-Token", staff.csrf)
      .set("Accept", "application/json")
      .send({ id: newId(), language: "en", channel: "web", data: { library_use: "never" } });
    expect(web.status).toBe(400);
    const place = await staff.agent
      .post("/staff/surveys/community-needs/entry")
      .set("X-CSRF-Token", staff.csrf)
      .set("Accept", "application/json")
      .send({
        id: newId(),
        language: "en",
        channel: "paper",
        location: "atlantis",
        data: { library_use: "never" },
      });
    expect(place.status).toBe(400);
    expect(place.body.details[0].question).toBe("(location)");
  });

  it("lets the public API take a paper response only from a logged-in staff member with the token", async () => {
    const body = { id: newId(), language: "en", channel: "paper", data: { library_use: "never" } };
    const anonymous = await request(t.app)
      .post("/api/surveys/community-needs/responses")
      .send(body);
    expect(anonymous.status).toBe(403);
    const noToken = await staff.agent.post("/api/surveys/community-needs/responses").send(body);
    expect(noToken.status).toBe(403);
    const withToken = await staff.agent
      .post("/api/surveys/community-needs/responses")
      .set("X-CSRF-Token", staff.csrf)
      .send(body);
    expect(withToken.status).toBe(201);
  });

  it("shows preview and data-entry pages that carry the survey in the chosen language", async () => {
    const preview = await staff.agent.get("/staff/surveys/community-needs/preview?lang=zh");
    expect(preview.text).toContain('data-mode="preview"');
    expect(preview.text).toContain('data-lang="zh"');
    const entry = await staff.agent.get("/staff/surveys/community-needs/entry");
    expect(entry.text).toContain('<option value="eastside">Eastside Branch</option>');
    expect(entry.text).toContain('<option value="paper">');
  });
});
