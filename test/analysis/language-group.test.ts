import { describe, expect, it } from "vitest";
import { LANGUAGE_GROUPS, languageGroup } from "../../server/analysis/language-group.ts";

describe("LANGUAGE_GROUPS", () => {
  it("lists the 13 C16001 groups, with the labels the census importer uses, in table order", () => {
    expect(LANGUAGE_GROUPS).toEqual([
      "English only",
      "Spanish",
      "French, Haitian, or Cajun",
      "German or other West Germanic",
      "Russian, Polish, or other Slavic",
      "Other Indo-European",
      "Korean",
      "Chinese (incl. Mandarin, Cantonese)",
      "Vietnamese",
      "Tagalog (incl. Filipino)",
      "Other Asian and Pacific Island",
      "Arabic",
      "Other and unspecified",
    ]);
  });
});

describe("languageGroup", () => {
  it.each([
    // Patron (ILS) codes and names
    ["spa", "Spanish"],
    ["Spanish", "Spanish"],
    ["es", "Spanish"],
    ["ESP", "Spanish"],
    ["español", "Spanish"],
    ["es-MX", "Spanish"],
    ["eng", "English only"],
    ["English", "English only"],
    ["en", "English only"],
    ["en_US", "English only"],
    ["chi", "Chinese (incl. Mandarin, Cantonese)"],
    ["zho", "Chinese (incl. Mandarin, Cantonese)"],
    ["Chinese", "Chinese (incl. Mandarin, Cantonese)"],
    ["Mandarin", "Chinese (incl. Mandarin, Cantonese)"],
    ["Cantonese", "Chinese (incl. Mandarin, Cantonese)"],
    ["zh-Hant-TW", "Chinese (incl. Mandarin, Cantonese)"],
    ["中文", "Chinese (incl. Mandarin, Cantonese)"],
    ["vie", "Vietnamese"],
    ["Tiếng Việt", "Vietnamese"],
    ["tgl", "Tagalog (incl. Filipino)"],
    ["fil", "Tagalog (incl. Filipino)"],
    ["kor", "Korean"],
    ["한국어", "Korean"],
    ["ara", "Arabic"],
    ["fre", "French, Haitian, or Cajun"],
    ["Haitian Creole", "French, Haitian, or Cajun"],
    ["ger", "German or other West Germanic"],
    ["Yiddish", "German or other West Germanic"],
    ["русский", "Russian, Polish, or other Slavic"],
    ["pol", "Russian, Polish, or other Slavic"],
    ["Portuguese", "Other Indo-European"],
    ["Hindi", "Other Indo-European"],
    ["Japanese", "Other Asian and Pacific Island"],
    ["Hmong", "Other Asian and Pacific Island"],
    ["tam", "Other Asian and Pacific Island"],
    ["Somali", "Other and unspecified"],
    ["Navajo", "Other and unspecified"],
  ] as const)("maps %j to %j", (value, group) => {
    expect(languageGroup(value)).toBe(group);
  });

  it.each([
    ["english", "English only"],
    ["spanish", "Spanish"],
    ["chinese", "Chinese (incl. Mandarin, Cantonese)"],
    ["vietnamese", "Vietnamese"],
    ["tagalog", "Tagalog (incl. Filipino)"],
    ["korean", "Korean"],
    ["arabic", "Arabic"],
    ["haitian_creole", "French, Haitian, or Cajun"],
    ["other", "Other and unspecified"],
  ] as const)("maps the survey code %j to %j", (code, group) => {
    expect(languageGroup(code)).toBe(group);
  });

  it("maps the Census Bureau's own row labels, so census rows and constants agree", () => {
    expect(languageGroup("Speak only English")).toBe("English only");
    expect(languageGroup("Spanish:")).toBe("Spanish");
    expect(languageGroup("German or other West Germanic languages:")).toBe(
      "German or other West Germanic",
    );
    expect(languageGroup("Other and unspecified languages")).toBe("Other and unspecified");
    for (const group of LANGUAGE_GROUPS) expect(languageGroup(group)).toBe(group);
  });

  it.each(["", "und", "unknown", "prefer_not_to_say", "Klingon", "xx", "12"])(
    "returns null for %j (counted and reported as unknown language)",
    (value) => {
      expect(languageGroup(value)).toBeNull();
    },
  );
});
