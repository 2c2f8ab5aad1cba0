// The first hour of a new library, in a real browser, from an empty data folder (issue 16): the
// demo on the first login (every staff page has content and says it is demo data), removing it,
// importing the repository's sample census tables and patron export through the web forms,
// running the analysis, sharing a survey, typing in two paper responses in a row, and closing the
// survey while a kiosk shows it. Screenshots for the README's "First hour" go to public/docs/.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createStaffAccount } from "../../server/auth/accounts.ts";
import { ROOT_DIR } from "../../server/config.ts";
import { DEMO_DIR, loadDemoData } from "../../server/imports/demo.ts";
import { DEMO_FILES } from "../../server/imports/demo-data.ts";
import { seedKiosks } from "../../server/kiosk/setup.ts";
import { testConfig } from "../helpers/app.ts";
import {
  axeViolations,
  describeInBrowser,
  launchBrowser,
  startServer,
  type TestServer,
} from "../helpers/browser.ts";
import { FAST_SCRYPT, PASSWORD } from "../staff/helpers.ts";
import { choose, finish, pageIndex } from "./community-survey.ts";

const DOCS = path.join(ROOT_DIR, "public", "docs");
const ADMIN = "coordinator@library.test";

/** Written when missing or with UPDATE_SCREENSHOTS=1, as in staff.test.ts. */
async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  const image = await page.screenshot(options);
  expect(image.length).toBeGreaterThan(10_000);
  const file = path.join(DOCS, name);
  if (process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(file)) writeFileSync(file, image);
}

describeInBrowser("the first hour", { timeout: 300_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageProblems: string[] = [];

  beforeAll(async () => {
    // What `npm start` does on an empty data folder: migrate, sync surveys (startServer), add
    // the kiosk places of db/kiosks.json, load the demo; then `npm run user -- add`.
    server = await startServer({
      config: {
        kiosk: { ...testConfig().kiosk, locationsFile: path.join(ROOT_DIR, "db", "kiosks.json") },
      },
    });
    await seedKiosks(server.db, server.config.kiosk);
    const demo = await loadDemoData(server.db, { suppressBelow: server.config.suppressBelow });
    expect(demo.loaded).toBe(true);
    await createStaffAccount(
      server.db,
      { email: ADMIN, password: PASSWORD, role: "admin" },
      null,
      FAST_SCRYPT,
    );
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on("pageerror", (error) => pageProblems.push(`script error: ${error.message}`));
    mkdirSync(DOCS, { recursive: true });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });
  afterEach(() => {
    expect(pageProblems).toEqual([]);
  });

  const go = (where: string) => page.goto(`${server.url}${where}`);

  it("logs in to the demo: every staff page has content and says it is demo data", async () => {
    await go("/staff");
    await page.getByLabel("E-mail address").fill(ADMIN);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${server.url}/staff`);
    await expect(page.locator(".demo-banner").textContent()).resolves.toContain(
      "Riverbend County, a fictional county",
    );
    await expect(page.locator("#start-heading").textContent()).resolves.toBe("Getting started");
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "first-hour-1-demo-overview.png", { fullPage: true });

    const pages = await page
      .locator(".staff-nav a")
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
    for (const where of [
      ...pages,
      "/staff/surveys/community-needs",
      "/staff/surveys/community-needs/answers",
      "/staff/surveys/non-user-interview",
    ]) {
      const response = await go(where);
      expect(response?.status(), where).toBe(200);
      expect(await page.locator(".demo-banner").count(), where).toBe(1);
      const text = ((await page.locator("main").textContent()) ?? "").trim();
      expect(text.length, where).toBeGreaterThan(300);
      expect(text, where).not.toMatch(
        /No analysis has been run yet|No responses yet|No data yet\./,
      );
    }
    await go("/staff/gaps");
    await expect(page.locator(".findings li").count()).resolves.toBeGreaterThan(3);
    await shot(page, "first-hour-2-demo-gaps.png");
    await go("/staff/surveys/community-needs/answers");
    await expect(page.locator("main").textContent()).resolves.toMatch(/hours|transport|welcome/);
  });

  it("removes the demo data with one confirmed button", async () => {
    await go("/staff/demo");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("Yes, remove all demo data").check();
    await page.getByRole("button", { name: "Remove demo data" }).click();
    await page.waitForURL(`${server.url}/staff`);
    await expect(page.locator(".flash").textContent()).resolves.toContain("Demo data removed");
    expect(await page.locator(".demo-banner").count()).toBe(0);
    await expect(page.locator(".checklist").textContent()).resolves.toContain("1 of 6 steps done");
    await shot(page, "first-hour-3-checklist.png");
  });

  it("imports the sample census tables, crosswalk and patron export through the web forms", async () => {
    for (const key of ["age", "language", "poverty"] as const) {
      await go("/staff/imports");
      await page.setInputFiles("#community-file", path.join(DEMO_DIR, DEMO_FILES[key]));
      await page.getByRole("button", { name: "Import census table" }).click();
      await expect(page.locator("#report-heading").textContent()).resolves.toContain(
        `Imported ${DEMO_FILES[key]}`,
      );
    }
    await page.setInputFiles("#crosswalk-file", path.join(DEMO_DIR, DEMO_FILES.crosswalk));
    await page.getByRole("button", { name: "Import crosswalk" }).click();
    await expect(page.locator("#report-heading").textContent()).resolves.toContain("Imported");
    await page.setInputFiles("#patrons-file", path.join(DEMO_DIR, DEMO_FILES.patrons));
    await page.setInputFiles("#patrons-mapping-file", path.join(DEMO_DIR, DEMO_FILES.mapping));
    await page.fill("#patrons-asof", "2024-06-30");
    await page.getByRole("button", { name: "Import patron export" }).click();
    await expect(page.locator("#report-heading").textContent()).resolves.toContain(
      `Imported ${DEMO_FILES.patrons}`,
    );
    await shot(page, "first-hour-4-patron-import.png");
  });

  it("runs the analysis and reads the findings first", async () => {
    await go("/staff/gaps");
    await page.getByRole("button", { name: "Run the analysis" }).click();
    await page.waitForURL(`${server.url}/staff/gaps`);
    expect(await axeViolations(page)).toEqual([]);
    await expect(page.locator(".findings li").first().textContent()).resolves.toMatch(
      /representation index 0\.\d\d \(95% interval/,
    );
    await shot(page, "first-hour-5-gaps.png");
  });

  it("shares a survey: the page warns that a local address will not work for the public", async () => {
    await go("/staff/surveys/community-needs/share");
    await expect(page.locator(".notice").first().textContent()).resolves.toContain(
      "These links will not work for the public",
    );
    await shot(page, "first-hour-6-share.png");
  });

  it("types in two paper responses in a row; the form is empty and ready after each", async () => {
    await go("/staff/surveys/community-needs/entry");
    await page.selectOption("#channel", "paper");
    const ids: string[] = [];
    for (const [n, use] of [
      [1, "weekly"],
      [2, "never"],
    ] as const) {
      await choose(page, "library_use", use);
      await finish(page);
      await page.waitForFunction(
        (count) =>
          document.querySelector("#entry-tally [data-count]")?.textContent === String(count),
        n,
      );
      ids.push((await page.locator("#entry-tally [data-last-id]").textContent()) ?? "");
      await expect(page.locator("#run-message").textContent()).resolves.toContain(
        "The form is empty and ready for the next one",
      );
      // A fresh form on its first page, nothing ticked.
      await page.locator('[data-name="library_use"]').waitFor();
      expect(await pageIndex(page)).toBe(0);
      expect(await page.locator('[data-name="library_use"] input:checked').count()).toBe(0);
    }
    expect(new Set(ids).size).toBe(2);
    const stored = await server.db("responses").where({ channel: "paper" }).select("id");
    expect(stored.map((r) => r.id).sort()).toEqual([...ids].sort());
    await shot(page, "first-hour-7-paper-entry.png");
  });

  it("closes the survey while a kiosk shows it: asked first, and the kiosk says it is closed", async () => {
    const tablet = await context.newPage();
    tablet.on("pageerror", (error) => pageProblems.push(`kiosk script error: ${error.message}`));
    await tablet.goto(`${server.url}/kiosk`);
    await tablet.locator('form[action^="/kiosk/enrol"]:not(.kiosk-enrol-form) button').click();
    await tablet.goto(`${server.url}/kiosk/community-needs?location=central`);
    await tablet.locator(".kiosk-language").first().waitFor();

    await go("/staff/surveys");
    await page.getByRole("button", { name: /^Close Community survey/ }).click();
    await expect(page.locator("main").textContent()).resolves.toContain("Central Library");
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "first-hour-8-close-kiosks.png");
    await page.getByRole("button", { name: "Close it on every kiosk" }).click();
    await page.waitForURL(`${server.url}/staff/surveys`);

    // Between two people the kiosk reloads (kiosk.js); here directly.
    const closed = await tablet.reload();
    expect(closed?.status()).toBe(410);
    await expect(tablet.locator("h1").textContent()).resolves.toBe("This survey is closed");
    expect(await tablet.locator("a").count()).toBe(0);
    expect(await axeViolations(tablet)).toEqual([]);
    await shot(tablet, "first-hour-9-kiosk-closed.png");
    await tablet.close();

    // Every step done: the checklist has served its purpose and leaves the overview.
    await go("/staff");
    expect(await page.locator(".checklist").count()).toBe(0);
  });
});
