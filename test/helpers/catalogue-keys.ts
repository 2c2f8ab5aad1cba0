// A group of message-catalogue keys, checked in every language the project has: present, with
// the English text's placeholders, and not left in English.
import { expect, it } from "vitest";
import { catalogues } from "../../server/i18n/messages.ts";

export const englishCatalogue = catalogues.get("en") ?? {};

const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

/** The English keys `pick` selects. */
export const catalogueKeys = (pick: (key: string) => boolean): string[] =>
  Object.keys(englishCatalogue).filter(pick);

/**
 * One test per language (inside a describe): every key translated, with the same placeholders.
 * `mayMatch`: keys whose text may read the same as in English (punctuation, a shared word).
 */
export function itTranslatesEveryKey(
  keys: readonly string[],
  options: { mayMatch?: ReadonlySet<string> } = {},
): void {
  for (const [code, catalogue] of catalogues) {
    if (code === "en") continue;
    it(`are all in ${code}, with the same placeholders, and not left in English`, () => {
      for (const key of keys) {
        const text = catalogue[key];
        expect(text, `${code}: ${key}`).toBeTruthy();
        expect(placeholders(text ?? ""), `${code}: ${key}`).toEqual(
          placeholders(englishCatalogue[key] ?? ""),
        );
        if (!options.mayMatch?.has(key))
          expect(text, `${code}: ${key}`).not.toBe(englishCatalogue[key]);
      }
    });
  }
}
