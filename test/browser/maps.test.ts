// The usage-gap map in a real browser: drawn under the Content-Security-Policy with no script,
// every area named for assistive technology, axe-clean, and the screenshot the README's "Maps"
// section shows (public/docs/staff-map.png, written when missing or with UPDATE_SCREENSHOTS=1).
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { loadDemoData } from "../../server/imports/demo.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { runUsageGapAnalysis } from "../../server/reports/usage-gaps.ts";
import {
  axeViolations,
  describeInBrowser,
  launchBrowser,
  logInThroughForm,
  startStaffServer,
  type TestServer,
} from "../helpers/browser.ts";

const SCREENSHOT = path.join(ROOT_DIR, "public", "docs", "staff-map.png");

describeInBrowser("the usage-gap map", { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startStaffServer();
    await loadDemoData(server.db, { force: true });
    await runUsageGapAnalysis(server.db, {
      by: commandLine(),
      suppressBelow: server.config.suppressBelow,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function gapsPage(query = ""): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text()))
        problems.push(message.text());
    });
    await logInThroughForm(page, server);
    await page.goto(`${server.url}/staff/gaps${query}`);
    return page;
  }

  it("shows the penetration map with every tract named, passes axe, and loads nothing blocked", async () => {
    const page = await gapsPage();
    const map = page.locator("svg.map");
    await expect.poll(() => map.isVisible()).toBe(true);
    const box = await map.boundingBox();
    expect(box?.width).toBeGreaterThan(600);
    const areas = map.getByRole("img");
    expect(await areas.count()).toBe(40);
    await expect
      .poll(() =>
        map
          .getByRole("img", {
            name: "Census Tract 32; Riverbend County; Demo State (99001003200): 36.7 active users per 1,000 residents (priority area)",
          })
          .count(),
      )
      .toBe(1);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    expect(problems).toEqual([]);
    const image = await page.locator("section.gap-map").screenshot();
    expect(image.length).toBeGreaterThan(10_000);
    if (process.env.UPDATE_SCREENSHOTS === "1" || !existsSync(SCREENSHOT))
      writeFileSync(SCREENSHOT, image);
  });

  it("switches to the non-users map and stays accessible", async () => {
    const page = await gapsPage("?map=non-users");
    await expect
      .poll(() => page.getByRole("heading", { name: /Map: Estimated non-users/ }).count())
      .toBe(1);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
