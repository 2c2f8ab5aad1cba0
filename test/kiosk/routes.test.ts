import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { addLocation, retireLocation } from "../../server/kiosk/locations.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { createTestApp, newId, type TestApp, testConfig } from "../helpers/app.ts";
import { enrolledKiosk, type KioskAgent } from "./enrol.ts";

const FIXTURES = path.join(ROOT_DIR, "test", "kiosk", "fixtures");
const PIN = "2468";

function kioskApp(initialPin?: string): Promise<TestApp> {
  return createTestApp({
    surveysDir: path.join(FIXTURES, "surveys"),
    config: {
      kiosk: {
        ...testConfig().kiosk,
        locationsFile: path.join(FIXTURES, "kiosks.json"),
        initialPin,
      },
    },
  });
}

/** The JSON the kiosk script reads from the page. */
function kioskData(html: string) {
  const json = /<script type="application\/json" id="kiosk-data">(.*?)<\/script>/s.exec(html)?.[1];
  if (!json) throw new Error("no kiosk data in the page");
  return JSON.parse(json);
}

let t: TestApp;
/** This browser, enrolled as a kiosk. */
let kiosk: KioskAgent;
beforeAll(async () => {
  t = await kioskApp(PIN);
  kiosk = await enrolledKiosk(t);
  await addLocation(t.db, "old-branch", "Old Branch", commandLine());
  await retireLocation(t.db, "old-branch", true, commandLine());
});
afterAll(() => t.close());

describe("GET /kiosk/:slug", () => {
  it("shows one button per survey language, each in its own language, and sets no cookie", async () => {
    const res = await kiosk.get("/kiosk/kiosk-ok?location=central");
    expect(res.status).toBe(200);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(res.text).toContain('<html lang="en" dir="ltr" class="kiosk">');
    expect(res.text).toMatch(
      /<button type="button" class="kiosk-language" data-lang="es" lang="es" dir="ltr">\s*<span class="kiosk-language-name">Español<\/span>/,
    );
    expect(res.text).toMatch(
      /data-lang="ar" lang="ar" dir="rtl">\s*<span class="kiosk-language-name">العربية<\/span>/,
    );
    expect(res.text.match(/class="kiosk-language"/g)).toHaveLength(3);
    expect(res.text).toContain("Central Library");
    // No way out of kiosk mode but the staff PIN: no site header, no links.
    expect(res.text).not.toContain("<a ");
  });

  it("sends the survey, the location and the reset timing to the page", async () => {
    const res = await kiosk.get("/kiosk/kiosk-ok?location=central");
    const data = kioskData(res.text);
    expect(data).toMatchObject({
      slug: "kiosk-ok",
      location: "central",
      pageLang: "en",
      timing: { resetSeconds: 10, idleSeconds: 90, graceSeconds: 20, retryMaxSeconds: 60 },
    });
    expect(data.definition.openDoor).toBeUndefined();
    expect(data.languages.map((l: { code: string }) => l.code)).toEqual(["en", "es", "ar"]);
    expect(data.languages[2].texts["kiosk.idle.title"]).toBe("هل ما زلتم هنا؟");
  });

  it("takes shorter or longer delays from the link, within limits", async () => {
    const res = await kiosk.get(
      "/kiosk/kiosk-ok?location=central&reset=2&idle=30&grace=5&retry=0.5",
    );
    expect(kioskData(res.text).timing).toEqual({
      resetSeconds: 2,
      idleSeconds: 30,
      graceSeconds: 5,
      retryMaxSeconds: 0.5,
    });
    const bad = await kiosk.get("/kiosk/kiosk-ok?location=central&idle=soon");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("idle");
  });

  it("speaks the kiosk's page language to staff (?lang=)", async () => {
    const res = await kiosk.get("/kiosk/kiosk-ok?location=central&lang=es");
    expect(res.text).toContain('<html lang="es" dir="ltr" class="kiosk">');
    expect(res.text).toContain(">Personal</button>");
    expect(kioskData(res.text).staffTexts["kiosk.staff.wrongPin"]).toBe("Ese PIN no es correcto.");
  });

  it("explains a missing, unknown or retired location", async () => {
    const missing = await kiosk.get("/kiosk/kiosk-ok");
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("missing its location");

    const unknown = await kiosk.get("/kiosk/kiosk-ok?location=nowhere");
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain("There is no kiosk location called “nowhere”");

    const spanish = await kiosk.get("/kiosk/kiosk-ok?location=nowhere&lang=es");
    expect(spanish.text).toContain("No existe ninguna ubicación de quiosco llamada «nowhere»");

    const retired = await kiosk.get("/kiosk/kiosk-ok?location=old-branch");
    expect(retired.status).toBe(404);
    expect(retired.text).toContain("old-branch");
  });

  it("refuses surveys that are unknown, closed or not offered on kiosks", async () => {
    expect((await kiosk.get("/kiosk/no-such-survey?location=central")).status).toBe(404);
    const webOnly = await kiosk.get("/kiosk/web-only?location=central");
    expect(webOnly.status).toBe(404);
    expect(webOnly.text).toContain("not offered on kiosks");

    await t.db("surveys").where({ slug: "kiosk-ok" }).update({ status: "closed" });
    try {
      const closed = await kiosk.get("/kiosk/kiosk-ok?location=central");
      expect(closed.status).toBe(410);
      expect(closed.text).toContain("This survey is closed");
      // Issue 16: a friendly screen that stays in kiosk mode (no links out, checks again every
      // minute), in the kiosk's language first and then the survey's other languages.
      expect(closed.text).toContain('class="kiosk"');
      expect(closed.text).not.toContain("<a ");
      expect(closed.text).toMatch(/<script src="[^"]*kiosk-closed\.js" defer><\/script>/);
      const spanish = await kiosk.get("/kiosk/kiosk-ok?location=central&lang=es");
      expect(spanish.text).toContain('<html lang="es" dir="ltr" class="kiosk">');
      expect(spanish.text).toContain('<h1 id="kiosk-closed-title">Esta encuesta está cerrada</h1>');
      expect(spanish.text).toMatch(/lang="ar" dir="rtl">\s*<h2>هذا الاستبيان مغلق<\/h2>/);
    } finally {
      await t.db("surveys").where({ slug: "kiosk-ok" }).update({ status: "open" });
    }
  });
});

describe("the kiosk service worker and set-up page", () => {
  it("serves the service worker for the /kiosk/ scope, never cached", async () => {
    const res = await kiosk.get("/kiosk/sw.js");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["service-worker-allowed"]).toBe("/kiosk/");
    expect(res.text).toContain('addEventListener("fetch"');
  });

  it("lists a kiosk link for each active location and kiosk survey", async () => {
    const res = await kiosk.get("/kiosk");
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/kiosk/kiosk-ok?location=central&amp;lang=en"');
    expect(res.text).toContain('href="/kiosk/kiosk-ok?location=east-branch&amp;lang=en"');
    expect(res.text).not.toContain("old-branch");
    expect(res.text).not.toContain("/kiosk/web-only");
  });
});

describe("POST /kiosk/exit", () => {
  const exit = (agent: KioskAgent, pin: unknown) =>
    agent.post("/kiosk/exit").set("Accept", "application/json").send({ pin });

  it("lets staff out with the PIN and not without it", async () => {
    expect((await exit(kiosk, PIN)).body).toEqual({ ok: true });
    const wrong = await exit(kiosk, "1357");
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe("That PIN is not right");
    expect((await exit(kiosk, 2468)).status).toBe(403);
    const form = await kiosk.post("/kiosk/exit").type("form").send({ pin: PIN });
    expect(form.status).toBe(415);
  });

  it("says so when no PIN has been set", async () => {
    const bare = await kioskApp(undefined);
    try {
      const res = await exit(await enrolledKiosk(bare), "1234");
      expect(res.status).toBe(409);
      expect(res.body.error).toMatch(/No kiosk exit PIN has been set/);
    } finally {
      await bare.close();
    }
  });

  it("checks no PIN from a browser that is not an enrolled kiosk", async () => {
    const res = await exit(request.agent(t.app), PIN);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("This device is not set up as a kiosk");
  });

  // Regression: the lockout counted per address, so one tablet's wrong PINs locked every kiosk
  // behind the library's shared public address.
  it("locks one kiosk after ten wrong PINs, says for how long, and leaves the kiosk beside it alone", async () => {
    const limited = await kioskApp(PIN);
    try {
      const [wrongTablet, otherTablet] = [
        await enrolledKiosk(limited),
        await enrolledKiosk(limited),
      ];
      for (let attempt = 0; attempt < 10; attempt++) {
        expect((await exit(wrongTablet, "0000")).status).toBe(403);
      }
      const blocked = await exit(wrongTablet, PIN);
      expect(blocked.status).toBe(429);
      expect(blocked.body.error).toMatch(
        /Too many PIN attempts on this kiosk; try again in 15 minutes/,
      );
      expect(blocked.body.retryAfterMinutes).toBe(15);
      expect((await exit(otherTablet, PIN)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("kiosk responses through the submission API", () => {
  const submit = (location: string) =>
    request(t.app)
      .post("/api/surveys/kiosk-ok/responses")
      .send({ id: newId(), language: "ar", channel: "kiosk", location, data: { use: "never" } });

  it("stores a response with the kiosk channel and its location", async () => {
    const res = await submit("east-branch");
    expect(res.status).toBe(201);
    const row = await t.db("responses").where({ id: res.body.id }).first();
    expect(row).toMatchObject({ channel: "kiosk", location: "east-branch", language: "ar" });
  });

  it("accepts a retired location (a kiosk may send late) but not an unknown one", async () => {
    expect((await submit("old-branch")).status).toBe(201);
    const unknown = await submit("nowhere");
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([
      { question: "(location)", message: 'unknown location "nowhere"' },
    ]);
  });
});
