// Runs over time: what changed between two usage-gap runs (normally two patron exports with
// different as-of dates). Computed from the two *presented* documents, so a change is only given
// where both numbers may be shown: a withheld count on either side gives no change, and nothing
// hidden can be recovered by subtracting one run from the other.
import type { PresentedUsageGapDocument } from "../analysis/present-usage-gaps.ts";

/** One number in the two runs and its difference (current − previous); null when not shown. */
export interface ValueChange {
  previous: number | null;
  current: number | null;
  change: number | null;
}

export interface GroupChange {
  dimension: string;
  category: string;
  representationIndex: ValueChange;
  userShare: ValueChange;
  flag: { previous: "under" | "over" | null; current: "under" | "over" | null };
}

export interface AreaChange {
  geoid: string;
  name: string;
  penetrationPer1000: ValueChange;
  priority: { previous: boolean | null; current: boolean | null };
}

export interface UsageGapChanges {
  /** The run compared with. */
  previous: { runId: number; asOf: string; createdAt: string };
  /** Every group of the current run, in its order; previous null when it was not compared then. */
  groups: GroupChange[];
  /** Every area of the current run, in its order (lowest use first). */
  areas: AreaChange[];
  /** What could not be compared, in plain words. */
  notes: string[];
}

function valueChange(previous: number | null | undefined, current: number | null): ValueChange {
  const before = previous ?? null;
  return {
    previous: before,
    current,
    change: before === null || current === null ? null : current - before,
  };
}

const groupKey = (dimension: string, category: string) => `${dimension}\u0000${category}`;

/**
 * The change from `previous` to `current`: per group, the representation index and the user
 * share; per area, the penetration per 1,000 residents; and whether flags and priority areas
 * came or went. Groups are matched by dimension and category label (age bands only match when
 * both runs re-banded to the same partition), areas by geoid.
 *
 * These are differences between two runs' estimates, each with its own uncertainty (the
 * intervals in each run); the patrons of the two exports largely overlap, so no test of the
 * difference is made.
 *
 * @param current the presented document of the newer run
 * @param previous the presented document of the older run
 * @param run which run `previous` is
 * @returns the changes
 * @example
 * usageGapChanges(presented, presentedBefore, { runId: 3, asOf: "2023-06-30", createdAt: "…" })
 *   .groups[0].representationIndex.change; // => 0.04
 */
export function usageGapChanges(
  current: PresentedUsageGapDocument,
  previous: PresentedUsageGapDocument,
  run: UsageGapChanges["previous"],
): UsageGapChanges {
  const previousGroups = new Map(
    previous.dimensions.flatMap((dimension) =>
      dimension.groups.map((group) => [groupKey(dimension.dimension, group.category), group]),
    ),
  );
  const seen = new Set<string>();
  const groups: GroupChange[] = current.dimensions.flatMap((dimension) =>
    dimension.groups.map((group) => {
      const key = groupKey(dimension.dimension, group.category);
      seen.add(key);
      const before = previousGroups.get(key);
      return {
        dimension: dimension.dimension,
        category: group.category,
        representationIndex: valueChange(before?.representationIndex, group.representationIndex),
        userShare: valueChange(before?.userShare, group.userShare),
        flag: { previous: before?.flag ?? null, current: group.flag },
      };
    }),
  );

  const previousAreas = new Map(previous.areas.map((area) => [area.geoid, area]));
  const areas: AreaChange[] = current.areas.map((area) => {
    const before = previousAreas.get(area.geoid);
    return {
      geoid: area.geoid,
      name: area.name,
      penetrationPer1000: valueChange(before?.penetrationPer1000, area.penetrationPer1000),
      priority: {
        previous: before === undefined || before.suppressed ? null : before.priority,
        current: area.suppressed ? null : area.priority,
      },
    };
  });

  const notes: string[] = [];
  const newGroups = groups.filter(
    (group) => !previousGroups.has(groupKey(group.dimension, group.category)),
  );
  if (newGroups.length > 0) {
    notes.push(
      `${newGroups.length} group(s) were not compared in the run of ${run.asOf} (new categories, or age bands re-cut differently): ${newGroups.map((group) => `${group.dimension} "${group.category}"`).join(", ")}.`,
    );
  }
  const goneGroups = [...previousGroups.keys()].filter((key) => !seen.has(key));
  if (goneGroups.length > 0) {
    notes.push(
      `${goneGroups.length} group(s) of the run of ${run.asOf} are not in this one: ${goneGroups.map((key) => key.replace("\u0000", ' "').concat('"')).join(", ")}.`,
    );
  }
  const newAreas = areas.filter((area) => !previousAreas.has(area.geoid)).length;
  if (newAreas > 0) notes.push(`${newAreas} area(s) were not in the run of ${run.asOf}.`);
  const currentAreas = new Set(current.areas.map((area) => area.geoid));
  const goneAreas = previous.areas.filter((area) => !currentAreas.has(area.geoid)).length;
  if (goneAreas > 0)
    notes.push(`${goneAreas} area(s) of the run of ${run.asOf} are not in this one.`);
  const withheld =
    groups.filter(
      (group) =>
        group.representationIndex.change === null &&
        previousGroups.has(groupKey(group.dimension, group.category)),
    ).length +
    areas.filter((area) => area.penetrationPer1000.change === null && previousAreas.has(area.geoid))
      .length;
  if (withheld > 0) {
    notes.push(
      `${withheld} change(s) are not given because a count behind them is withheld (small-cell suppression) or undefined in one of the runs.`,
    );
  }
  return { previous: run, groups, areas, notes };
}
