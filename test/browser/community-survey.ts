// Driving the SurveyJS form of surveys/community-needs.json in a browser, by answer values (so the
// same steps work in every language).
import type { Page } from "playwright-core";

/** The index of the page SurveyJS shows (from its progress bar). */
export function pageIndex(page: Page): Promise<number> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".sd-progress-buttons__list li")).findIndex((li) =>
      li.classList.contains("sd-progress-buttons__list-element--current"),
    ),
  );
}

export function pageCount(page: Page): Promise<number> {
  return page.locator(".sd-progress-buttons__list li").count();
}

/** Ticks the radio or checkbox whose answer value is `value` in question `name`. */
export async function choose(page: Page, name: string, value: string): Promise<void> {
  await page.locator(`[data-name="${name}"] label:has(input[value="${value}"])`).click();
}

export async function next(page: Page): Promise<void> {
  const before = await pageIndex(page);
  await page.locator("input.sd-navigation__next-btn").click();
  await page.waitForFunction(
    (n) =>
      Array.from(document.querySelectorAll(".sd-progress-buttons__list li")).findIndex((li) =>
        li.classList.contains("sd-progress-buttons__list-element--current"),
      ) === n,
    before + 1,
  );
}

/** Pages forward to the last page and submits. */
export async function finish(page: Page): Promise<void> {
  const last = (await pageCount(page)) - 1;
  while ((await pageIndex(page)) < last) await next(page);
  await page.locator("input.sd-navigation__complete-btn").click();
}

/** A non-user's answers: never uses the library, finds the hours hard, says what would help. */
export async function answerAsNonUser(page: Page, comment: string): Promise<void> {
  await choose(page, "library_use", "never");
  await next(page);
  await choose(page, "barriers", "hours");
  await page.locator('[data-name="would_bring_you"] textarea').fill(comment);
  await finish(page);
}
