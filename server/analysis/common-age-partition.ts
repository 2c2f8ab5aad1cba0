import { type AgeInterval, parseAgeInterval } from "./age-interval.ts";
import { formatAgeInterval } from "./format-age-interval.ts";

export type PartitionSide = "left" | "right";

/** One cell of the common partition: the union of whole bands from both sides. */
export interface AgePartitionCell {
  /** Canonical label of the cell, e.g. "10 to 19 years". */
  label: string;
  interval: AgeInterval;
  /** Labels of the left side's bands that make up the cell (several when merged). */
  left: string[];
  /** Labels of the right side's bands that make up the cell. */
  right: string[];
}

/**
 * Something the caller should report about the re-banding:
 * - unparsed: a label is not an age range; its count is unknown.
 * - overlap: a band overlaps a finer band on its own side (a subtotal such as "Under 18"
 *   next to "Under 5" … "15 to 17"); it is left out and its count is unknown.
 * - merged: the two sides' boundaries do not line up inside the cell, so bands were merged
 *   beyond what either side alone needed (detail lost on both sides).
 * - one-sided: only one side has bands in the cell; the other side counts 0 there.
 * - gap: a side's bands do not cover the whole cell (its count there covers only part of it).
 */
export interface AgePartitionIssue {
  kind: "unparsed" | "overlap" | "merged" | "one-sided" | "gap";
  side: PartitionSide | null;
  /** The labels concerned. */
  labels: string[];
  /** The cell concerned, when there is one. */
  cell: string | null;
  /** A sentence a staff member can read. */
  message: string;
}

export interface AgePartition {
  /** Cells in age order; every kept band of either side is in exactly one cell. */
  cells: AgePartitionCell[];
  /** Cell label of every left label; null when unparsed or left out as overlapping. */
  leftCell: Map<string, string | null>;
  /** Cell label of every right label; null when unparsed or left out as overlapping. */
  rightCell: Map<string, string | null>;
  issues: AgePartitionIssue[];
}

export interface AgePartitionOptions {
  /** Name of the left side in messages (default "left"), e.g. "census". */
  leftName?: string;
  /** Name of the right side in messages (default "right"), e.g. "patron data". */
  rightName?: string;
}

interface Band {
  interval: AgeInterval;
  labels: string[];
  side: PartitionSide;
}

const upper = (interval: AgeInterval): number => interval.hi ?? Number.POSITIVE_INFINITY;
const overlaps = (a: AgeInterval, b: AgeInterval): boolean => a.lo < upper(b) && b.lo < upper(a);
const sameInterval = (a: AgeInterval, b: AgeInterval): boolean => a.lo === b.lo && a.hi === b.hi;
/** Narrower bands first; of two open-ended bands the later-starting one is the narrower. */
const finestFirst = (a: Band, b: Band): number => {
  const widthA = upper(a.interval) - a.interval.lo;
  const widthB = upper(b.interval) - b.interval.lo;
  if (widthA === widthB)
    return Number.isFinite(widthA) ? a.interval.lo - b.interval.lo : b.interval.lo - a.interval.lo;
  return widthA - widthB;
};
/** Whether non-overlapping bands cover the interval without a hole. */
const tilesInterval = (bands: readonly Band[], interval: AgeInterval): boolean => {
  const sorted = [...bands].sort((a, b) => a.interval.lo - b.interval.lo);
  let reached = interval.lo;
  for (const band of sorted) {
    if (band.interval.lo !== reached) return false;
    reached = upper(band.interval);
  }
  return reached === upper(interval);
};
const quoteAll = (labels: readonly string[]): string =>
  labels.map((label) => `"${label}"`).join(", ");

/**
 * The finest common partition of two sets of age bands (for example census 5-year bands and a
 * library's 10-year patron bands): the finest set of cells such that every cell is a union of
 * whole bands on BOTH sides, so each side's counts can be added up into it without splitting a
 * band (splitting would need an assumption about how ages spread inside a band).
 *
 * Method: parse every label to [lo, hi); on each side, labels naming the same interval are
 * aliases ("65+" and "65 years and over") and bands that overlap a finer band of the same side
 * are left out (they are subtotals); then bands of both sides that overlap are joined into one
 * cell (connected components of the overlap relation, a sweep in order of lo). A cell's
 * boundaries are exactly the boundaries present on both sides. Nothing is silently dropped:
 * unparsed and overlapping labels map to null and are reported, and cells where boundaries had
 * to be merged away, cells present on one side only and cells a side covers only in part are
 * reported too.
 *
 * Census 5-year bands against patron 10-year bands (10 to 19, 20 to 29, …) give the 10-year
 * cells, each made of the census bands inside it ("10 to 14", "15 to 17", "18 and 19").
 *
 * @param leftLabels age labels of the left side (duplicates allowed)
 * @param rightLabels age labels of the right side (duplicates allowed)
 * @param options names of the two sides for the messages
 * @returns { cells, leftCell, rightCell, issues }
 * @example
 * commonAgePartition(["10 to 14 years", "15 to 17 years", "18 and 19 years"], ["10-19"]).cells;
 * // => [{ label: "10 to 19 years", interval: { lo: 10, hi: 20 },
 * //       left: ["10 to 14 years", "15 to 17 years", "18 and 19 years"], right: ["10-19"] }]
 */
export function commonAgePartition(
  leftLabels: readonly string[],
  rightLabels: readonly string[],
  options: AgePartitionOptions = {},
): AgePartition {
  if (!Array.isArray(leftLabels) || !Array.isArray(rightLabels)) {
    throw new TypeError("commonAgePartition: leftLabels and rightLabels must be arrays of strings");
  }
  const names: Record<PartitionSide, string> = {
    left: options.leftName ?? "left",
    right: options.rightName ?? "right",
  };
  const issues: AgePartitionIssue[] = [];
  const cellOf: Record<PartitionSide, Map<string, string | null>> = {
    left: new Map(),
    right: new Map(),
  };

  const keptBands: Band[] = [];
  for (const [side, labels] of [
    ["left", leftLabels],
    ["right", rightLabels],
  ] as const) {
    // Parse, and group aliases (labels naming the same interval).
    const bands: Band[] = [];
    for (const label of new Set(labels)) {
      const interval = parseAgeInterval(label);
      if (interval === null) {
        cellOf[side].set(label, null);
        issues.push({
          kind: "unparsed",
          side,
          labels: [label],
          cell: null,
          message: `The ${names[side]} age label "${label}" is not an age range; its count is reported as unknown age.`,
        });
        continue;
      }
      const alias = bands.find((band) => sameInterval(band.interval, interval));
      if (alias) alias.labels.push(label);
      else bands.push({ interval, labels: [label], side });
    }

    // Finest bands first; a band overlapping an already kept band of this side is a subtotal.
    const byWidth = [...bands].sort(finestFirst);
    const kept: Band[] = [];
    for (const band of byWidth) {
      const clashes = kept.filter((other) => overlaps(other.interval, band.interval));
      if (clashes.length === 0) {
        kept.push(band);
        continue;
      }
      for (const label of band.labels) cellOf[side].set(label, null);
      issues.push({
        kind: "overlap",
        side,
        labels: band.labels,
        cell: null,
        message: `The ${names[side]} age band ${quoteAll(band.labels)} overlaps the finer band(s) ${quoteAll(clashes.flatMap((other) => other.labels))} on the same side (a subtotal?); it is left out and its count reported as unknown age.`,
      });
    }
    keptBands.push(...kept);
  }

  // Join overlapping bands of both sides into cells (sweep in order of lo).
  keptBands.sort((a, b) => a.interval.lo - b.interval.lo || upper(a.interval) - upper(b.interval));
  const components: Band[][] = [];
  let current: Band[] = [];
  let currentEnd = Number.NEGATIVE_INFINITY;
  for (const band of keptBands) {
    if (current.length > 0 && band.interval.lo < currentEnd) {
      current.push(band);
      currentEnd = Math.max(currentEnd, upper(band.interval));
    } else {
      if (current.length > 0) components.push(current);
      current = [band];
      currentEnd = upper(band.interval);
    }
  }
  if (current.length > 0) components.push(current);

  const cells: AgePartitionCell[] = components.map((component) => {
    const lo = Math.min(...component.map((band) => band.interval.lo));
    const end = Math.max(...component.map((band) => upper(band.interval)));
    const interval: AgeInterval = { lo, hi: Number.isFinite(end) ? end : null };
    const label = formatAgeInterval(interval);
    const sideBands = {
      left: component.filter((band) => band.side === "left"),
      right: component.filter((band) => band.side === "right"),
    };
    for (const side of ["left", "right"] as const) {
      for (const band of sideBands[side])
        for (const bandLabel of band.labels) cellOf[side].set(bandLabel, label);
    }
    const cell: AgePartitionCell = {
      label,
      interval,
      left: sideBands.left.flatMap((band) => band.labels),
      right: sideBands.right.flatMap((band) => band.labels),
    };

    const presentSides = (["left", "right"] as const).filter((side) => sideBands[side].length > 0);
    if (presentSides.length === 1) {
      const side = presentSides[0] ?? "left";
      const otherSide = side === "left" ? "right" : "left";
      issues.push({
        kind: "one-sided",
        side,
        labels: cell[side],
        cell: label,
        message: `Ages "${label}" appear only in the ${names[side]} (${quoteAll(cell[side])}); the ${names[otherSide]} counts 0 there.`,
      });
      return cell;
    }
    const isExactlyOneBand = (side: PartitionSide) =>
      sideBands[side].length === 1 &&
      sameInterval(sideBands[side][0]?.interval ?? interval, interval);
    if (!isExactlyOneBand("left") && !isExactlyOneBand("right")) {
      issues.push({
        kind: "merged",
        side: null,
        labels: [...cell.left, ...cell.right],
        cell: label,
        message: `The age boundaries of the ${names.left} (${quoteAll(cell.left)}) and the ${names.right} (${quoteAll(cell.right)}) do not line up, so they were merged into "${label}".`,
      });
    }
    for (const side of ["left", "right"] as const) {
      if (!tilesInterval(sideBands[side], interval)) {
        issues.push({
          kind: "gap",
          side,
          labels: cell[side],
          cell: label,
          message: `The ${names[side]} bands ${quoteAll(cell[side])} cover only part of "${label}"; its count there may be short.`,
        });
      }
    }
    return cell;
  });

  return { cells, leftCell: cellOf.left, rightCell: cellOf.right, issues };
}
