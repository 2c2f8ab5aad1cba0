/**
 * Whether a usage-gap analysis has enough active users to conclude anything, and if not, why.
 *
 * A comparison of groups can only tell a gap from chance when every group would, in proportion to
 * its size, hold a handful of users: the usual rule for the chi-square test is at least 5
 * expected counts in every cell (Cochran, W. G. (1954). Some methods for strengthening the common
 * χ² tests. Biometrics 10(4), 417–451). With a tiny export (20 patrons) "consistent with the
 * community" means "too small to tell", not "no gap". The same rule is applied to areas: an area
 * whose residents would, at the service-area rate, hold fewer than 5 users cannot be shown to be
 * below it. A partial export (one branch, one area) shows as most areas without a single user.
 *
 * @example
 * dataSufficiency(document).conclusive; // => false for a 20-row export
 */
import type { PresentedUsageGapDocument } from "./present-usage-gaps.ts";

/** Expected users a group or area needs before a difference can be told from chance. */
export const MIN_EXPECTED_USERS = 5;

export interface DataSufficiency {
  conclusive: boolean;
  /** The minimum in one sentence (shown whenever a reason is). */
  rule: string;
  /** One sentence per dimension or area comparison that falls short. */
  reasons: string[];
}

const noun = (dimension: string) =>
  dimension === "language" ? "home language" : dimension.toLowerCase();
const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function dataSufficiency(
  document: Pick<PresentedUsageGapDocument, "dimensions" | "areas" | "serviceArea">,
): DataSufficiency {
  const reasons: string[] = [];
  for (const dimension of document.dimensions) {
    if (dimension.groups.length === 0) continue;
    const users = dimension.users;
    if (typeof users !== "number") {
      reasons.push(
        `By ${noun(dimension.dimension)}: ${users} active users with a known ${noun(dimension.dimension)}, too few to compare any group.`,
      );
      continue;
    }
    const short = dimension.groups.filter(
      (g) => g.communityShare !== null && users * g.communityShare < MIN_EXPECTED_USERS,
    );
    if (short.length > 0) {
      reasons.push(
        `By ${noun(dimension.dimension)}: with ${integer.format(users)} active users, ${short.length} of ${dimension.groups.length} groups would expect fewer than ${MIN_EXPECTED_USERS} users, so a gap there could not be told from chance.`,
      );
    }
  }

  const areas = document.areas;
  if (areas.length >= 2) {
    const withUsers = areas.filter((a) => a.users !== 0).length;
    const rate = document.serviceArea.areaRatePer1000;
    const short =
      rate === null
        ? []
        : areas.filter(
            (a) =>
              typeof a.population === "number" && (a.population * rate) / 1000 < MIN_EXPECTED_USERS,
          );
    if (withUsers * 2 < areas.length) {
      reasons.push(
        `Areas: the patron export places active users in only ${withUsers} of ${areas.length} areas. If it is part of the export (one branch, one area), the other areas only look unused: import the whole export before reading the area ranking.`,
      );
    } else if (short.length * 2 > areas.length) {
      reasons.push(
        `Areas: ${short.length} of ${areas.length} areas would expect fewer than ${MIN_EXPECTED_USERS} active users at the service-area rate, too few to show any area below it.`,
      );
    }
  }
  return {
    conclusive: reasons.length === 0,
    rule: `A gap can be told from chance only when every group or area compared would hold at least ${MIN_EXPECTED_USERS} active users in proportion to its size (Cochran's rule for the chi-square test). Below that, "no clear difference" means "too little data", not "no gap".`,
    reasons,
  };
}
