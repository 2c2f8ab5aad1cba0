// How numbers and tests are written in the results and cross-tab CSVs: rounding, the words a
// CSV uses for hidden cells and for a test's conclusion, and a test's columns (only its
// conclusion beside hidden cells, whose counts its statistic would give away).
import { pValueText } from "../analysis/finding-format.ts";
import { type SuppressionLabels, suppressionLabels } from "../analysis/suppressed-text.ts";
import type { IndependenceTest } from "../results/cross-tab.ts";
import { testConclusion } from "../results/suppress.ts";

/** Rounds away floating-point noise (0.30000000000000004) without losing useful precision. */
export function round(value: number | null | undefined, digits = 6): number | "" {
  if (value === null || value === undefined || !Number.isFinite(value)) return "";
  return Number(value.toFixed(digits));
}

/** What a CSV says in words: hidden cells, a test's conclusion beside hidden cells. */
export interface CsvTexts {
  labels: SuppressionLabels;
  significant: string;
  notSignificant: string;
  withheld: string;
}

/** The English texts (the catalogue's; exports pass the translated ones). */
export function csvTexts(
  threshold: number,
  translate?: (key: string, params?: Record<string, string | number>) => string,
): CsvTexts {
  const t = translate ?? ((key: string) => ENGLISH[key] ?? key);
  return {
    labels: suppressionLabels(threshold, translate),
    significant: t("privacy.test.significant"),
    notSignificant: t("privacy.test.notSignificant"),
    withheld: t("privacy.test.withheld"),
  };
}

const ENGLISH: Record<string, string> = {
  "privacy.test.significant": "The difference is statistically significant at the 5% level.",
  "privacy.test.notSignificant": "The difference is not statistically significant at the 5% level.",
  "privacy.test.withheld":
    "Some counts are withheld, so only the test's conclusion is given: its statistic would let the withheld counts be worked out.",
};

/** The columns of a test in a results or cross-tab row. */
export interface TestColumns {
  test?: string;
  statistic?: number | "";
  df?: string;
  p_value?: string;
  cramers_v?: number | "";
  note?: string;
}

/** "2", or "5.424; 1296.4" for the Rao–Scott F test's numerator and denominator df. */
function degreesOfFreedom(test: Exclude<IndependenceTest, { insufficient: string }>): string {
  return test.denominatorDf === null
    ? String(round(test.df))
    : `${round(test.df, 3)}; ${round(test.denominatorDf, 1)}`;
}

export function testColumns(
  test: IndependenceTest,
  withheld: boolean,
  texts: CsvTexts,
): TestColumns {
  if ("insufficient" in test)
    return { test: "none", note: `insufficient data: ${test.insufficient}` };
  if (withheld) {
    // Beside hidden cells only the conclusion (server/results/suppress.ts, testConclusion).
    const conclusion = testConclusion(test);
    return {
      test: test.method,
      note: `${conclusion === "significant" ? texts.significant : texts.notSignificant} ${texts.withheld}`,
    };
  }
  return {
    test: test.method,
    statistic: round(test.statistic),
    df: degreesOfFreedom(test),
    p_value: pValueText(test.pValue),
    cramers_v: round(test.cramersV),
    note: test.note,
  };
}
