// Regression: anyone on the internet could open /kiosk and start kiosk mode for a library's place.
// Now a device must be enrolled first, by a logged-in staff member or with an enrolment code.
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { createEnrolmentCode } from "../../server/kiosk/enrolment.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { testConfig } from "../helpers/app.ts";
import { createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "../staff/helpers.ts";

const FIXTURES = path.join(ROOT_DIR, "test", "kiosk", "fixtures");
const KIOSK_PAGE = "/kiosk/kiosk-ok?location=central";

let t: StaffTestApp;
beforeAll(async () => {
  t = await createStaffTestApp({
    surveysDir: path.join(FIXTURES, "surveys"),
    config: {
      kiosk: { ...testConfig().kiosk, locationsFile: path.join(FIXTURES, "kiosks.json") },
    },
  });
});
afterAll(() => t.close());

const deviceCookie = (res: request.Response) =>
  ((res.headers["set-cookie"] as unknown as string[] | undefined) ?? []).find((c) =>
    c.startsWith("opendoor.kiosk="),
  );

async function makeCode(label: string): Promise<string> {
  const admin = await loginAs(t.app, emailFor("admin"));
  const res = await admin.agent
    .post("/staff/kiosks/codes")
    .type("form")
    .send({ label, _csrf: admin.csrf });
  expect(res.status).toBe(200);
  const code = /<code id="new-code">([A-Z0-9-]+)<\/code>/.exec(res.text)?.[1];
  if (!code) throw new Error("no code on the page");
  return code;
}

describe("starting kiosk mode", () => {
  it("asks a browser that is not enrolled for a code, and shows it no kiosk links", async () => {
    const setup = await request(t.app).get("/kiosk?lang=es");
    expect(setup.status).toBe(200);
    expect(setup.text).toContain("Código de registro");
    expect(setup.text).not.toContain('href="/kiosk/kiosk-ok');
    const page = await request(t.app).get(`${KIOSK_PAGE}&lang=es`);
    expect(page.status).toBe(403);
    expect(page.text).toContain("Este dispositivo no está configurado como quiosco");
    expect(page.text).not.toContain("kiosk-data");
  });

  it("enrols a tablet with a code an admin made, shown once and stored only as a hash", async () => {
    const code = await makeCode("Central tablets");
    const stored = await t.db("kiosk_enrolment_codes").where({ label: "Central tablets" }).first();
    expect(stored.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(code.replaceAll("-", ""));
    const admin = await loginAs(t.app, emailFor("admin"));
    expect((await admin.agent.get("/staff/kiosks")).text).not.toContain(code);

    const tablet = request.agent(t.app);
    // Typed in lower case without dashes: still the code.
    const enrol = await tablet
      .post("/kiosk/enrol")
      .type("form")
      .send({ code: code.replaceAll("-", "").toLowerCase() });
    expect(enrol.status).toBe(303);
    expect(deviceCookie(enrol)).toMatch(/; HttpOnly; SameSite=Lax$/);
    expect((await tablet.get(KIOSK_PAGE)).status).toBe(200);
    expect((await tablet.get("/kiosk")).text).toContain('href="/kiosk/kiosk-ok?location=central');

    const [made] = await listAudit(t.db, { action: "kiosk.code.add" });
    expect(made).toMatchObject({ actorEmail: emailFor("admin"), target: "Central tablets" });
    expect((await listAudit(t.db, { action: "kiosk.enrol" })).length).toBeGreaterThan(0);
  });

  it("refuses a wrong, expired or withdrawn code, and a withdrawn code stops its kiosks", async () => {
    const tryCode = (code: string) =>
      request(t.app).post("/kiosk/enrol").type("form").send({ code });
    const wrong = await tryCode("AAAA-BBBB-CCCC");
    expect(wrong.status).toBe(403);
    expect(deviceCookie(wrong)).toBeUndefined();
    expect(wrong.text).toContain("That enrolment code is not valid");

    const old = await createEnrolmentCode(t.db, "Old", null, new Date(Date.now() - 8 * 86_400_000));
    expect((await tryCode(old.code)).status).toBe(403);

    const code = await makeCode("East branch");
    const tablet = request.agent(t.app);
    await tablet.post("/kiosk/enrol").type("form").send({ code });
    expect((await tablet.get(KIOSK_PAGE)).status).toBe(200);
    const id = (await t.db("kiosk_enrolment_codes").where({ label: "East branch" }).first()).id;
    const admin = await loginAs(t.app, emailFor("admin"));
    const withdraw = await admin.agent
      .post(`/staff/kiosks/codes/${id}/revoke`)
      .type("form")
      .send({ _csrf: admin.csrf });
    expect(withdraw.status).toBe(303);
    expect((await tablet.get(KIOSK_PAGE)).status).toBe(403);
    expect((await tryCode(code)).status).toBe(403);
    const [entry] = await listAudit(t.db, { action: "kiosk.code.revoke" });
    expect(entry).toMatchObject({ actorEmail: emailFor("admin"), target: "East branch" });
  });

  it("lets a logged-in staff member enrol the device without a code", async () => {
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const setup = await agent.get("/kiosk");
    expect(setup.text).toContain("You are logged in as staff@library.test");
    const enrol = await agent.post("/kiosk/enrol").type("form").send({});
    expect(enrol.status).toBe(303);
    expect(deviceCookie(enrol)).toBeDefined();
    expect((await agent.get(KIOSK_PAGE)).status).toBe(200);
    const [entry] = await listAudit(t.db, { action: "kiosk.enrol" });
    expect(entry).toMatchObject({
      actorEmail: emailFor("staff"),
      details: { by: "staff session" },
    });
  });

  it("refuses an enrolment posted from another site", async () => {
    const { code } = await createEnrolmentCode(t.db, "Cross-site", null);
    const fromElsewhere = [
      { "Sec-Fetch-Site": "cross-site", Origin: "null" },
      { "Sec-Fetch-Site": "same-site" },
      { Origin: "https://evil.example" },
    ];
    for (const headers of fromElsewhere) {
      const res = await request(t.app)
        .post("/kiosk/enrol")
        .set(headers)
        .type("form")
        .send({ code });
      expect(`${JSON.stringify(headers)} → ${res.status}`).toBe(`${JSON.stringify(headers)} → 403`);
      expect(deviceCookie(res)).toBeUndefined();
    }
  });

  it("limits code guesses from one address and says when to try again, translated", async () => {
    const limited = await createStaffTestApp({
      surveysDir: path.join(FIXTURES, "surveys"),
      config: {
        kiosk: { ...testConfig().kiosk, locationsFile: path.join(FIXTURES, "kiosks.json") },
      },
    });
    try {
      const guess = () =>
        request(limited.app)
          .post("/kiosk/enrol?lang=es")
          .type("form")
          .send({ code: "ZZZZ-ZZZZ-ZZZZ" });
      for (let i = 0; i < 10; i++) expect((await guess()).status).toBe(403);
      const blocked = await guess();
      expect(blocked.status).toBe(429);
      expect(blocked.text).toContain("Minutos que faltan para volver a intentarlo: 15");
    } finally {
      await limited.close();
    }
  });
});
