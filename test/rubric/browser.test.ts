// The rubric pages in a real browser (Debian's chromium): a staff member records an assessment
// through the form, the scores-over-time chart is drawn from its data table, and axe-core finds
// no WCAG 2.1 A/AA violation on the page (English and Spanish rubric text) or the printable page.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { listAssessments } from "../../server/queries/rubric.ts";
import {
  axeViolations,
  describeInBrowser,
  launchBrowser,
  logInThroughForm,
  startStaffServer,
  type TestServer,
} from "../helpers/browser.ts";
import { seedResponses } from "./helpers.ts";

describeInBrowser("the rubric pages", { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startStaffServer();
    await seedResponses(server.db, "community-needs", 12, {
      data: { library_use: "never", home_languages: ["english", "spanish"], age_band: "25_34" },
    });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await logInThroughForm(page, server);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  async function expectAccessible() {
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  }

  it("records an assessment through the form and draws the history chart", async () => {
    await page.goto(`${server.url}/staff/rubric`);
    await expectAccessible();
    await page.getByLabel("Date of the assessment").fill("2026-04-01");
    await page.getByLabel("Who took part").fill("Library team and two advisory board members");
    await page.getByLabel("Score for end goal (a)").selectOption("4");
    await page.getByLabel("Score for end goal (b)").selectOption("2");
    await page.getByLabel("Indicator a1 is met").check();
    await page.getByLabel("Evidence notes for a1").fill("Reviewed the usage-gap findings.");
    await page.getByLabel("Next steps").fill("Interview non-users at the farmers market.");
    await page.getByRole("button", { name: "Record the assessment" }).click();
    await page.waitForURL(/\/staff\/rubric#assessment-\d+$/);
    await expect.poll(() => page.locator("p.flash").textContent()).toContain("recorded");

    const [stored] = await listAssessments(server.db);
    expect(stored).toMatchObject({ assessedOn: "2026-04-01", scores: { a: 4, b: 2 } });
    expect(stored?.indicators.a1?.met).toBe(true);

    await page.waitForFunction(
      () =>
        (document.querySelector("#rubric-scores-over-time") as HTMLElement | null)?.dataset
          .drawn === "true",
    );
    expect(await page.locator("#rubric-scores-over-time canvas").count()).toBe(1);
    await expectAccessible();
  });

  it("shows a refused form's problems with links to the fields, accessibly", async () => {
    await page.goto(`${server.url}/staff/rubric`);
    await page.getByLabel("Who took part").fill("");
    await page.getByRole("button", { name: "Record the assessment" }).click();
    await expect
      .poll(() => page.locator("#error-summary").textContent())
      .toContain("say who took part");
    await expectAccessible();
  });

  it("has no accessibility violations with the Spanish rubric text or on the printable page", async () => {
    await page.goto(`${server.url}/staff/rubric?lang=es`);
    await expectAccessible();
    await page.goto(`${server.url}/staff/rubric/print`);
    await expectAccessible();
    await page.goto(`${server.url}/staff/rubric/print?blank=1&lang=es`);
    await expectAccessible();
  });
});
