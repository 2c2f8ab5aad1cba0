// The public link in a real browser: Spanish completion, resume after reload, keyboard only,
// a response kept through a browser restart, axe.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from "vitest";
import {
  axeViolations,
  describeInBrowser,
  launchBrowser,
  launchWithProfile,
  startServer,
  type TestServer,
} from "../helpers/browser.ts";
import { choose, finish, next, pageIndex } from "./community-survey.ts";

const SURVEY = "/s/community-needs";
const PROGRESS_KEY = "opendoor.progress.community-needs";

describeInBrowser("the public survey link", { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
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

  const findResponse = (id: string) => server.db("responses").where({ id }).first();
  const savedProgress = () =>
    page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "null"), PROGRESS_KEY);

  it("(a) takes the community needs survey in Spanish and stores the response", async () => {
    await page.goto(`${server.url}${SURVEY}?lang=es`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("es");
    await choose(page, "library_use", "never");
    const { id } = await savedProgress();
    await next(page);
    await choose(page, "barriers", "hours");
    await page.locator('[data-name="would_bring_you"] textarea').fill("Horario por la tarde");
    await finish(page);

    await expect
      .poll(() => page.locator("#survey-message").textContent())
      .toBe("Hemos recibido sus respuestas. ¡Gracias!");
    const row = await findResponse(id);
    expect(row).toMatchObject({ language: "es", channel: "web", location: null });
    expect(JSON.parse(row.data)).toMatchObject({
      library_use: "never",
      barriers: ["hours"],
      would_bring_you: "Horario por la tarde",
    });
    expect(await savedProgress()).toBeNull();
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it("(e) resumes where the person stopped after a reload, with the same response id", async () => {
    await page.goto(`${server.url}${SURVEY}?lang=en`);
    await choose(page, "library_use", "never");
    await next(page);
    await choose(page, "barriers", "distance_transport");
    // Typed but not yet left: kept as typed.
    await page.locator('[data-name="would_bring_you"] textarea').pressSequentially("A bus stop");
    const before = await savedProgress();
    expect(before.page).toBe(1);

    await page.reload();
    await page.waitForSelector(".sd-question");
    expect(await page.locator("#survey-resumed").isVisible()).toBe(true);
    expect(await pageIndex(page)).toBe(1);
    expect(
      await page.locator('[data-name="barriers"] input[value="distance_transport"]').isChecked(),
    ).toBe(true);
    expect(await page.locator('[data-name="would_bring_you"] textarea').inputValue()).toBe(
      "A bus stop",
    );

    await finish(page);
    await vi.waitFor(async () => expect(await findResponse(before.id)).toBeDefined(), {
      timeout: 5000,
    });
    expect(JSON.parse((await findResponse(before.id)).data)).toMatchObject({
      library_use: "never",
      barriers: ["distance_transport"],
      would_bring_you: "A bus stop",
    });
    expect(await savedProgress()).toBeNull();
  });

  it("can be completed with the keyboard alone", async () => {
    await page.goto(`${server.url}${SURVEY}?lang=en`);
    await page.waitForSelector(".sd-question");
    const focused = () =>
      page.evaluate(() => {
        const e = document.activeElement as HTMLInputElement | null;
        return { tag: e?.tagName, type: e?.type, value: e?.value, cls: e?.className ?? "" };
      });
    /** Tabs forward until the focused element matches, as a keyboard user would. */
    const tabTo = async (match: (f: Awaited<ReturnType<typeof focused>>) => boolean) => {
      for (let presses = 0; presses < 80; presses++) {
        await page.keyboard.press("Tab");
        if (match(await focused())) return;
      }
      throw new Error("the keyboard never reached the expected control");
    };

    await tabTo((f) => f.type === "radio");
    // Arrow keys move through a radio group; "monthly" is the second choice.
    await page.keyboard.press("ArrowDown");
    expect((await focused()).value).toBe("monthly");
    const id = (await savedProgress()).id;
    let last = 0;
    for (;;) {
      const current = await pageIndex(page);
      const isLast = (await page.locator("input.sd-navigation__complete-btn").count()) > 0;
      await tabTo((f) => f.cls.includes(isLast ? "complete-btn" : "next-btn"));
      await page.keyboard.press("Enter");
      if (isLast) break;
      await page.waitForFunction(
        (n) =>
          Array.from(document.querySelectorAll(".sd-progress-buttons__list li")).findIndex((li) =>
            li.classList.contains("sd-progress-buttons__list-element--current"),
          ) === n,
        current + 1,
      );
      last = current + 1;
    }
    expect(last).toBeGreaterThan(5);
    await vi.waitFor(async () => expect(await findResponse(id)).toBeDefined(), { timeout: 5000 });
    expect(JSON.parse((await findResponse(id)).data)).toEqual({ library_use: "monthly" });
  });

  it("keeps a response finished offline through a browser restart, then sends it", async () => {
    const profile = await mkdtemp(path.join(tmpdir(), "opendoor-profile-"));
    try {
      let browserOnDisk = await launchWithProfile(profile);
      let tab = await browserOnDisk.newPage();
      await tab.goto(`${server.url}${SURVEY}?lang=en`);
      await choose(tab, "library_use", "weekly");
      const { id } = await tab.evaluate(
        (key) => JSON.parse(localStorage.getItem(key) ?? "null"),
        PROGRESS_KEY,
      );
      await server.stop();
      await finish(tab);
      await expect
        .poll(() => tab.locator("#survey-message").textContent())
        .toMatch(/saved on this device and will be sent automatically/);
      await browserOnDisk.close();
      await server.start();
      expect(await findResponse(id)).toBeUndefined();

      browserOnDisk = await launchWithProfile(profile);
      tab = await browserOnDisk.newPage();
      await tab.goto(`${server.url}${SURVEY}?lang=en`);
      await vi.waitFor(async () => expect(await findResponse(id)).toBeDefined(), {
        timeout: 10_000,
      });
      expect(JSON.parse((await findResponse(id)).data)).toEqual({ library_use: "weekly" });
      await browserOnDisk.close();
    } finally {
      await server.start();
      await rm(profile, { recursive: true, force: true });
    }
  }, 120_000); // two browser launches

  const pages: [string, string][] = [
    ["the list of surveys", "/?lang=en"],
    ["the survey in English", `${SURVEY}?lang=en`],
    ["the survey in Arabic", `${SURVEY}?lang=ar`],
  ];
  for (const [name, url] of pages) {
    it(`has no WCAG 2.2 A/AA violations on ${name}`, async () => {
      await page.goto(`${server.url}${url}`);
      if (url.startsWith(SURVEY)) await page.waitForSelector(".sd-question");
      expect(await axeViolations(page)).toEqual([]);
    });
  }
});
