// The staff pages in a real browser: log in, charts drawn from their data tables, axe-core on
// every page, and the screenshots used by the README's tour (public/docs/).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createStaffAccount, setInstanceRole } from "../../server/auth/accounts.ts";
import { ROOT_DIR } from "../../server/config.ts";
import { loadDemoData } from "../../server/imports/demo.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { findStaffUserByEmail, type Role } from "../../server/queries/staff-users.ts";
import { runUsageGapAnalysis } from "../../server/reports/usage-gaps.ts";
import {
  axeViolations,
  describeInBrowser,
  launchBrowser,
  startServer,
  type TestServer,
} from "../helpers/browser.ts";
import { FAST_SCRYPT, PASSWORD } from "../staff/helpers.ts";
import { seedNeedsResponses } from "../staff/seed.ts";

const DOCS = path.join(ROOT_DIR, "public", "docs");

/**
 * Takes a screenshot for the README's tour. It is written to public/docs/ when missing or when
 * UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the committed images alone.
 */
async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  const image = await page.screenshot(options);
  expect(image.length).toBeGreaterThan(10_000);
  const file = path.join(DOCS, name);
  if (process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(file)) writeFileSync(file, image);
}

describeInBrowser("the staff pages", { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Script errors and Content-Security-Policy refusals seen by any page: there must be none. */
  const pageProblems: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    for (const role of ["admin", "analyst", "staff"] as Role[])
      await createStaffAccount(
        server.db,
        { email: `${role}@library.test`, password: PASSWORD, role },
        null,
        FAST_SCRYPT,
      );
    await server.db("kiosk_locations").insert([
      { id: "central", name: "Central Library", retired: false },
      { id: "eastside", name: "Eastside Branch", retired: false },
      { id: "farmers-market", name: "Farmers market stall", retired: false },
    ]);
    await seedNeedsResponses(server.db, {
      count: 420,
      locations: ["central", "eastside", "farmers-market"],
    });
    // The demo's census and patron data only: these tests count their own 420 responses.
    await loadDemoData(server.db, { force: true, activity: false });
    await runUsageGapAnalysis(server.db, {
      by: commandLine(),
      suppressBelow: server.config.suppressBelow,
    });
    browser = await launchBrowser();
    mkdirSync(DOCS, { recursive: true });
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  async function loggedIn(role: Role): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on("pageerror", (error) => pageProblems.push(`script error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text()))
        pageProblems.push(message.text());
    });
    await page.goto(`${server.url}/staff`);
    expect(new URL(page.url()).pathname).toBe("/staff/login");
    await page.getByLabel("E-mail address").fill(`${role}@library.test`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(`${server.url}/staff`);
    return page;
  }

  afterEach(() => {
    expect(pageProblems).toEqual([]);
  });

  async function expectAccessible(page: Page) {
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }

  async function chartsDrawn(page: Page): Promise<{ figures: number; drawn: number }> {
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll("figure[data-chart]")).every(
        (f) => f.querySelector("table") === null || (f as HTMLElement).dataset.drawn === "true",
      ),
    );
    return page.evaluate(() => ({
      figures: document.querySelectorAll("figure[data-chart] table").length,
      drawn: document.querySelectorAll("figure[data-chart] canvas").length,
    }));
  }

  it("logs in and draws every overview chart from its data table", async () => {
    const page = await loggedIn("admin");
    const { figures, drawn } = await chartsDrawn(page);
    expect(figures).toBeGreaterThanOrEqual(4);
    expect(drawn).toBe(figures);
    await expectAccessible(page);
    await shot(page, "staff-overview.png", { fullPage: true });
  });

  it("shows the survey list, sharing page and paper form without accessibility violations", async () => {
    const page = await loggedIn("admin");
    await page.goto(`${server.url}/staff/surveys`);
    await expectAccessible(page);
    await page.goto(`${server.url}/staff/surveys/community-needs/share`);
    await expectAccessible(page);
    await shot(page, "staff-share.png", { fullPage: true });
    await page.goto(`${server.url}/staff/surveys/community-needs/paper?lang=es`);
    await expectAccessible(page);
    await shot(page, "staff-paper.png");
    await page.goto(`${server.url}/staff/surveys/community-needs/flyer?lang=en&lang=es`);
    await expectAccessible(page);
  });

  it("draws every question's chart on the results page, and the cross-tab and answers pages pass axe", async () => {
    const page = await loggedIn("staff");
    await page.goto(`${server.url}/staff/surveys/community-needs?group=useStatus`);
    const { figures, drawn } = await chartsDrawn(page);
    expect(figures).toBeGreaterThanOrEqual(8);
    expect(drawn).toBe(figures);
    await expectAccessible(page);
    await shot(page, "staff-results.png");
    await page.goto(
      `${server.url}/staff/surveys/community-needs/crosstab?rows=q:feel_welcome&cols=group:useStatus`,
    );
    await expect.poll(() => page.locator("main").textContent()).toMatch(/Chi-square = /);
    await expectAccessible(page);
    await page.goto(`${server.url}/staff/surveys/community-needs/answers`);
    await expectAccessible(page);
  });

  it("draws the usage-gap charts: paired shares, representation index and areas", async () => {
    const page = await loggedIn("staff");
    await page.goto(`${server.url}/staff/gaps`);
    const { figures, drawn } = await chartsDrawn(page);
    expect(figures).toBeGreaterThanOrEqual(5);
    expect(drawn).toBe(figures);
    expect(await page.locator("ul.findings li").count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await shot(page, "staff-gaps.png");
  });

  it("downloads the raw responses as an analyst", async () => {
    const page = await loggedIn("analyst");
    await page.goto(`${server.url}/staff/exports`);
    await expectAccessible(page);
    await shot(page, "staff-exports.png");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page
        .locator("#survey-community-needs")
        .getByRole("button", { name: /Responses \(one row each\)/ })
        .click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^community-needs_v\d+_responses-wide\.csv$/);
    const text = readFileSync((await download.path()) as string, "utf8");
    expect(text.trim().split("\n").length).toBe(421);
    const [entry] = await server.db("audit_log").where({ action: "export.responses" });
    expect(entry.actor_email).toBe("analyst@library.test");
  });

  it("refuses the raw responses to the staff role", async () => {
    const page = await loggedIn("staff");
    await page.goto(`${server.url}/staff/exports`);
    await expect
      .poll(() => page.locator("main").textContent())
      .toContain("analysts and admins only");
    expect(await page.getByRole("button", { name: /Responses/ }).count()).toBe(0);
    const response = await page.goto(`${server.url}/staff/exports/community-needs/responses.csv`);
    expect(response?.status()).toBe(403);
    expect(await page.locator("h1").textContent()).toBe("Not allowed");
    expect(await page.locator("main").textContent()).toContain("needs the analyst role");
  });

  it("records a paper response through data entry", async () => {
    const page = await loggedIn("staff");
    await page.goto(`${server.url}/staff/surveys/community-needs/entry`);
    await page.locator("#location").selectOption("farmers-market");
    await page.locator("#channel").selectOption("event");
    await page.locator('[data-name="library_use"] input[value="never"]').check({ force: true });
    await expectAccessible(page);
    const before = Number((await server.db("responses").count({ n: "*" }))[0]?.n);
    // Through to the end of the survey: Next until Complete.
    for (let i = 0; i < 10; i++) {
      const complete = page.locator('input[value="Submit"], button:has-text("Submit")');
      if (await complete.first().isVisible()) {
        await complete.first().click();
        break;
      }
      await page.locator('input[value="Next"], button:has-text("Next")').first().click();
    }
    await expect
      .poll(() => page.locator("#run-message").textContent())
      .toContain("Response saved. The form is empty and ready for the next one.");
    await expect.poll(() => page.locator("#entry-tally [data-count]").textContent()).toBe("1");
    const after = Number((await server.db("responses").count({ n: "*" }))[0]?.n);
    expect(after).toBe(before + 1);
    const latest = await server
      .db("responses")
      .where({ channel: "event", location: "farmers-market" })
      .orderBy("submitted_at", "desc")
      .first();
    expect(JSON.parse(latest.data)).toMatchObject({ library_use: "never" });
  });

  it("shows the admin pages without accessibility violations", async () => {
    // A super-admin too, so the libraries page shows every library and its form.
    const admin = await findStaffUserByEmail(server.db, "admin@library.test");
    await setInstanceRole(server.db, admin?.id ?? 0, "super-admin", true, null);
    const page = await loggedIn("admin");
    for (const url of [
      "/staff/users",
      "/staff/kiosks",
      "/staff/audit",
      "/staff/imports",
      "/staff/libraries",
    ]) {
      await page.goto(`${server.url}${url}`);
      await expectAccessible(page);
    }
    await page.goto(`${server.url}/staff/kiosks`);
    await shot(page, "staff-kiosks.png", { fullPage: true });
    await page.goto(`${server.url}/staff/users`);
    await shot(page, "staff-users.png", { fullPage: true });
    await page.goto(`${server.url}/staff/imports`);
    await shot(page, "staff-imports.png");
  });

  it("shows the account page, a one-time password link, its form and a kiosk enrolment code accessibly", async () => {
    const page = await loggedIn("admin");
    await page.goto(`${server.url}/staff/account`);
    await expectAccessible(page);
    await page.goto(`${server.url}/staff/users`);
    await page.getByRole("button", { name: "Password link for analyst@library.test" }).click();
    const link = await page.locator("#reset-link-url").inputValue();
    expect(link).toMatch(/\/staff\/reset\/[\w-]{43}$/);
    await expectAccessible(page);
    const stranger = await browser.newContext();
    contexts.push(stranger);
    const resetPage = await stranger.newPage();
    await resetPage.goto(link);
    expect(await resetPage.locator("h1").textContent()).toBe("Set a new password");
    await expectAccessible(resetPage);
    await page.goto(`${server.url}/staff/kiosks`);
    await page.getByLabel(/What the code is for/).fill("Central tablets");
    await page.getByRole("button", { name: "Make an enrolment code" }).click();
    expect(await page.locator("#new-code").textContent()).toMatch(
      /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/,
    );
    await expectAccessible(page);
  });

  it("keeps the staff role out of the admin pages", async () => {
    const page = await loggedIn("staff");
    const response = await page.goto(`${server.url}/staff/users`);
    expect(response?.status()).toBe(403);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Not allowed");
    expect(await page.locator("nav.staff-nav").textContent()).not.toContain("Staff accounts");
  });
});
