// Export file names that say what is inside: survey, version(s), kind, labels, weighting and
// filters, e.g. community-needs_v3+4_responses-wide_labels-es_weighted_channel-kiosk.csv.
import type { ResponseFilter } from "../results/groups.ts";

const DAY = 24 * 60 * 60 * 1000;

const safe = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^A-Za-z0-9.+-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The filters in words for a file name or a syntax header: "language-es+vi_from-2024-01-01".
 * `to` is exclusive, so a range ending at midnight names its last whole day.
 */
export function describeFilter(filter: ResponseFilter = {}): string {
  const parts: string[] = [];
  const list = (name: string, values: readonly (string | number)[] | undefined) => {
    if (values?.length) parts.push(`${name}-${values.map((v) => safe(String(v))).join("+")}`);
  };
  list("language", filter.languages);
  list("channel", filter.channels);
  list("location", filter.locations);
  list("use", filter.useStatus);
  if (filter.from) parts.push(`from-${day(filter.from)}`);
  if (filter.to) {
    const midnight = filter.to.getTime() % DAY === 0;
    parts.push(`to-${day(midnight ? new Date(filter.to.getTime() - DAY) : filter.to)}`);
  }
  return parts.join("_");
}

export interface FileNameParts {
  slug: string;
  versions: readonly number[];
  /** "responses-wide", "responses-long", "codebook", "results", "crosstab", … */
  kind: string;
  labels?: string;
  weighted?: boolean;
  filter?: ResponseFilter;
  extension: "csv" | "R" | "sps";
}

/** The file name of an export. */
export function exportFileName(parts: FileNameParts): string {
  const versions = parts.versions.length > 0 ? `v${parts.versions.join("+")}` : "no-responses";
  const pieces = [
    safe(parts.slug),
    versions,
    safe(parts.kind),
    parts.labels ? `labels-${safe(parts.labels)}` : "",
    parts.weighted ? "weighted" : "",
    describeFilter(parts.filter),
  ].filter(Boolean);
  return `${pieces.join("_")}.${parts.extension}`;
}
