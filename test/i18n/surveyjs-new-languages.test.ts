// Open Door's own SurveyJS strings for the languages of issue 20: Somali, Hmong and Nepali have no
// survey-core translation, so their files hold the whole set the surveys can show; Haitian
// Creole, Russian and Portuguese hold reviewed corrections. Guards against a key left out, a
// placeholder lost, or English left in.
import { readFileSync } from "node:fs";
import path from "node:path";
import { englishStrings, surveyLocalization } from "survey-core";
import { describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import "../../server/results/survey-locales.ts";

const read = (code: string) =>
  JSON.parse(
    readFileSync(path.join(ROOT_DIR, "server", "i18n", "surveyjs", `${code}.json`), "utf8"),
  ) as Record<string, string>;
const english = englishStrings as Record<string, string>;
const placeholders = (text: string) => (text.match(/\{\d\}/g) ?? []).sort();
const WHOLE_SET = ["so", "hmn", "ne"];

describe("SurveyJS strings of the new languages", () => {
  const keys = Object.keys(read("so"));

  it("covers the strings the surveys show, with survey-core's own keys", () => {
    for (const key of ["pageNextText", "requiredError", "progressText", "otherItemText", "toc"])
      expect(keys).toContain(key);
    for (const key of keys) expect(english[key], key).toBeDefined();
  });

  for (const code of WHOLE_SET) {
    it(`has every key, translated, with English's placeholders in ${code}`, () => {
      const strings = read(code);
      expect(Object.keys(strings).sort()).toEqual([...keys].sort());
      for (const key of keys) {
        expect(strings[key]?.trim(), `${code}.${key}`).toBeTruthy();
        expect(strings[key], `${code}.${key}`).not.toBe(english[key]);
        expect(placeholders(strings[key] ?? ""), `${code}.${key}`).toEqual(
          placeholders(english[key] ?? ""),
        );
      }
    });
  }

  for (const code of ["ht", "ru", "pt"]) {
    it(`lays the corrections for ${code} over survey-core's translation on the server`, () => {
      for (const [key, text] of Object.entries(read(code))) {
        expect(placeholders(text), `${code}.${key}`).toEqual(placeholders(english[key] ?? ""));
        expect(surveyLocalization.getString(key, code)).toBe(text);
      }
    });
  }

  it("registers the whole sets on the server, under Open Door's codes", () => {
    expect(surveyLocalization.getString("pageNextText", "ne")).toBe("अर्को");
    expect(surveyLocalization.getString("requiredError", "so")).toBe(read("so").requiredError);
    expect(surveyLocalization.getString("progressText", "hmn")).toBe("Nplooj {0} ntawm {1}");
  });
});
