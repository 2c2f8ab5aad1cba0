// The languages Open Door speaks. `code` is used in URLs, the database and survey JSON;
// SurveyJS's own UI strings come from survey-core's translation (`surveyjsFile`) merged with our
// reviewed overrides in server/i18n/surveyjs/<code>.json (server/i18n/surveyjs-strings.ts).

export interface Language {
  code: string;
  /** The language's name in its own script, for pickers. */
  nativeName: string;
  englishName: string;
  /** BCP 47 tag for <html lang>. */
  htmlLang: string;
  dir: "ltr" | "rtl";
  /**
   * survey-core's locale code and i18n file (node_modules/survey-core/i18n/<file>.js); both absent
   * when survey-core has no translation, and server/i18n/surveyjs/<code>.json then holds every string.
   */
  surveyjsLocale?: string;
  surveyjsFile?: string;
  /** Accept-Language primary tags that mean this language. */
  matches: readonly string[];
}

export const LANGUAGES: readonly Language[] = [
  {
    code: "en",
    nativeName: "English",
    englishName: "English",
    htmlLang: "en",
    dir: "ltr",
    surveyjsLocale: "en",
    surveyjsFile: "english",
    matches: ["en"],
  },
  {
    code: "es",
    nativeName: "Español",
    englishName: "Spanish",
    htmlLang: "es",
    dir: "ltr",
    surveyjsLocale: "es",
    surveyjsFile: "spanish",
    matches: ["es"],
  },
  {
    code: "zh",
    nativeName: "简体中文",
    englishName: "Chinese (Simplified)",
    htmlLang: "zh-Hans",
    dir: "ltr",
    surveyjsLocale: "zh-cn",
    surveyjsFile: "simplified-chinese",
    matches: ["zh", "cmn", "yue"],
  },
  {
    code: "vi",
    nativeName: "Tiếng Việt",
    englishName: "Vietnamese",
    htmlLang: "vi",
    dir: "ltr",
    surveyjsLocale: "vi",
    surveyjsFile: "vietnamese",
    matches: ["vi"],
  },
  {
    code: "tl",
    nativeName: "Tagalog",
    englishName: "Tagalog",
    htmlLang: "tl",
    dir: "ltr",
    surveyjsLocale: "fil",
    surveyjsFile: "philippines",
    matches: ["tl", "fil"],
  },
  {
    code: "ko",
    nativeName: "한국어",
    englishName: "Korean",
    htmlLang: "ko",
    dir: "ltr",
    surveyjsLocale: "ko",
    surveyjsFile: "korean",
    matches: ["ko"],
  },
  {
    code: "ar",
    nativeName: "العربية",
    englishName: "Arabic",
    htmlLang: "ar",
    dir: "rtl",
    surveyjsLocale: "ar",
    surveyjsFile: "arabic",
    matches: ["ar"],
  },
  {
    code: "so",
    nativeName: "af-Soomaali",
    englishName: "Somali",
    htmlLang: "so",
    dir: "ltr",
    matches: ["so"],
  },
  {
    code: "hmn",
    nativeName: "Hmoob",
    englishName: "Hmong",
    htmlLang: "hmn",
    dir: "ltr",
    matches: ["hmn", "mww", "hnj"],
  },
  {
    code: "ht",
    nativeName: "Kreyòl ayisyen",
    englishName: "Haitian Creole",
    htmlLang: "ht",
    dir: "ltr",
    surveyjsLocale: "ht",
    surveyjsFile: "haitian-creole",
    matches: ["ht"],
  },
  {
    code: "ru",
    nativeName: "Русский",
    englishName: "Russian",
    htmlLang: "ru",
    dir: "ltr",
    surveyjsLocale: "ru",
    surveyjsFile: "russian",
    matches: ["ru"],
  },
  {
    code: "pt",
    nativeName: "Português",
    englishName: "Portuguese",
    htmlLang: "pt",
    dir: "ltr",
    surveyjsLocale: "pt",
    surveyjsFile: "portuguese",
    matches: ["pt"],
  },
  {
    code: "ne",
    nativeName: "नेपाली",
    englishName: "Nepali",
    htmlLang: "ne",
    dir: "ltr",
    matches: ["ne", "npi"],
  },
];

export const DEFAULT_LANGUAGE = "en";

const byCode = new Map(LANGUAGES.map((l) => [l.code, l]));

export function findLanguage(code: string | undefined): Language | undefined {
  return code ? byCode.get(code.toLowerCase()) : undefined;
}

export function getLanguage(code: string): Language {
  return byCode.get(code) ?? (byCode.get(DEFAULT_LANGUAGE) as Language);
}

/**
 * Picks the best of `available` for an Accept-Language header (RFC 9110 §12.5.4):
 * ranges in order of q, first whose primary subtag one of our languages matches.
 */
export function negotiateLanguage(
  header: string | undefined,
  available: readonly string[],
): string | undefined {
  if (!header) return undefined;
  const ranges = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.tag && r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    const primary = tag.split("-")[0] ?? "";
    const language = LANGUAGES.find(
      (l) => l.matches.includes(primary) && available.includes(l.code),
    );
    if (language) return language.code;
  }
  return undefined;
}
