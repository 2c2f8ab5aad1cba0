import type { AgeInterval } from "./age-interval.ts";
import { aggregateMarginOfError } from "./aggregate-margin-of-error.ts";
import {
  type AgePartitionIssue,
  type AgePartitionOptions,
  commonAgePartition,
} from "./common-age-partition.ts";

/** A count for one age label, with its 90% margin of error when it is an estimate. */
export interface AgeCount {
  label: string;
  count: number;
  moe?: number | null;
}

/** One side's total in a cell (or among the unplaced labels). */
export interface SideTotal {
  count: number;
  /** Root-sum-of-squares MOE of the summed rows; null when any row has no MOE. */
  moe: number | null;
  /** The labels that were added up. */
  labels: string[];
}

export interface RebandedAgeCounts {
  cells: { label: string; interval: AgeInterval; left: SideTotal; right: SideTotal }[];
  /** Counts whose label was unparseable or a same-side subtotal: reported as unknown age. */
  unplaced: { left: SideTotal; right: SideTotal };
  issues: AgePartitionIssue[];
}

function total(rows: readonly AgeCount[]): SideTotal {
  const moes = rows.map((row) => row.moe ?? null);
  return {
    count: rows.reduce((sum, row) => sum + row.count, 0),
    moe: moes.some((moe) => moe === null)
      ? null
      : aggregateMarginOfError(
          moes as number[],
          rows.map((row) => row.count),
        ),
    labels: [...new Set(rows.map((row) => row.label))],
  };
}

/**
 * Maps two sides' age counts (for example census population by B01001 band and active
 * patrons by the library's bands) onto their finest common partition (see
 * commonAgePartition) and adds them up per cell, so that the two sides can be compared cell by
 * cell. Margins of error of the summed estimates combine as √(Σ MOE²) (ACS General Handbook,
 * ch. 8). Counts under labels that are not age ranges, or that duplicate finer bands on the
 * same side, are not dropped: they are returned as `unplaced` (unknown age) and reported in
 * `issues`.
 *
 * @param left rows { label, count, moe? } of the left side; a label may repeat (e.g. one row
 *   per tract), repeated rows are added up
 * @param right rows of the right side
 * @param options names of the sides for the messages
 * @returns { cells, unplaced, issues }
 * @throws {RangeError} when a count is negative or not finite
 * @example
 * rebandAgeCounts(
 *   [{ label: "10 to 14 years", count: 300 }, { label: "15 to 19 years", count: 280 }],
 *   [{ label: "10-19", count: 120 }],
 * ).cells;
 * // => [{ label: "10 to 19 years", interval: { lo: 10, hi: 20 },
 * //       left: { count: 580, moe: null, labels: [...] }, right: { count: 120, moe: null, labels: ["10-19"] } }]
 */
export function rebandAgeCounts(
  left: readonly AgeCount[],
  right: readonly AgeCount[],
  options: AgePartitionOptions = {},
): RebandedAgeCounts {
  for (const [name, rows] of [
    ["left", left],
    ["right", right],
  ] as const) {
    if (!Array.isArray(rows)) throw new TypeError(`rebandAgeCounts: ${name} must be an array`);
    rows.forEach((row, index) => {
      if (typeof row.count !== "number" || !Number.isFinite(row.count) || row.count < 0) {
        throw new RangeError(
          `rebandAgeCounts: ${name}[${index}].count must be a finite number ≥ 0 (got ${String(row.count)})`,
        );
      }
      const moe = row.moe;
      if (moe !== undefined && moe !== null && (!Number.isFinite(moe) || moe < 0)) {
        throw new RangeError(
          `rebandAgeCounts: ${name}[${index}].moe must be a finite number ≥ 0 or null (got ${String(moe)})`,
        );
      }
    });
  }

  const partition = commonAgePartition(
    left.map((row) => row.label),
    right.map((row) => row.label),
    options,
  );
  const inCell = (
    rows: readonly AgeCount[],
    cellOf: Map<string, string | null>,
    cell: string | null,
  ) => rows.filter((row) => (cellOf.get(row.label) ?? null) === cell);

  return {
    cells: partition.cells.map((cell) => ({
      label: cell.label,
      interval: cell.interval,
      left: total(inCell(left, partition.leftCell, cell.label)),
      right: total(inCell(right, partition.rightCell, cell.label)),
    })),
    unplaced: {
      left: total(inCell(left, partition.leftCell, null)),
      right: total(inCell(right, partition.rightCell, null)),
    },
    issues: partition.issues,
  };
}
