import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  determinedCells,
  planSuppression,
  planTableSuppression,
  planTwoWaySuppression,
} from "../../server/analysis/plan-suppression.ts";

describe("planSuppression", () => {
  it("withholds counts from 1 to suppressBelow − 1 but shows 0 and counts at the threshold", () => {
    expect(planSuppression([0, 1, 9, 10, 10], 10)).toEqual([null, "small", "small", null, null]);
  });

  it("adds the smallest non-zero shown cell when a single small cell could be recovered from the total", () => {
    // 4 alone could be recovered as total − 120 − 60 − 300; 60 is the smallest other cell.
    expect(planSuppression([120, 4, 60, 300], 10)).toEqual([null, "small", "complementary", null]);
  });

  it("adds a complementary cell when the small cells together are still under the threshold", () => {
    // 2 + 3 = 5 < 10 would be recoverable as a pair; 40 joins them.
    expect(planSuppression([2, 3, 40, 500], 10)).toEqual(["small", "small", "complementary", null]);
    // 6 + 7 = 13 ≥ 10: two small cells protect each other.
    expect(planSuppression([6, 7, 40, 500], 10)).toEqual(["small", "small", null, null]);
  });

  it("skips zero cells when choosing the complementary cell, and stops when none is left", () => {
    expect(planSuppression([0, 5, 0, 70], 10)).toEqual([null, "small", null, "complementary"]);
    expect(planSuppression([5, 0], 10)).toEqual(["small", null]);
  });

  it("withholds nothing when suppressBelow is 0 or 1", () => {
    expect(planSuppression([1, 2, 3], 1)).toEqual([null, null, null]);
    expect(planSuppression([1, 2, 3], 0)).toEqual([null, null, null]);
  });

  it("refuses negative counts and thresholds, naming itself", () => {
    expect(() => planSuppression([1, -1], 10)).toThrow(/^planSuppression: counts\[1\]/);
    expect(() => planSuppression([1], -1)).toThrow(/^planSuppression: suppressBelow/);
  });
});

describe("determinedCells", () => {
  it("finds withheld cells that follow from several equations together", () => {
    // a + b = 30, a + c = 20; b shown: a = 10 and then c = 10.
    const problem = {
      values: [10, 20, 10, 30, 20],
      equations: [
        { parts: [0, 1], total: 3 },
        { parts: [0, 2], total: 4 },
      ],
    };
    expect(determinedCells(problem, [true, false, true, false, false])).toEqual([0, 2]);
    // With b withheld as well, two equations in three unknowns fix none of them.
    expect(determinedCells(problem, [true, true, true, false, false])).toEqual([]);
  });
});

describe("planTwoWaySuppression", () => {
  it("gives a small cell a second withheld cell in its row and in its column (guards the margin subtraction of issue 13)", () => {
    // Before: only the row was protected, so 5 = column total − 40.
    const plan = planTwoWaySuppression(
      [
        [5, 20],
        [40, 50],
      ],
      10,
    );
    expect(plan.cells).toEqual([
      ["small", "complementary"],
      ["complementary", "complementary"],
    ]);
    expect(plan.rowTotals).toEqual([null, null]);
    expect(plan.grandTotal).toBeNull();
  });

  it("keeps margins published elsewhere as they are there, and withholds the ones withheld there", () => {
    // The ungrouped column shows 45 and withholds 6 ("small") and 12 ("complementary").
    const plan = planTwoWaySuppression(
      [
        [40, 5],
        [3, 3],
        [10, 2],
      ],
      10,
      { forcedRowTotals: [false, true, true], columnTotals: true },
    );
    expect(plan.rowTotals).toEqual([null, "small", "complementary"]);
    // Row 0 shows 45 and has 5 withheld: 40 must go with it.
    expect(plan.cells[0]?.[0]).toBe("complementary");
  });

  it("withholds the margin when a line has no other cell to withhold", () => {
    const plan = planTwoWaySuppression(
      [
        [4, 0],
        [0, 50],
      ],
      10,
    );
    expect(plan.cells[0]).toEqual(["small", null]);
    expect(plan.rowTotals[0]).toBe("small");
    expect(plan.columnTotals[0]).toBe("small");
  });

  const table = fc
    .tuple(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }))
    .chain(([r, c]) =>
      fc.array(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 90 })), {
          minLength: c,
          maxLength: c,
        }),
        {
          minLength: r,
          maxLength: r,
        },
      ),
    );

  it("never leaves a withheld cell that the published cells and margins determine", () => {
    fc.assert(
      fc.property(table, (counts) => {
        const plan = planTwoWaySuppression(counts, 10);
        const r = counts.length;
        const c = counts[0]?.length ?? 0;
        const values = [
          ...counts.flat(),
          ...counts.map((row) => row.reduce((s, v) => s + v, 0)),
          ...Array.from({ length: c }, (_, j) => counts.reduce((s, row) => s + (row[j] ?? 0), 0)),
          counts.flat().reduce((s, v) => s + v, 0),
        ];
        const hidden = [
          ...plan.cells.flat(),
          ...plan.rowTotals,
          ...plan.columnTotals,
          plan.grandTotal,
        ].map((s) => s !== null);
        const cell = (i: number, j: number) => i * c + j;
        const equations = [
          ...counts.map((_, i) => ({
            parts: Array.from({ length: c }, (_, j) => cell(i, j)),
            total: r * c + i,
          })),
          ...Array.from({ length: c }, (_, j) => ({
            parts: counts.map((_, i) => cell(i, j)),
            total: r * c + r + j,
          })),
        ];
        expect(determinedCells({ values, equations }, hidden)).toEqual([]);
        // Every small count is withheld and labelled small; every "small" label is true.
        values.forEach((v, i) => {
          const status = [
            ...plan.cells.flat(),
            ...plan.rowTotals,
            ...plan.columnTotals,
            plan.grandTotal,
          ][i];
          expect(status === "small").toBe(v > 0 && v < 10);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("treats an unpublished quantity as unknown to the reader", () => {
    // Non-users 3, users 40, use not stated 12 (never shown): the respondents total 55 is shown.
    const plan = planTableSuppression(
      { values: [3, 40, 12, 55], equations: [{ parts: [0, 1, 2], total: 3 }], unpublished: [2] },
      10,
    );
    expect(plan).toEqual(["small", null, null, null]);
  });
});
