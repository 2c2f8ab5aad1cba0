// WCAG 2.2 AA beyond axe (issue 17), on every public survey in every language, in a real browser:
// reflow at 320 px (drop-downs open too), the heading outline, where focus lands, contrast of focus
// rings and control boundaries, target sizes, keyboard-only ranking, input purposes, and which
// SurveyJS interface strings the surveys ask for (each must be reviewed in every language).
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { englishStrings } from "survey-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { LANGUAGES } from "../../server/i18n/languages.ts";
import { surveyjsStrings } from "../../server/i18n/surveyjs-strings.ts";
import { saveTranslationStatus } from "../../server/queries/survey-translations.ts";
import { projectSurveyFiles } from "../helpers/app.ts";
import {
  axeViolations,
  describeInBrowser,
  launchBrowser,
  startServer,
  type TestServer,
} from "../helpers/browser.ts";
import { SHOWN_SURVEYJS_KEYS } from "../i18n/surveyjs-shown.ts";
import { choose, next, pageIndex } from "./community-survey.ts";

/** The surveys anyone can open by link, read from the survey files (so a new one is checked too). */
const PUBLIC_SURVEYS = projectSurveyFiles()
  .map((file) => ({
    slug: path.basename(file, ".json"),
    definition: JSON.parse(readFileSync(file, "utf8")),
  }))
  .filter(({ definition }) => definition.openDoor?.audience === "public");
const PUBLIC_SLUGS = PUBLIC_SURVEYS.map((s) => s.slug);

/** Records every localization key survey-core asks for, from the moment survey-core loads. */
const RECORD_SURVEYJS_KEYS = `
  window.__surveyjsKeys = new Set();
  let survey;
  Object.defineProperty(window, "Survey", { configurable: true, get: () => survey, set(value) {
    survey = value;
    let localization;
    Object.defineProperty(value, "surveyLocalization", { configurable: true, enumerable: true,
      get: () => localization,
      set(l) {
        localization = l;
        const getString = l.getString;
        l.getString = function (name, locale) { window.__surveyjsKeys.add(name); return getString.call(this, name, locale); };
      } });
  } });`;

/** Text that is off screen, cut off by an ancestor or shortened with an ellipsis; sideways scroll. */
function clippedText(): string[] {
  const problems: string[] = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width)
    problems.push(
      `the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width} px`,
    );
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent?.trim() ?? "";
    const element = node.parentElement;
    if (
      !text ||
      !element ||
      element.closest(".visually-hidden, .sd-visuallyhidden, .sv-visuallyhidden, .skip-link")
    )
      continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(element).visibility === "hidden") continue;
    if (box.left < -0.5 || box.right > width + 0.5) {
      problems.push(`off screen: "${text.slice(0, 60)}"`);
      continue;
    }
    for (let a: Element | null = element; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      const ellipsis = style.textOverflow === "ellipsis" && a.scrollWidth > a.clientWidth + 1;
      if (style.overflowX === "visible" && !ellipsis) continue;
      const frame = a.getBoundingClientRect();
      if (ellipsis || box.right > frame.right + 1 || box.left < frame.left - 1) {
        problems.push(`cut off by .${String(a.className).split(" ")[0]}: "${text.slice(0, 60)}"`);
        break;
      }
    }
  }
  return problems;
}

/** One h1; no level skipped on the way down; every shown page title and question is a heading. */
function outlineProblems(): string[] {
  const problems: string[] = [];
  const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6")).filter(
    (h) => (h as HTMLElement).offsetParent !== null || getComputedStyle(h).position === "fixed",
  );
  const h1 = headings.filter((h) => h.tagName === "H1");
  if (h1.length !== 1) problems.push(`${h1.length} h1 elements`);
  let level = 0;
  for (const h of headings) {
    const l = Number(h.tagName[1]);
    if (l > level + 1) problems.push(`${h.tagName} after h${level}: "${h.textContent?.trim()}"`);
    level = l;
  }
  for (const title of document.querySelectorAll(".sd-page__title, .sd-question__title"))
    if (!/^H[1-6]$/.test(title.tagName)) problems.push(`not a heading: "${title.textContent}"`);
  return problems;
}

/** SurveyJS measures a new page after showing it (a rating scale too wide becomes a drop-down). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await page.waitForTimeout(200);
}

/** Answers whatever SurveyJS marked as missing, so the walk can go on. */
async function answerMissing(page: Page): Promise<void> {
  for (const question of await page.locator(".sd-question--error").all()) {
    const choice = question.locator("label.sd-selectbase__label").first();
    const rating = question.locator(".sd-rating__item").first();
    const text = question.locator("textarea, input.sd-input").first();
    if (await choice.count()) await choice.click();
    else if (await rating.count()) await rating.click();
    else if (await text.count()) await text.fill("Story time");
  }
}

async function goNext(page: Page, onError: () => Promise<void>): Promise<boolean> {
  const button = page.locator("input.sd-navigation__next-btn");
  if (!(await button.isVisible())) return false;
  const before = await pageIndex(page);
  await button.click();
  if (await page.locator(".sd-question--error").count()) {
    await onError();
    await answerMissing(page);
    await button.click();
  }
  await page.waitForFunction(
    (n) =>
      Array.from(document.querySelectorAll(".sd-progress-buttons__list li")).findIndex((li) =>
        li.classList.contains("sd-progress-buttons__list-element--current"),
      ) === n,
    before + 1,
  );
  await settle(page);
  return true;
}

/**
 * Pointer targets under 24 × 24 px that the spacing exception of WCAG 2.5.8 does not cover: a
 * 24 px circle on the target's centre may not touch another target, nor another small one's circle.
 * SurveyJS's progress dots count: a click on one jumps to that page.
 */
function undersizedTargets(): string[] {
  const targets = Array.from(
    document.querySelectorAll(
      "a[href], button, input:not(.sd-visuallyhidden):not([type=hidden]), select, textarea, label.sd-selectbase__label, [role=button], [tabindex='0'], .sd-progress-buttons__list li",
    ),
  )
    .filter((e) => (e as HTMLElement).offsetParent !== null && !e.closest(".skip-link"))
    .map((e) => ({ e, box: e.getBoundingClientRect() }))
    .filter(({ box }) => box.width > 0 && box.height > 0);
  const centre = (b: DOMRect) => ({ x: b.left + b.width / 2, y: b.top + b.height / 2 });
  const isSmall = (b: DOMRect) => b.width < 24 || b.height < 24;
  const distanceToBox = (p: { x: number; y: number }, b: DOMRect) =>
    Math.hypot(Math.max(b.left - p.x, 0, p.x - b.right), Math.max(b.top - p.y, 0, p.y - b.bottom));
  return targets
    .filter(({ box }) => isSmall(box))
    .filter(({ e, box }) =>
      targets.some((other) => {
        if (other.e === e || other.e.contains(e) || e.contains(other.e)) return false;
        const c = centre(box);
        if (isSmall(other.box)) {
          const o = centre(other.box);
          return Math.hypot(c.x - o.x, c.y - o.y) < 24;
        }
        return distanceToBox(c, other.box) < 12;
      }),
    )
    .map(
      ({ e, box }) =>
        `${e.tagName}.${String(e.className).split(" ")[0]} ${Math.round(box.width)}×${Math.round(box.height)}`,
    );
}

/** Relative-luminance contrast of two CSS colours (WCAG 2.2 definition). */
const CONTRAST_SOURCE = `
  window.__contrast = (a, b) => {
    const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
    const lum = (c) => {
      const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  window.__background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && !/rgba\\(.*, 0\\)$/.test(c) && c !== "transparent") return c;
    }
    return "rgb(255, 255, 255)";
  };`;

describeInBrowser("accessibility of the public surveys (WCAG 2.2 AA)", { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    // Machine-draft translations (the newest languages) are hidden from the public until staff
    // allow them; allow every one here, so each language is checked as a patron would see it.
    for (const { slug, definition } of PUBLIC_SURVEYS) {
      for (const language of Object.keys(definition.openDoor?.translationStatus ?? {})) {
        await saveTranslationStatus(server.db, {
          slug,
          language,
          status: "draft",
          allowDraft: true,
          by: "accessibility-test@library.test",
          at: new Date(),
        });
      }
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(() => context?.close());

  async function open(width: number): Promise<Page> {
    context = await browser.newContext({ viewport: { width, height: 800 } });
    page = await context.newPage();
    await page.addInitScript({ content: RECORD_SURVEYJS_KEYS });
    await page.addInitScript({ content: CONTRAST_SOURCE });
    return page;
  }

  /** The survey-core keys a page asked for that are real strings and not in the reviewed list. */
  async function unreviewedKeys(target: Page): Promise<string[]> {
    const asked: string[] = await target.evaluate("[...window.__surveyjsKeys]");
    const shown = new Set<string>(SHOWN_SURVEYJS_KEYS);
    return asked.filter((key) => key in englishStrings && !shown.has(key));
  }

  for (const language of LANGUAGES) {
    it(`shows every public survey at 320 px in ${language.englishName} with nothing cut off, a sound outline and reviewed SurveyJS strings`, async () => {
      await open(320);
      const problems: string[] = [];
      const unreviewed = new Set<string>();
      for (const slug of PUBLIC_SLUGS) {
        await page.goto(`${server.url}/s/${slug}?lang=${language.code}`);
        await page.waitForSelector(".sd-question");
        await settle(page);
        const where = (n: number, state: string) => `${slug} page ${n + 1}${state}`;
        for (let n = 0; ; n++) {
          for (const p of await page.evaluate(clippedText)) problems.push(`${where(n, "")}: ${p}`);
          for (const p of await page.evaluate(outlineProblems))
            problems.push(`${where(n, "")}: ${p}`);
          for (const dropdown of await page.locator(".sd-dropdown").all()) {
            if (!(await dropdown.isVisible())) continue;
            const list = page.locator(".sv-popup .sv-list__item:visible").first();
            // A click that lands while the previous pop-up is still closing can be swallowed
            // (seen once in a full run): click again rather than wait out the timeout.
            for (let attempt = 1; ; attempt++) {
              await dropdown.click();
              try {
                await list.waitFor({ timeout: 10_000 });
                break;
              } catch (error) {
                if (attempt === 3) throw error;
              }
            }
            await page.waitForTimeout(250); // the pop-up's opening animation
            for (const p of await page.evaluate(clippedText))
              problems.push(`${where(n, ", drop-down open")}: ${p}`);
            await page.keyboard.press("Escape");
            await list.waitFor({ state: "hidden" });
          }
          if (n === 0) {
            const violations = await axeViolations(page);
            if (violations.length) problems.push(`${slug}: axe ${JSON.stringify(violations)}`);
          }
          const moved = await goNext(page, async () => {
            for (const p of await page.evaluate(clippedText))
              problems.push(`${where(n, ", with errors")}: ${p}`);
          });
          if (!moved) break;
        }
        for (const key of await unreviewedKeys(page)) unreviewed.add(key);
      }
      expect(problems).toEqual([]);
      expect([...unreviewed]).toEqual([]);
    });
  }

  it("asks survey-core only for reviewed strings at desktop width too", async () => {
    await open(1280);
    const unreviewed = new Set<string>();
    for (const slug of PUBLIC_SLUGS) {
      await page.goto(`${server.url}/s/${slug}?lang=es`);
      await page.waitForSelector(".sd-question");
      for (const dropdown of await page.locator(".sd-dropdown:visible").all()) {
        await dropdown.click();
        await page.keyboard.press("Escape");
      }
      while (await goNext(page, async () => {})) {
        for (const dropdown of await page.locator(".sd-dropdown:visible").all()) {
          await dropdown.click();
          await page.keyboard.press("Escape");
        }
      }
      for (const key of await unreviewedKeys(page)) unreviewed.add(key);
    }
    expect([...unreviewed]).toEqual([]);
  });

  for (const language of LANGUAGES) {
    it(`moves focus to the error, the new page's heading and the thank-you message in ${language.englishName}`, async () => {
      await open(800);
      await page.goto(`${server.url}/s/community-needs?lang=${language.code}`);
      await page.waitForSelector(".sd-question");
      const pages = await page.locator(".sd-progress-buttons__list li").count();

      // Next with the required first question unanswered: focus on it, its error a live region.
      await page.locator("input.sd-navigation__next-btn").click();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.closest(".sd-question")?.id))
        .toBe(await page.locator('[data-name="library_use"]').getAttribute("id"));
      const error = page.locator('[data-name="library_use"] .sd-question__erbox');
      expect(await error.getAttribute("role")).toBe("alert");
      expect((await error.textContent())?.trim()).not.toBe("");
      const group = page.locator('[data-name="library_use"] fieldset');
      expect(await group.getAttribute("aria-describedby")).toBe(await error.getAttribute("id"));

      const progress = (n: number) =>
        (surveyjsStrings(language.code).progressText ?? "")
          .replace("{0}", String(n))
          .replace("{1}", String(pages));
      const focusedHeading = () =>
        page.evaluate(() => {
          const active = document.activeElement as HTMLElement;
          const described = document.getElementById(active.getAttribute("aria-describedby") ?? "");
          return {
            tag: active.tagName,
            text: active.textContent?.trim(),
            description: described?.textContent?.trim(),
          };
        });
      const pageTitle = () => page.locator(".sd-page__title").first().textContent();

      await choose(page, "library_use", "never");
      await next(page);
      await expect.poll(async () => (await focusedHeading()).tag).toBe("H2");
      expect(await focusedHeading()).toEqual({
        tag: "H2",
        text: (await pageTitle())?.trim(),
        description: progress(2),
      });

      await page.locator("input.sd-navigation__prev-btn").click();
      await expect.poll(async () => (await focusedHeading()).description).toBe(progress(1));
      expect((await focusedHeading()).text).toBe((await pageTitle())?.trim());

      await next(page);
      await choose(page, "barriers", "hours");
      while ((await pageIndex(page)) < pages - 1) await next(page);
      await page.locator("input.sd-navigation__complete-btn").click();
      await expect
        .poll(() =>
          page.evaluate(() => document.activeElement?.classList.contains("sd-completedpage")),
        )
        .toBe(true);
      expect(await page.locator(".sd-completedpage h2").count()).toBe(1);
      expect(await page.evaluate(outlineProblems)).toEqual([]);
    });
  }

  it("names every landmark, on the home page and the survey page", async () => {
    await open(1024);
    for (const url of ["/?lang=es", "/s/community-needs?lang=ar"]) {
      await page.goto(`${server.url}${url}`);
      const unnamed = await page.evaluate(() =>
        Array.from(document.querySelectorAll("header, nav, main, aside, footer, [role=region]"))
          .filter((e) => !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby"))
          .map((e) => e.outerHTML.slice(0, 80)),
      );
      expect(unnamed, url).toEqual([]);
    }
  });

  it("draws a focus ring of at least 2 px and 3:1 on the site's links and buttons", async () => {
    await open(1024);
    await page.goto(`${server.url}/?lang=en`);
    const rings: { name: string; width: number; contrast: number }[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      rings.push(
        await page.evaluate(() => {
          const active = document.activeElement as HTMLElement;
          const style = getComputedStyle(active);
          const w = window as unknown as {
            __contrast(a: string, b: string): number;
            __background(e: Element): string;
          };
          // The ring is drawn outside the element (outline-offset), on its parent's background.
          const behind = w.__background(active.parentElement as Element);
          return {
            name: active.textContent?.trim() ?? active.tagName,
            width: style.outlineStyle === "none" ? 0 : Number.parseFloat(style.outlineWidth),
            contrast: w.__contrast(style.outlineColor, behind),
          };
        }),
      );
    }
    for (const ring of rings) {
      expect(ring.width, ring.name).toBeGreaterThanOrEqual(2);
      expect(ring.contrast, ring.name).toBeGreaterThanOrEqual(3);
    }
  });

  it("outlines radio buttons, checkboxes, text boxes and rating buttons at 3:1 or more", async () => {
    await open(1024);
    await page.goto(`${server.url}/s/program-outcome?lang=en`);
    await page.waitForSelector(".sd-question");
    const measured = new Map<string, number>();
    for (let n = 0; n < 6; n++) {
      const found = await page.evaluate(() => {
        const w = window as unknown as {
          __contrast(a: string, b: string): number;
          __background(e: Element): string;
        };
        const out: Record<string, number> = {};
        for (const selector of [
          ".sd-radio__decorator",
          ".sd-checkbox__decorator",
          "textarea.sd-input",
          "input.sd-input",
          ".sd-rating__item",
          ".sd-dropdown",
        ]) {
          const element = document.querySelector(selector);
          if (!element) continue;
          const shadow = getComputedStyle(element).boxShadow;
          const color = shadow.match(/rgba?\([^)]*\)/)?.[0] ?? "rgba(0, 0, 0, 0)";
          out[selector] = w.__contrast(color, w.__background(element.parentElement as Element));
        }
        return out;
      });
      for (const [selector, contrast] of Object.entries(found)) measured.set(selector, contrast);
      if (!(await goNext(page, async () => {}))) break;
    }
    expect([...measured.keys()].sort()).toEqual(
      [
        ".sd-checkbox__decorator",
        ".sd-radio__decorator",
        "textarea.sd-input",
        "input.sd-input",
        ".sd-rating__item",
        ".sd-dropdown",
      ].sort(),
    );
    for (const [selector, contrast] of measured)
      expect(contrast, selector).toBeGreaterThanOrEqual(3);
  });

  it("makes every pointer target at least 24 by 24 px on a phone, or spaced as 2.5.8 allows", async () => {
    await open(320);
    const small: string[] = [];
    for (const url of ["/?lang=tl", "/s/community-needs?lang=tl", "/s/plan-input?lang=vi"]) {
      await page.goto(`${server.url}${url}`);
      for (let n = 0; n < 8; n++) {
        small.push(...(await page.evaluate(undersizedTargets)));
        if (!url.startsWith("/s/") || !(await goNext(page, async () => {}))) break;
      }
    }
    expect(small).toEqual([]);
  });

  it("lets a keyboard alone rank the plan's parts, saying where each one moved, and stores the order", async () => {
    await open(1024);
    await page.goto(`${server.url}/s/plan-input?lang=en`);
    await page.waitForSelector(".sd-question");
    /** Presses Tab until the focused element matches, as a keyboard user would. */
    async function tabTo(selector: string) {
      for (let i = 0; i < 120; i++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
      }
      throw new Error(`Tab never reached ${selector}`);
    }
    await tabTo("input.sd-navigation__next-btn");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".od-ranking__item");
    // SurveyJS's own drag-and-drop list is out of the way of keyboards and screen readers.
    expect(await page.locator(".sv-ranking").isHidden()).toBe(true);
    const items = await page.locator(".od-ranking__text").allTextContents();
    expect(await page.locator(".od-ranking__list").getAttribute("aria-labelledby")).toMatch(
      /_ariaTitle$/,
    );

    await tabTo(".od-ranking__move--down");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(
      `Move down: ${items[0]}`,
    );
    await page.keyboard.press("Enter");
    await page.keyboard.press("Space");
    const status = page.locator(".od-ranking [role=status]");
    await expect.poll(() => status.textContent()).toBe(`${items[0]}: number 3 of ${items.length}`);
    const expected = [items[1], items[2], items[0], ...items.slice(3)];
    const id: string = await page.evaluate(
      () => JSON.parse(localStorage.getItem("opendoor.progress.plan-input") ?? "{}").id ?? "",
    );
    expect(await page.locator(".od-ranking__text").allTextContents()).toEqual(expected);
    expect(await page.locator(".sv-ranking").isHidden()).toBe(true); // still, after SurveyJS re-rendered

    for (let n = 0; n < 2; n++) {
      await tabTo("input.sd-navigation__next-btn");
      await page.keyboard.press("Enter");
    }
    await tabTo("input.sd-navigation__complete-btn");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await server.db("responses").where({ id })).length).toBe(1);
    const row = await server.db("responses").where({ id }).first();
    const plan = PUBLIC_SURVEYS.find((s) => s.slug === "plan-input")?.definition;
    const choices: { value: string; text: { default: string } }[] =
      plan.pages[1].elements[0].choices;
    const choiceValue = new Map(choices.map((c) => [c.text.default, c.value]));
    expect(JSON.parse(row.data).section_priority).toEqual(
      expected.map((t) => choiceValue.get(t ?? "")),
    );
  });

  it("asks for a postal code with a numeric keypad, its autocomplete purpose and the validator's length", async () => {
    await open(800);
    for (const slug of ["community-needs", "plan-input"]) {
      await page.goto(`${server.url}/s/${slug}?lang=en`);
      await page.waitForSelector(".sd-question");
      while (!(await page.locator('[data-name="zip"] input').count())) {
        if (!(await goNext(page, async () => {}))) break;
      }
      const zip = page.locator('[data-name="zip"] input');
      expect(await zip.getAttribute("autocomplete"), slug).toBe("postal-code");
      expect(await zip.getAttribute("inputmode"), slug).toBe("numeric");
      expect(await zip.getAttribute("maxlength"), slug).toBe("5");
    }
    await page.goto(`${server.url}/s/partner-assessment?lang=en`);
    expect(
      await page.locator('[data-name="organization_name"] input').getAttribute("autocomplete"),
    ).toBe("organization");
  });
});
