// Who is in a table (filters) and how respondents are split (groups): by language, channel,
// location, month, and by library-use status as the survey's own use question defines it.
import { LANGUAGES } from "../i18n/languages.ts";
import type { ResponseRecord, UseStatusRule } from "./types.ts";

export type UseStatus = "user" | "non-user" | "unknown";
export const USE_STATUSES: readonly UseStatus[] = ["user", "non-user", "unknown"];

export const GROUP_DIMENSIONS = ["language", "channel", "location", "useStatus", "month"] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

/** Which responses a table counts. Every field is optional; an empty filter keeps everyone. */
export interface ResponseFilter {
  languages?: string[];
  channels?: string[];
  locations?: string[];
  /** Submitted at or after this instant. */
  from?: Date;
  /** Submitted before this instant (exclusive: give the day after a date range's last day). */
  to?: Date;
  versionIds?: number[];
  useStatus?: UseStatus[];
}

/**
 * Library-use status from the survey's use question: "non-user" when the answer is one of the
 * rule's non-user values (for a multi-select question: when every chosen value is), "user" for
 * any other answer, "unknown" when the question was not answered or the survey has no rule.
 */
export function useStatusOf(
  data: Record<string, unknown>,
  rule: UseStatusRule | undefined,
): UseStatus {
  if (!rule) return "unknown";
  const answer = data[rule.question];
  const values = Array.isArray(answer) ? answer : answer === undefined ? [] : [answer];
  const given = values.filter((v) => v !== null && v !== "");
  if (given.length === 0) return "unknown";
  return given.every((v) => rule.nonUserValues.includes(String(v))) ? "non-user" : "user";
}

/** Whether a response passes a filter (the database applies most of it; this is the same rule). */
export function matchesFilter(
  response: ResponseRecord,
  filter: ResponseFilter,
  rule: UseStatusRule | undefined,
): boolean {
  if (filter.languages?.length && !filter.languages.includes(response.language)) return false;
  if (filter.channels?.length && !filter.channels.includes(response.channel)) return false;
  if (filter.locations?.length && !filter.locations.includes(response.location ?? "")) return false;
  if (filter.from && response.submittedAt < filter.from) return false;
  if (filter.to && response.submittedAt >= filter.to) return false;
  if (filter.versionIds?.length && !filter.versionIds.includes(response.versionId)) return false;
  if (filter.useStatus?.length && !filter.useStatus.includes(useStatusOf(response.data, rule)))
    return false;
  return true;
}

/** The key of the group a response falls in. Responses without a location go to "". */
export function groupKeyOf(
  response: ResponseRecord,
  dimension: GroupDimension,
  rule: UseStatusRule | undefined,
): string {
  switch (dimension) {
    case "language":
      return response.language;
    case "channel":
      return response.channel;
    case "location":
      return response.location ?? "";
    case "useStatus":
      return useStatusOf(response.data, rule);
    case "month":
      return response.submittedAt.toISOString().slice(0, 7);
  }
}

const USE_STATUS_LABELS: Record<UseStatus, string> = {
  user: "Library users",
  "non-user": "Non-users",
  unknown: "Use not stated",
};

/** A plain English label for a group key (pages translate keys themselves; CSV files use these). */
export function groupLabel(dimension: GroupDimension, key: string): string {
  switch (dimension) {
    case "language":
      return LANGUAGES.find((l) => l.code === key)?.englishName ?? key;
    case "useStatus":
      return USE_STATUS_LABELS[key as UseStatus] ?? key;
    case "location":
      return key === "" ? "No location" : key;
    default:
      return key;
  }
}

/** Sort order for group keys: use statuses in their natural order, the rest alphabetically. */
export function compareGroupKeys(dimension: GroupDimension, a: string, b: string): number {
  if (dimension === "useStatus") {
    return USE_STATUSES.indexOf(a as UseStatus) - USE_STATUSES.indexOf(b as UseStatus);
  }
  if (dimension === "language") {
    const order = (code: string) => {
      const index = LANGUAGES.findIndex((l) => l.code === code);
      return index === -1 ? LANGUAGES.length : index;
    };
    return order(a) - order(b) || a.localeCompare(b);
  }
  return a.localeCompare(b);
}
