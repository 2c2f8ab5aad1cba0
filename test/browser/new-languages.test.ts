// The community needs survey in each language added for issue 20 (Somali, Hmong, Haitian Creole,
// Russian, Portuguese, Nepali) in a real browser: hidden while a machine draft, shown once staff
// allow it; right lang attribute; every SurveyJS interface string Open Door ships for it
// registered in the browser; nothing English left on the first page; axe-clean; and Nepali drawn
// with a Devanagari font, not tofu (a screenshot is written to test-results/ for a human look).
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { getLanguage } from "../../server/i18n/languages.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { saveTranslationStatus } from "../../server/queries/survey-translations.ts";
import {
  axeViolations,
  describeInBrowser,
  launchBrowser,
  logInThroughForm,
  STAFF_EMAIL,
  startServer,
  type TestServer,
} from "../helpers/browser.ts";
import { addStaffAccount } from "../staff/helpers.ts";
import { choose, finish, next } from "./community-survey.ts";

const NEW_LANGUAGES = ["so", "hmn", "ht", "ru", "pt", "ne"];
const SURVEY = "/s/community-needs";

/** Open Door's own SurveyJS strings for a language (server/i18n/surveyjs/<code>.json). */
const ownStrings = async (code: string) =>
  JSON.parse(
    await readFile(path.join(ROOT_DIR, "server", "i18n", "surveyjs", `${code}.json`), "utf8"),
  ) as Record<string, string>;

/** The font families chromium used to draw the text of the first element matching `selector`. */
async function fontsUsed(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("DOM.enable");
  await cdp.send("CSS.enable");
  const { root } = await cdp.send("DOM.getDocument");
  const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
  await cdp.detach();
  return fonts.map((f) => f.familyName);
}

describeInBrowser("the survey in the new languages", { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Staff allow the machine draft on the public page. */
  const allow = (code: string) =>
    saveTranslationStatus(server.db, {
      slug: "community-needs",
      language: code,
      status: "draft",
      allowDraft: true,
      by: "browser-test@library.test",
      at: new Date(),
    });

  const open = async (code: string) => {
    const page = await browser.newPage();
    await page.goto(`${server.url}${SURVEY}?lang=${code}`);
    return page;
  };

  it("keeps a machine-draft language off the public page until staff allow it", async () => {
    const page = await open("ne");
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    await page.close();
  });

  for (const code of NEW_LANGUAGES) {
    it(`shows the survey in ${getLanguage(code).englishName} with its interface strings, lang="${getLanguage(code).htmlLang}", and no axe violations`, async () => {
      await allow(code);
      const page = await open(code);
      const language = getLanguage(code);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(language.htmlLang);
      await page.locator('[data-name="library_use"]').waitFor();

      // Every string Open Door ships for the language is what SurveyJS uses in the browser.
      const strings = await ownStrings(code);
      const inBrowser = await page.evaluate(
        ({ locale, keys }) => {
          const l10n = (
            window as unknown as {
              Survey: { surveyLocalization: { getString(key: string, locale: string): string } };
            }
          ).Survey.surveyLocalization;
          return Object.fromEntries(keys.map((key) => [key, l10n.getString(key, locale)]));
        },
        { locale: code, keys: Object.keys(strings) },
      );
      expect(inBrowser).toEqual(strings);

      // Nothing English on the first page: the question, its answers and the navigation.
      const text = (await page.locator("#survey-root").textContent()) ?? "";
      for (const english of ["how often have you used", "Every week or more", "Next", "Back"]) {
        expect(text, `${code}: "${english}"`).not.toContain(english);
      }
      expect(await page.locator("input.sd-navigation__next-btn").inputValue()).not.toBe("Next");

      // The picker names the language in its own script.
      expect(await page.locator(`a[hreflang="${code}"], [lang="${code}"]`).allInnerTexts()).toEqual(
        expect.arrayContaining([expect.stringContaining(language.nativeName)]),
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it("draws Nepali with a Devanagari font (no tofu) and stores a response in Nepali", async () => {
    await allow("ne");
    const page = await open("ne");
    await page.locator('[data-name="library_use"]').waitFor();
    const fonts = await fontsUsed(
      page,
      '[data-name="library_use"] .sd-question__title .sv-string-viewer',
    );
    expect(
      fonts.some((family) => /devanagari/i.test(family)),
      fonts.join(", "),
    ).toBe(true);
    await mkdir(path.join(ROOT_DIR, "test-results"), { recursive: true });
    const shot = path.join(ROOT_DIR, "test-results", "survey-nepali.png");
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`Nepali survey screenshot (fonts: ${fonts.join(", ")}): ${shot}`);

    await choose(page, "library_use", "never");
    await next(page);
    await finish(page);
    await expect
      .poll(() => page.locator("#survey-message").textContent())
      .toBe("तपाईंका जवाफहरू प्राप्त भए। धन्यवाद!");
    const row = await server.db("responses").where({ language: "ne" }).first();
    expect(row).toMatchObject({ language: "ne", channel: "web" });
    await page.close();
  });

  it("shows the staff language pages (ranking, translations, review, interface) without accessibility violations", async () => {
    await addStaffAccount(server.db, STAFF_EMAIL);
    await importCommunity(server.db, {
      by: commandLine(),
      file: path.join(
        ROOT_DIR,
        "test",
        "fixtures",
        "language-access",
        "ACSDT5Y2022.C16001-Data.csv",
      ),
    });
    const page = await browser.newPage();
    await logInThroughForm(page, server);
    for (const url of [
      "/staff/languages",
      "/staff/surveys/community-needs/translations",
      "/staff/surveys/community-needs/translations/ne/review",
      "/staff/translations/interface",
      "/staff/surveys/community-needs/share",
    ]) {
      await page.goto(`${server.url}${url}`);
      const violations = await axeViolations(page);
      expect(violations, `${url}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
    }
    await page.close();
  });
});
