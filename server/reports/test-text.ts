// The words of an independence test on staff pages: its conclusion alone (beside hidden cells,
// where the statistic could give them away) or the test and its effect size in one sentence.
import type { AssociationStrength } from "../analysis/cramers-v-strength.ts";
import { formatPValue } from "../analysis/finding-format.ts";
import type { Translate } from "../i18n/messages.ts";
import type { CrossTabResult, IndependenceTest } from "../results/cross-tab.ts";
import { testConclusion } from "../results/suppress.ts";

/**
 * A test's conclusion in words, without its statistic (beside hidden cells); `adjustedP`, when
 * the test is one of a Holm-adjusted family, decides instead of the test's own p.
 */
export function conclusionText(
  test: IndependenceTest,
  translate: Translate,
  adjustedP: number | null = null,
): string {
  const conclusion =
    adjustedP === null
      ? testConclusion(test)
      : adjustedP < 0.05
        ? "significant"
        : "not significant";
  if (conclusion === null) return "–";
  return translate(
    conclusion === "significant" ? "privacy.test.significant" : "privacy.test.notSignificant",
  );
}

/** The test and its effect size in one sentence. */
export function testSentence(
  test: Exclude<CrossTabResult["test"], { insufficient: string }>,
): string {
  const v = `Cramér's V (bias-corrected) = ${test.cramersV.toFixed(2)}, a ${STRENGTH[test.strength]} for a table with min(rows, columns) − 1 = ${test.smallerDf}`;
  if (test.method === "rao-scott") {
    return `Rao–Scott design-based test (allows for the weights): F = ${test.statistic.toFixed(2)} on ${test.df.toFixed(2)} and ${(test.denominatorDf ?? 0).toFixed(1)} df, ${formatPValue(test.pValue)}. ${v}.`;
  }
  if (test.method === "fisher-exact")
    return `Fisher's exact test: ${formatPValue(test.pValue)}. ${v}.`;
  return `Chi-square = ${test.statistic.toFixed(2)}, df = ${test.df}, ${formatPValue(test.pValue)}. ${v}.`;
}

/** Cohen (1988) sizes, with thresholds 0.1, 0.3, 0.5 over √df* (analysis/cramers-v-strength.ts). */
const STRENGTH: Record<AssociationStrength, string> = {
  negligible: "negligible association",
  small: "small association",
  medium: "medium association",
  large: "large association",
};
