// The fieldwork guide (issue 18) in a real browser on the demo data plus the fieldwork scenario
// (seedFieldworkScenario): charts drawn from their tables, axe clean, and the README screenshot.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { loadDemoData } from "../../server/imports/demo.ts";
import { seedFieldworkScenario } from "../../server/imports/fieldwork-demo.ts";
import {
  axeViolations,
  describeInBrowser,
  launchBrowser,
  logInThroughForm,
  startStaffServer,
  type TestServer,
} from "../helpers/browser.ts";

const SHOT = path.join(ROOT_DIR, "public", "docs", "staff-fieldwork.png");

describeInBrowser("the fieldwork guide", { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startStaffServer();
    // The demo's census and patron data, and the scenario's responses in place of the demo's own
    // (which answer in every language, so "no responses in Vietnamese yet" would not come up).
    await loadDemoData(server.db, { force: true, activity: false });
    // The demo's census is by tract, so the scenario's ZIP codes leave area out of the guide.
    await seedFieldworkScenario(server.db, { zips: ["94110"] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("draws its charts, ranks actions with links, and passes axe", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await logInThroughForm(page, server);
    await page.goto(`${server.url}/staff/surveys/community-needs`);
    await page.getByRole("link", { name: "Fieldwork guide" }).click();
    await page.waitForURL(/\/fieldwork$/);
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll("figure[data-chart]")).every(
        (f) => f.querySelector("table") === null || (f as HTMLElement).dataset.drawn === "true",
      ),
    );
    const drawn = await page.locator("figure[data-chart] canvas").count();
    expect(drawn).toBeGreaterThanOrEqual(5);
    const actions = page.locator("#actions-heading + p + ol > li");
    expect(await actions.count()).toBeGreaterThan(2);
    await expect.poll(() => actions.first().textContent()).toMatch(/non-users/);
    expect(await page.locator('a[href$="/flyer?lang=vi"]').count()).toBeGreaterThan(0);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    expect(problems).toEqual([]);
    const image = await page.screenshot({ fullPage: false });
    mkdirSync(path.dirname(SHOT), { recursive: true });
    if (process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(SHOT)) writeFileSync(SHOT, image);
    await context.close();
  });
});
