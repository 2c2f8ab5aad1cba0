import { commonAgePartition } from "./common-age-partition.ts";
import { LANGUAGE_GROUPS, languageGroup } from "./language-group.ts";

/** How one dimension's labels on the two sides map onto shared categories. */
export interface CategoryHarmonisation {
  method: "age-intervals" | "language-groups" | "labels";
  /** Shared categories in display order (age order, C16001 order, or first appearance). */
  categories: string[];
  /** Category of each population label; null = unknown (reported). */
  populationCategory: Map<string, string | null>;
  /** Category of each user label; null = unknown (reported). */
  userCategory: Map<string, string | null>;
  /** What had to be merged, left out or could not be read, in plain words. */
  notes: string[];
}

/**
 * Harmonises one dimension's categories between the census side and the library side before
 * they are compared, as DESIGN.md's "Analysis methods" require:
 *
 * - "age": labels are parsed to intervals and both sides re-banded to their finest common
 *   partition (commonAgePartition); merged, overlapping, one-sided and unparseable labels
 *   are described in `notes`.
 * - "language": codes, names and census labels map to the ACS C16001 groups (languageGroup);
 *   labels that map to no group are unknown. Census language counts cover residents aged 5
 *   and over, which is noted.
 * - any other dimension: labels match when equal after trimming, ignoring case; the census
 *   spelling is kept.
 *
 * Unknown labels map to null so the caller counts them as unknown, never drops them.
 *
 * @param dimension the dimension's name ("age" and "language" are recognised, ignoring case)
 * @param populationLabels labels on the census side (repeats allowed)
 * @param userLabels labels on the library side (repeats allowed)
 * @returns { method, categories, populationCategory, userCategory, notes }
 * @example
 * harmoniseCategories("language", ["Spanish", "English only"], ["spa", "eng", "xx"]).userCategory.get("xx");
 * // => null
 */
export function harmoniseCategories(
  dimension: string,
  populationLabels: readonly string[],
  userLabels: readonly string[],
): CategoryHarmonisation {
  const kind = dimension.trim().toLowerCase();

  if (kind === "age") {
    const partition = commonAgePartition(populationLabels, userLabels, {
      leftName: "census",
      rightName: "library data",
    });
    return {
      method: "age-intervals",
      categories: partition.cells.map((cell) => cell.label),
      populationCategory: partition.leftCell,
      userCategory: partition.rightCell,
      notes: partition.issues.map((issue) => issue.message),
    };
  }

  if (kind === "language") {
    const populationCategory = new Map<string, string | null>();
    const userCategory = new Map<string, string | null>();
    const notes: string[] = [];
    const present = new Set<string>();
    for (const [side, labels, map] of [
      ["census", populationLabels, populationCategory],
      ["library data", userLabels, userCategory],
    ] as const) {
      const unknown: string[] = [];
      for (const label of new Set(labels)) {
        const group = languageGroup(label);
        map.set(label, group);
        if (group === null) unknown.push(label);
        else present.add(group);
      }
      if (unknown.length > 0) {
        notes.push(
          `Language values in the ${side} that match no ACS language group are counted as unknown: ${unknown.map((label) => `"${label}"`).join(", ")}.`,
        );
      }
    }
    notes.push("Census language counts (table C16001) cover residents aged 5 and over.");
    return {
      method: "language-groups",
      categories: LANGUAGE_GROUPS.filter((group) => present.has(group)),
      populationCategory,
      userCategory,
      notes,
    };
  }

  const categories: string[] = [];
  const byKey = new Map<string, string>();
  const populationCategory = new Map<string, string | null>();
  const userCategory = new Map<string, string | null>();
  for (const [labels, map] of [
    [populationLabels, populationCategory],
    [userLabels, userCategory],
  ] as const) {
    for (const label of new Set(labels)) {
      const key = label.trim().toLowerCase();
      if (key === "") {
        map.set(label, null);
        continue;
      }
      let category = byKey.get(key);
      if (category === undefined) {
        category = label.trim();
        byKey.set(key, category);
        categories.push(category);
      }
      map.set(label, category);
    }
  }
  return { method: "labels", categories, populationCategory, userCategory, notes: [] };
}
