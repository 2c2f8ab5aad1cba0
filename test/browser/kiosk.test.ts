// Kiosk mode in a real browser: reset between people, inactivity, offline outbox, PIN, accessibility.
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { createEnrolmentCode } from "../../server/kiosk/enrolment.ts";
import { testConfig } from "../helpers/app.ts";
import {
  axeViolations,
  describeInBrowser,
  launchBrowser,
  startServer,
  type TestServer,
} from "../helpers/browser.ts";
import { answerAsNonUser, choose, finish } from "./community-survey.ts";

const PIN = "2468";
const KIOSK = "/kiosk/community-needs?location=central";

describeInBrowser("kiosk mode", { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let code: string;

  /** What staff do once per tablet: open /kiosk and type the enrolment code an admin made. */
  async function enrol(target: Page): Promise<void> {
    await target.goto(`${server.url}/kiosk`);
    await target.fill("#enrol-code", code);
    await Promise.all([
      target.waitForURL(/\/kiosk\?lang=en$/),
      target.click(".kiosk-enrol-form button[type=submit]"),
    ]);
  }

  beforeAll(async () => {
    server = await startServer({
      config: {
        kiosk: {
          ...testConfig().kiosk,
          locationsFile: path.join(ROOT_DIR, "test", "kiosk", "fixtures", "kiosks.json"),
          initialPin: PIN,
        },
      },
    });
    browser = await launchBrowser();
    code = (await createEnrolmentCode(server.db, "Browser test tablets", null)).code;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    await enrol(page);
  });
  afterEach(() => context.close());

  const kioskResponses = () => server.db("responses").where({ channel: "kiosk" });
  const storageDump = () =>
    page.evaluate(() => ({
      local: Object.fromEntries(Object.entries(localStorage)),
      session: sessionStorage.length,
    }));
  const onStartScreen = () => page.waitForSelector('main[data-screen="start"] #kiosk-start');

  it("shows one large button per language, each in its own script, and passes axe", async () => {
    await page.goto(`${server.url}${KIOSK}`);
    const buttons = page.locator(".kiosk-language");
    expect(await buttons.count()).toBe(7);
    const arabic = page.locator('.kiosk-language[data-lang="ar"]');
    expect(await arabic.getAttribute("lang")).toBe("ar");
    expect(await arabic.getAttribute("dir")).toBe("rtl");
    expect(await arabic.textContent()).toContain("العربية");
    for (const box of await buttons.evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect().toJSON()),
    )) {
      expect(box.height).toBeGreaterThanOrEqual(48);
      expect(box.width).toBeGreaterThanOrEqual(48);
    }
    expect(await axeViolations(page)).toEqual([]);
    // The device's enrolment cookie, nothing about the people who answer.
    expect((await context.cookies()).map((c) => c.name)).toEqual(["opendoor.kiosk"]);
  });

  it("passes axe on the survey screen, in Arabic, right to left", async () => {
    await page.goto(`${server.url}${KIOSK}`);
    await page.click('.kiosk-language[data-lang="ar"]');
    await page.waitForSelector(".sd-question");
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    expect(await page.locator("#kiosk-leave").textContent()).toBe("البدء من جديد");
    expect(await axeViolations(page)).toEqual([]);
  });

  it("follows the patron's language in the title, lang, dir, landmark names and SurveyJS strings, and back (issue 17)", async () => {
    await page.goto(`${server.url}${KIOSK}`);
    const englishTitle = await page.title();
    await page.click('.kiosk-language[data-lang="ar"]');
    await page.waitForSelector(".sd-question");
    const arabicTitle = await page.locator(".sd-root-modern h1").textContent();
    expect(await page.locator("h1:visible").count()).toBe(1); // the survey's title, not the start screen's
    const state = () =>
      page.evaluate(() => ({
        lang: document.documentElement.lang,
        dir: document.documentElement.dir,
        title: document.title,
        main: document.querySelector("main")?.getAttribute("aria-label"),
        survey: document.getElementById("kiosk-survey")?.getAttribute("aria-label"),
      }));
    expect(await state()).toEqual({
      lang: "ar",
      dir: "rtl",
      title: `${arabicTitle} · Open Door`,
      main: arabicTitle,
      survey: arabicTitle,
    });
    // SurveyJS's own words come from the reviewed Arabic strings: "page 1 of 8", in that order.
    expect(await page.locator(".sd-progress-buttons__page-title").textContent()).toMatch(
      /^الصفحة 1 من \d+$/,
    );
    await page.click("#kiosk-leave");
    await page.click("#kiosk-leave-confirm");
    await onStartScreen();
    expect(await state()).toMatchObject({ lang: "en", dir: "ltr", title: englishTitle });
  });

  it("(b) takes a response, thanks, and resets to a start screen with no trace of the answers", async () => {
    const secret = `evening hours please ${Date.now()}`;
    await page.goto(`${server.url}${KIOSK}&reset=2&retry=0.2`);
    await page.click('.kiosk-language[data-lang="vi"]');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("vi");
    await answerAsNonUser(page, secret);

    await page.waitForSelector('main[data-screen="thanks"]');
    expect(await page.locator("#kiosk-thanks-title").textContent()).toBe("Xin cảm ơn!");
    await onStartScreen();

    // The page: back in the kiosk's own language, no survey, no answer anywhere in the DOM.
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    expect(await page.locator(".sd-root-modern").count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    // The server: stored once, from the kiosk, at its location, in Vietnamese.
    await vi.waitFor(async () => expect(await kioskResponses()).toHaveLength(1), {
      timeout: 5000,
    });
    const [row] = await kioskResponses();
    expect(row).toMatchObject({ location: "central", language: "vi", channel: "kiosk" });
    expect(JSON.parse(row.data)).toMatchObject({
      library_use: "never",
      barriers: ["hours"],
      would_bring_you: secret,
    });

    // The browser: once sent, nothing of the answers is left in storage, and no cookie was set.
    await page.waitForSelector('#kiosk-outbox[data-count="0"]', { state: "attached" });
    const storage = await storageDump();
    expect(JSON.stringify(storage)).not.toContain(secret);
    expect(Object.keys(storage.local)).toEqual([]);
    expect(storage.session).toBe(0);
    expect((await context.cookies()).map((c) => c.name)).toEqual(["opendoor.kiosk"]);

    // The next person starts afresh.
    await page.click('.kiosk-language[data-lang="en"]');
    expect(await page.locator('[data-name="library_use"] input:checked').count()).toBe(0);
  });

  it("(d) asks whether the person is still there, then discards the partial answers", async () => {
    const before = (await kioskResponses()).length;
    await page.goto(`${server.url}${KIOSK}&idle=2&grace=3`);
    await page.click('.kiosk-language[data-lang="ko"]');
    await choose(page, "library_use", "weekly");

    // First prompt, in Korean: "Yes, I'm still here" keeps the answers.
    await page.waitForSelector("#kiosk-idle[open]");
    expect(await page.locator("#kiosk-idle-title").textContent()).toBe("아직 계신가요?");
    expect(await page.locator("#kiosk-idle-body").textContent()).toMatch(
      /\d초 후에 답변이 삭제됩니다/,
    );
    await page.click("#kiosk-idle-continue");
    expect(
      await page.locator('[data-name="library_use"] input:checked').getAttribute("value"),
    ).toBe("weekly");

    // Second prompt, unanswered: the start screen returns with nothing kept.
    await page.waitForSelector("#kiosk-idle[open]");
    await onStartScreen();
    expect(await page.locator("#kiosk-idle").getAttribute("open")).toBeNull();
    expect(await page.locator(".sd-root-modern").count()).toBe(0);
    expect(await page.locator("input:checked").count()).toBe(0);
    expect(await storageDump()).toEqual({ local: {}, session: 0 });
    expect(await kioskResponses()).toHaveLength(before);
  });

  it("(c) keeps taking responses while the server is unreachable and delivers each exactly once", async () => {
    const before = (await kioskResponses()).length;
    await page.goto(`${server.url}${KIOSK}&reset=0.2&retry=0.3`);
    await page.waitForSelector('main[data-offline-ready="true"]'); // the service worker has the kiosk

    await server.stop();
    for (const [n, use] of ["weekly", "monthly", "never"].entries()) {
      await page.click('.kiosk-language[data-lang="es"]');
      await choose(page, "library_use", use);
      await finish(page);
      await page.waitForSelector(`#kiosk-outbox[data-count="${n + 1}"]`, { state: "attached" });
      await onStartScreen();
    }
    expect(await page.locator("#kiosk-outbox").textContent()).toBe(
      "3 responses waiting to be sent",
    );
    const waiting: string[] = await page.evaluate(() =>
      JSON.parse(localStorage.getItem("opendoor.outbox.pending") ?? "[]").map(
        (e: { id: string }) => e.id,
      ),
    );
    expect(new Set(waiting).size).toBe(3);

    // Still offline, the kiosk page reloads from the service worker, outbox intact.
    await page.reload();
    await onStartScreen();
    await page.waitForSelector('#kiosk-outbox[data-count="3"]', { state: "attached" });

    await server.start();
    await page.waitForSelector('#kiosk-outbox[data-count="0"]', {
      state: "attached",
      timeout: 10_000,
    });
    const rows = await kioskResponses();
    expect(rows).toHaveLength(before + 3);
    const arrived = await server.db("responses").whereIn("id", waiting).select("id", "data");
    expect(arrived.map((r) => r.id).sort()).toEqual([...waiting].sort());
    expect(arrived.map((r) => JSON.parse(r.data).library_use).sort()).toEqual([
      "monthly",
      "never",
      "weekly",
    ]);
  });

  it("asks a device that is not set up for an enrolment code, accessibly, and opens no kiosk", async () => {
    const fresh = await browser.newContext();
    try {
      const other = await fresh.newPage();
      await other.goto(`${server.url}/kiosk?lang=ar`);
      expect(await other.locator("#enrol-code").count()).toBe(1);
      expect(await axeViolations(other)).toEqual([]);
      const refused = await other.goto(`${server.url}${KIOSK}`);
      expect(refused?.status()).toBe(403);
      expect(await other.locator(".kiosk-language").count()).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it("leaves kiosk mode only with the right PIN, for an accessible set-up page", async () => {
    await page.goto(`${server.url}${KIOSK}`);
    await page.click("#kiosk-staff");
    await page.fill("#kiosk-pin-input", "1111");
    await page.press("#kiosk-pin-input", "Enter");
    await expect
      .poll(() => page.locator("#kiosk-pin-error").textContent())
      .toBe("That PIN is not right.");
    expect(page.url()).toContain("/kiosk/community-needs");

    await page.fill("#kiosk-pin-input", PIN);
    await Promise.all([
      page.waitForURL(/\/kiosk\?lang=en$/),
      page.press("#kiosk-pin-input", "Enter"),
    ]);
    expect(await page.locator("h1").textContent()).toBe("Kiosk set-up");
    expect(await axeViolations(page)).toEqual([]);
  });
});
