// The public-facing pages staff print (the paper survey and the flyer) are fully translated.
import { describe, expect, it } from "vitest";
import { catalogues } from "../../server/i18n/messages.ts";

const english = catalogues.get("en") ?? {};
const keys = Object.keys(english).filter((k) => k.startsWith("paper.") || k.startsWith("flyer."));
const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
/** Keys whose text may read the same in another language (punctuation, a verb like "Print"). */
const MAY_MATCH = new Set(["paper.quoted", "paper.or"]);

describe("paper survey and flyer messages", () => {
  it("exist", () => {
    expect(keys.length).toBeGreaterThanOrEqual(15);
  });

  for (const [code, catalogue] of catalogues) {
    if (code === "en") continue;
    it(`are all in ${code}, with the same placeholders, and not left in English`, () => {
      for (const key of keys) {
        const text = catalogue[key];
        expect(text, `${code}: ${key}`).toBeTruthy();
        expect(placeholders(text ?? ""), `${code}: ${key}`).toEqual(
          placeholders(english[key] ?? ""),
        );
        if (!MAY_MATCH.has(key)) expect(text, `${code}: ${key}`).not.toBe(english[key]);
      }
    });
  }
});
