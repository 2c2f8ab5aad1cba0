import { describeGroup } from "./describe-group.ts";
import { formatCount, formatPercent, formatPValue, formatRatio } from "./finding-format.ts";
import type { UsageGapDocument, UsageGapGroup } from "./usage-gap-types.ts";

/** Most priority areas and correlations named one by one. */
const MAX_LISTED = 5;

function dimensionNoun(dimension: string): string {
  const kind = dimension.trim().toLowerCase();
  if (kind === "age") return "age";
  if (kind === "language") return "home language";
  return dimension;
}

function effectSize(w: number): string {
  if (w < 0.1) return "a negligible difference";
  if (w < 0.3) return "a small difference";
  if (w < 0.5) return "a medium difference";
  return "a large difference";
}

function groupSentence(dimension: string, group: UsageGapGroup): string | null {
  const { communityShare, userShare, representationIndex, representationIndexInterval, shortfall } =
    group;
  if (
    communityShare === null ||
    userShare === null ||
    representationIndex === null ||
    representationIndexInterval === null ||
    shortfall === null
  ) {
    return null;
  }
  const who = describeGroup(dimension, group.category).residents;
  const gap =
    shortfall > 0
      ? `about ${formatCount(shortfall)} fewer active cardholders than their share of the community would give`
      : `about ${formatCount(-shortfall)} more active cardholders than their share of the community would give`;
  let sentence = `${who} are ${formatPercent(communityShare)} of the community but ${formatPercent(userShare)} of active cardholders (representation index ${formatRatio(representationIndex)}, 95% interval ${formatRatio(representationIndexInterval[0])}–${formatRatio(representationIndexInterval[1])}; ${gap}).`;
  if (group.reliable === false && group.cv !== null) {
    sentence += ` The census estimate for this group is unreliable (coefficient of variation ${(group.cv * 100).toFixed(1)}%, above 30%).`;
  }
  if (group.reliable === null) {
    sentence +=
      " The census estimate for this group has no margin of error, so its reliability is unknown and the interval leaves out census sampling error.";
  }
  return sentence;
}

/**
 * The plain-language findings of a usage-gap analysis, largest gaps first. Each sentence
 * carries its number and its uncertainty, and none cites a group or area whose counts are
 * withheld (suppressed) or a number that is not finite. Order:
 *
 * 1. flagged groups (under- or over-represented), by the size of the gap in users (|shortfall|);
 * 2. per dimension, the overall test (chi-square, p-value, Cohen's w);
 * 3. priority areas, most non-users first (at most five named);
 * 4. clear correlations between area composition and use, strongest first (at most five);
 * 5. data notes: users of unknown category or area, more users than residents.
 *
 * @param document the usage-gap document without its findings
 * @returns the sentences
 * @example
 * usageGapFindings(document)[0];
 * // => "Residents aged 20 to 34 are 27% of the community but 14% of active cardholders
 * //     (representation index 0.52, 95% interval 0.49–0.55; about 1,240 fewer …)."
 */
export function usageGapFindings(document: Omit<UsageGapDocument, "findings">): string[] {
  const findings: string[] = [];

  const flagged = document.dimensions
    .flatMap((dimension) =>
      dimension.groups
        .filter((group) => group.flag !== null && !group.suppressed)
        .map((group) => ({ dimension: dimension.dimension, group })),
    )
    .sort((a, b) => Math.abs(b.group.shortfall ?? 0) - Math.abs(a.group.shortfall ?? 0));
  for (const { dimension, group } of flagged) {
    const sentence = groupSentence(dimension, group);
    if (sentence) findings.push(sentence);
  }

  for (const dimension of document.dimensions) {
    if (dimension.chiSquare === null || dimension.cohensW === null) continue;
    const { statistic, df, pValue } = dimension.chiSquare;
    const noun = dimensionNoun(dimension.dimension);
    const test = `chi-square ${statistic.toFixed(1)}, df ${df}, ${formatPValue(pValue)}; Cohen's w ${formatRatio(dimension.cohensW)}, ${effectSize(dimension.cohensW)}`;
    findings.push(
      pValue < 0.05
        ? `Active cardholders' ${noun} mix differs from the community's (${test}).`
        : `Active cardholders' ${noun} mix is consistent with the community's (${test}).`,
    );
  }

  // The area rate would reveal the users in areas (and so a withheld unknown-area count).
  const rate =
    document.serviceArea.suppression.unknownAreaUsers === null
      ? document.serviceArea.areaRatePer1000
      : null;
  const against =
    rate === null ? "" : `, against ${formatCount(rate)} per 1,000 across the service area`;
  const priority = document.areas
    .filter((area) => area.priority && !area.suppressed)
    .sort((a, b) => b.nonUsers - a.nonUsers);
  if (priority.length > 0) {
    findings.push(
      `${priority.length} of ${document.areas.length} areas ${priority.length === 1 ? "is a priority area" : "are priority areas"}: many residents who are not active cardholders, and use significantly below the service-area rate${rate === null ? "" : ` of ${formatCount(rate)} per 1,000 residents`}.`,
    );
    for (const area of priority.slice(0, MAX_LISTED)) {
      if (area.penetrationPer1000 === null || area.penetrationInterval === null) continue;
      const label = area.name === area.geoid ? area.geoid : `${area.name} (${area.geoid})`;
      findings.push(
        `${label} has about ${formatCount(area.nonUsers)} residents who are not active cardholders; ${formatCount(area.penetrationPer1000)} per 1,000 residents are active cardholders (95% interval ${formatCount(area.penetrationInterval[0])}–${formatCount(area.penetrationInterval[1])})${against}.`,
      );
    }
  }

  const clear = document.correlations
    .filter(
      (entry) =>
        entry.pearson !== null && entry.pearson.pValue !== null && entry.pearson.pValue < 0.05,
    )
    .sort((a, b) => Math.abs(b.pearson?.r ?? 0) - Math.abs(a.pearson?.r ?? 0));
  for (const entry of clear.slice(0, MAX_LISTED)) findings.push(entry.summary);

  for (const dimension of document.dimensions) {
    const noun = dimensionNoun(dimension.dimension);
    const totalUsers = dimension.users + dimension.unknownUsers;
    if (
      dimension.unknownUsers > 0 &&
      dimension.unknownSuppression.users === null &&
      totalUsers > 0
    ) {
      findings.push(
        `${formatCount(dimension.unknownUsers)} active cardholders (${formatPercent(dimension.unknownUsers / totalUsers)}) have no recorded or recognised ${noun} and are left out of the ${noun} comparison.`,
      );
    }
    for (const group of dimension.groups) {
      if (!group.moreUsersThanResidents || group.suppressed) continue;
      const who = describeGroup(dimension.dimension, group.category).residents;
      findings.push(
        group.population === 0
          ? `${who}: ${formatCount(group.users)} active cardholders but no residents in the census data; check how the two sides label this group.`
          : `${who}: more active cardholders (${formatCount(group.users)}) than census residents (${formatCount(group.population)}); check the patron data (non-residents, expired or duplicate cards) and the census estimate.`,
      );
    }
  }
  const { unknownAreaUsers, outsideServiceAreaUsers } = document.serviceArea;
  if (unknownAreaUsers > 0 && document.serviceArea.suppression.unknownAreaUsers === null) {
    findings.push(
      `${formatCount(unknownAreaUsers)} active cardholders have no known area; they count in the group comparisons but not in the area ranking.`,
    );
  }
  if (
    outsideServiceAreaUsers > 0 &&
    document.serviceArea.suppression.outsideServiceAreaUsers === null
  ) {
    findings.push(
      `${formatCount(outsideServiceAreaUsers)} active cardholders live outside the service area and are left out of the analysis.`,
    );
  }
  return findings;
}
