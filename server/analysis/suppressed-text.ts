// How a hidden count reads, on every page and in every export (DESIGN.md, "Privacy and safety
// rules"): "<10" (with the configured threshold) only when the count truly is between 1 and
// threshold − 1, "suppressed" when it is hidden to protect a small one, so a reader never takes a
// large count for a small one. The one place that decides it; pages in another language pass the
// message catalogue (privacy.small, privacy.suppressed).

/** What a hidden cell reads: "<10" only when it truly is small, "suppressed" otherwise. */
export interface SuppressionLabels {
  small: string;
  suppressed: string;
}

/**
 * The labels in a language (translate: the message catalogue of server/i18n; English without).
 *
 * @example
 * suppressionLabels(10); // => { small: "<10", suppressed: "suppressed" }
 */
export function suppressionLabels(
  threshold: number,
  translate?: (key: string, params?: Record<string, string | number>) => string,
): SuppressionLabels {
  return {
    small: translate ? translate("privacy.small", { n: threshold }) : `<${threshold}`,
    suppressed: translate ? translate("privacy.suppressed") : "suppressed",
  };
}

/**
 * The legend of a map's hatched areas. Their counts are withheld either because they are small
 * or to protect a small one, so the legend may not call them all "under 10".
 *
 * @example
 * withheldAreasLabel(10); // => "Withheld: under 10, or hidden to protect one"
 */
export function withheldAreasLabel(threshold: number): string {
  return `Withheld: under ${threshold}, or hidden to protect one`;
}

/**
 * The text shown in place of a hidden count: "<10" for a small one, "suppressed" for one hidden
 * to protect it (the plans of plan-suppression.ts name the two reasons "small" and
 * "complementary"; a cell planned "shown" has no hidden text and reads as suppressed here).
 *
 * @example
 * suppressedText("small", 10);         // => "<10"
 * suppressedText("complementary", 10); // => "suppressed"
 */
export function suppressedText(
  status: "small" | "complementary" | "shown",
  threshold: number,
  labels: SuppressionLabels = suppressionLabels(threshold),
): string {
  return status === "small" ? labels.small : labels.suppressed;
}
