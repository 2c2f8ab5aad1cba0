// The usage-gap methods note, said once per page or report: which sampling errors the
// representation index's interval includes, the flag rule, census reliability, and how multiple
// comparisons are handled. /staff/gaps and the CLI text both build it here, from the catalogue.
import type { PresentedUsageGapDocument } from "../analysis/present-usage-gaps.ts";
import type { Translate } from "../i18n/messages.ts";

/** Groups ("age: Under 18") whose index interval leaves census error out (no margin of error). */
export function groupsWithoutCensusError(document: PresentedUsageGapDocument): string[] {
  return document.dimensions.flatMap((dimension) =>
    dimension.groups
      .filter((group) => group.representationIndexInterval !== null && !group.censusErrorIncluded)
      .map((group) => `${dimension.dimension}: ${group.category}`),
  );
}

/**
 * The note's sentences, in the catalogue's language.
 *
 * @param document the presented usage-gap document
 * @param t a translator
 * @returns sentences; the one about missing margins of error only when some group has none
 */
export function gapMethodsNote(document: PresentedUsageGapDocument, t: Translate): string[] {
  const missing = groupsWithoutCensusError(document);
  return [
    t("gaps.methods.interval"),
    ...(missing.length > 0 ? [t("gaps.methods.noMoe", { groups: missing.join("; ") })] : []),
    t("gaps.methods.flags"),
    t("gaps.methods.reliability"),
    t("gaps.methods.multiple"),
  ];
}
