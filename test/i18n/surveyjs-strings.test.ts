// The reviewed SurveyJS interface strings: complete and translated in every language, placeholders
// kept, and the defects found in review (issue 17) gone.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { surveyLocalization } from "survey-core";
import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../../server/i18n/languages.ts";
import {
  readSurveyjsOverrides,
  surveyjsStrings,
  surveyjsStringsJson,
} from "../../server/i18n/surveyjs-strings.ts";
import { SAME_AS_ENGLISH, SHOWN_SURVEYJS_KEYS } from "./surveyjs-shown.ts";

const placeholders = (text: string) => (text.match(/\{\d\}/g) ?? []).sort();
const english = surveyjsStrings("en");

describe("SurveyJS interface strings", () => {
  for (const language of LANGUAGES) {
    it(`has every string the surveys show in ${language.englishName}, with the same placeholders`, () => {
      const strings = surveyjsStrings(language.code);
      const missing = SHOWN_SURVEYJS_KEYS.filter((key) => !strings[key]?.trim());
      expect(missing).toEqual([]);
      for (const key of SHOWN_SURVEYJS_KEYS) {
        expect(placeholders(strings[key] ?? ""), `${language.code}.${key}`).toEqual(
          placeholders(english[key] ?? ""),
        );
      }
    });

    if (language.code === "en") continue;
    it(`leaves no string the surveys show in English in ${language.englishName}, unless listed as the same`, () => {
      const strings = surveyjsStrings(language.code);
      const same = SAME_AS_ENGLISH[language.code] ?? [];
      const untranslated = SHOWN_SURVEYJS_KEYS.filter(
        (key) => strings[key] === english[key] && !same.includes(key),
      );
      expect(untranslated).toEqual([]);
    });
  }

  it("registers the strings with survey-core under Open Door's codes, for the server's own rendering", () => {
    expect(surveyLocalization.getString("progressText", "tl")).toBe("Pahina {0} ng {1}");
    expect(surveyLocalization.getString("clearCaption", "zh")).toBe("清除");
    expect(surveyLocalization.getString("requiredError", "")).toBe("Please answer this question.");
  });

  it("fixes the strings the review found wrong (issue 17)", () => {
    const s = (code: string, key: string) => surveyjsStrings(code)[key] ?? "";
    expect(s("tl", "progressbar")).not.toMatch(/email/i); // was "Email Address *"
    expect(s("tl", "clearCaption")).not.toBe("Maaliwalas"); // "clear" as in clear weather
    expect(s("ar", "clearCaption")).toBe("مسح"); // was "واضح", "obvious"
    // Page counters read "page 1 of 8" in the language's own order (were "페이지 8 / 1").
    expect(s("ko", "progressText").replace("{0}", "1").replace("{1}", "8")).toBe(
      "8페이지 중 1페이지",
    );
    expect(s("ar", "progressText").replace("{0}", "1").replace("{1}", "8")).toBe("الصفحة 1 من 8");
    // Spanish uses usted, like the surveys: no tú imperatives.
    const spanish = SHOWN_SURVEYJS_KEYS.map((key) => s("es", key)).join(" ");
    expect(spanish).not.toMatch(/\b(Escribe|Toca|Inténtalo|Comienza|Escoge|Elige)\b/);
  });

  it("sends the browser one language's strings with its direction, with '<' escaped", () => {
    const json = JSON.parse(surveyjsStringsJson(["ar"]));
    expect(Object.keys(json)).toEqual(["ar"]);
    expect(json.ar.rtl).toBe(true);
    expect(json.ar.strings.clearCaption).toBe("مسح");
    expect(surveyjsStringsJson(["en"])).not.toContain("<");
  });

  it("rejects an overrides file with a key survey-core does not have, naming the file and key", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "surveyjs-strings-"));
    try {
      const file = path.join(dir, "xx.json");
      await writeFile(file, JSON.stringify({ pageNextText: "Next", pageNxtText: "Next" }));
      expect(() => readSurveyjsOverrides(file)).toThrow(`${file}: "pageNxtText" is not a SurveyJS`);
      await writeFile(file, JSON.stringify({ pageNextText: "" }));
      expect(() => readSurveyjsOverrides(file)).toThrow(
        `"pageNextText" must be a non-empty string`,
      );
      await writeFile(file, "{ pageNextText: 1 ");
      expect(() => readSurveyjsOverrides(file)).toThrow(`${file}: not valid JSON`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
