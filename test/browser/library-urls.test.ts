// A consortium member's public link and kiosk in a real browser (issue 23): a patron on
// /l/branch/… answers into library branch's database only, and a tablet shared by two libraries
// keeps a service worker, a device cookie and an outbox view per library while every queued
// response still reaches the library it was answered for, even after the tablet switches library.
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import { createEnrolmentCode } from "../../server/kiosk/enrolment.ts";
import { addLocation } from "../../server/kiosk/locations.ts";
import { setKioskPin } from "../../server/kiosk/pin.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import {
  axeViolations,
  describeInBrowser,
  launchBrowser,
  startServer,
  type TestServer,
} from "../helpers/browser.ts";
import { addLibrary } from "../helpers/second-library.ts";
import { choose, finish, next } from "./community-survey.ts";

const BRANCH_PIN = "97531";
const FAST = "reset=0.2&retry=0.3";
const DEFAULT_KIOSK = `/kiosk/community-needs?location=central&${FAST}`;
const BRANCH_KIOSK = `/l/branch/kiosk/community-needs?location=bookmobile&${FAST}`;

describeInBrowser("a consortium member library's pages", { timeout: 90_000 }, () => {
  let server: TestServer;
  let branch: Db;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({
      config: {
        kiosk: {
          ...testConfig().kiosk,
          locationsFile: path.join(ROOT_DIR, "test", "kiosk", "fixtures", "kiosks.json"),
        },
      },
    });
    ({ db: branch } = await addLibrary(server.app, server.db, "branch", PROJECT_SURVEYS));
    await addLocation(branch, "bookmobile", "Bookmobile", commandLine());
    await setKioskPin(branch, BRANCH_PIN, commandLine());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterEach(() => context.close());

  const count = (db: Db) =>
    db("responses")
      .count({ n: "*" })
      .first()
      .then((row) => Number(row?.n));

  /** What staff do once per tablet and library: open its /kiosk and type that library's code. */
  async function enrol(base: string, db: Db): Promise<void> {
    const { code } = await createEnrolmentCode(db, "Browser test tablets", null);
    await page.goto(`${server.url}${base}/kiosk`);
    await page.fill("#enrol-code", code);
    await Promise.all([
      page.waitForURL(`${server.url}${base}/kiosk?lang=en`),
      page.click(".kiosk-enrol-form button[type=submit]"),
    ]);
  }

  it("stores a response answered on /l/branch/s/… in branch's database only, and passes axe", async () => {
    const [branchBefore, defaultBefore] = [await count(branch), await count(server.db)] as const;
    await page.goto(`${server.url}/l/branch/s/community-needs?lang=es`);
    expect(await axeViolations(page)).toEqual([]);
    await choose(page, "library_use", "never");
    // Answers so far are kept under the library's own key, apart from the default library's survey.
    const saved = await page.evaluate(() => Object.keys(localStorage));
    expect(saved).toEqual(["opendoor.progress./l/branch/s/community-needs"]);
    await next(page);
    await choose(page, "barriers", "hours");
    await finish(page);
    await expect
      .poll(() => page.locator("#survey-message").textContent())
      .toBe("Hemos recibido sus respuestas. ¡Gracias!");
    expect([await count(branch), await count(server.db)]).toEqual([
      branchBefore + 1,
      defaultBefore,
    ]);
  });

  it("shows an unknown library as a translated, accessible 404 page", async () => {
    const res = await page.goto(`${server.url}/l/nowhere/s/community-needs?lang=vi`);
    expect(res?.status()).toBe(404);
    expect(await page.locator("main").textContent()).toContain(
      "Chúng tôi không tìm thấy thư viện “nowhere”.",
    );
    expect(await axeViolations(page)).toEqual([]);
  });

  it("delivers a response queued offline on branch's kiosk to branch after the tablet switches to the default library's kiosk", async () => {
    await enrol("", server.db);
    await enrol("/l/branch", branch);
    expect((await context.cookies()).map((c) => `${c.name} ${c.path}`).sort()).toEqual([
      "opendoor.kiosk /",
      "opendoor.kiosk.branch /l/branch",
    ]);
    // Each library's kiosk is kept for offline use by its own service worker.
    await page.goto(`${server.url}${DEFAULT_KIOSK}`);
    await page.waitForSelector('main[data-offline-ready="true"]');
    await page.goto(`${server.url}${BRANCH_KIOSK}`);
    await page.waitForSelector('main[data-offline-ready="true"]');
    const scopes = await page.evaluate(async () =>
      (await navigator.serviceWorker.getRegistrations()).map((r) => new URL(r.scope).pathname),
    );
    expect(scopes.sort()).toEqual(["/kiosk/", "/l/branch/kiosk/"]);

    const [branchBefore, defaultBefore] = [await count(branch), await count(server.db)] as const;
    await server.stop();
    await page.click('.kiosk-language[data-lang="en"]');
    await choose(page, "library_use", "weekly");
    await finish(page);
    await page.waitForSelector('#kiosk-outbox[data-count="1"]', { state: "attached" });
    const queued = await page.evaluate(() =>
      JSON.parse(localStorage.getItem("opendoor.outbox.pending") ?? "[]").map(
        (e: { id: string; url: string }) => [e.id, e.url],
      ),
    );
    expect(queued).toHaveLength(1);
    expect(queued[0][1]).toBe("/l/branch/api/surveys/community-needs/responses");

    // Still offline, the tablet is switched to the default library's kiosk (from its worker):
    // that page does not count branch's response as its own, but sends it to branch.
    await page.goto(`${server.url}${DEFAULT_KIOSK}`);
    await page.waitForSelector('main[data-screen="start"] #kiosk-start');
    expect(await page.locator("#kiosk-outbox").getAttribute("data-count")).toBe("0");
    await server.start();
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem("opendoor.outbox.pending")), {
        timeout: 10_000,
      })
      .toBeNull();
    expect([await count(branch), await count(server.db)]).toEqual([
      branchBefore + 1,
      defaultBefore,
    ]);
    expect(await branch("responses").where({ id: queued[0][0] }).first()).toMatchObject({
      channel: "kiosk",
      location: "bookmobile",
    });
  });

  it("leaves branch's kiosk with branch's PIN, onto branch's set-up page", async () => {
    await enrol("/l/branch", branch);
    await page.goto(`${server.url}${BRANCH_KIOSK}`);
    await page.click("#kiosk-staff");
    await page.fill("#kiosk-pin-input", BRANCH_PIN);
    await Promise.all([
      page.waitForURL(`${server.url}/l/branch/kiosk?lang=en`),
      page.press("#kiosk-pin-input", "Enter"),
    ]);
    expect(await page.locator("h1").textContent()).toBe("Kiosk set-up");
    expect(
      await page.locator('a[href^="/l/branch/kiosk/community-needs?location=bookmobile"]').count(),
    ).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });
});
