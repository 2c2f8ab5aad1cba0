import { describe, expect, it } from "vitest";
import { suppressGroups, suppressList, suppressTable } from "../../server/results/suppress.ts";

describe("small-cell suppression", () => {
  it("hides counts from 1 to threshold − 1 but shows zeros", () => {
    expect(suppressList([0, 1, 9, 10], 10, false).cells).toEqual([
      "shown",
      "small",
      "small",
      "shown",
    ]);
  });

  it("hides a second cell when a single small cell could be recovered from the total", () => {
    // 3 + 40 + 12 = 55 is shown: 3 = 55 − 40 − 12, so the smallest other positive cell (12) goes too.
    expect(suppressList([3, 40, 12], 10, true)).toEqual({
      cells: ["small", "shown", "complementary"],
      total: false,
    });
  });

  it("hides more cells while the hidden ones add up to less than the threshold", () => {
    // 2 + 3 = 5 < 10: knowing the two hidden cells add up to 5 narrows them too much.
    expect(suppressList([2, 3, 40, 50], 10, true).cells).toEqual([
      "small",
      "small",
      "complementary",
      "shown",
    ]);
  });

  it("does not add a complementary cell to overlapping (multi-select) counts", () => {
    expect(suppressList([3, 40, 12], 10, false).cells).toEqual(["small", "shown", "shown"]);
  });

  it("hides the total when no other cell can protect a small one", () => {
    expect(suppressList([4, 0, 0], 10, true)).toEqual({
      cells: ["small", "shown", "shown"],
      total: true,
    });
  });

  it("protects rows and columns of a cross-tab, preferring cells that fix both lines", () => {
    //   [ 5, 20, 30]    row 0 has one small cell; column 0 too.
    //   [40, 50, 60]    hiding 40 fixes column 0; hiding 20 fixes row 0, then column 1 needs 50.
    //   [12, 70, 80]
    const result = suppressTable(
      [
        [5, 20, 30],
        [40, 50, 60],
        [12, 70, 80],
      ],
      10,
      { rowTotals: true, columnTotals: true },
    );
    // Every line with a hidden cell has at least two.
    for (const row of result.cells) {
      const hidden = row.filter((s) => s !== "shown").length;
      expect(hidden === 0 || hidden >= 2).toBe(true);
    }
    for (let j = 0; j < 3; j++) {
      const hidden = result.cells.filter((row) => row[j] !== "shown").length;
      expect(hidden === 0 || hidden >= 2).toBe(true);
    }
    expect(result.cells[0]?.[0]).toBe("small");
    expect(result.rowTotals.concat(result.columnTotals).every((s) => s === "shown")).toBe(true);
    expect(result.grandTotal).toBe("shown");
  });

  it("plans groups side by side with the ungrouped table as their margin (issue 13: non-users 35–44 = everyone 35–44 − users 35–44)", () => {
    // Everyone 35–44: 45 (shown on the ungrouped page); users 40; non-users 5.
    const plan = suppressGroups(
      [45, 60],
      [
        { counts: [40, 30], base: 70, respondents: 70 },
        { counts: [5, 30], base: 35, respondents: 35 },
      ],
      105,
      10,
      true,
    );
    expect(plan.overall).toEqual(["shown", "shown"]);
    // The users' 40 goes with the non-users' 5; the columns then need a second hidden cell too.
    expect(plan.groups).toEqual([
      ["complementary", "complementary"],
      ["small", "complementary"],
    ]);
    expect(plan.bases).toEqual(["shown", "shown"]);
  });

  it("shows no number of a group with fewer respondents than the threshold", () => {
    const plan = suppressGroups(
      [45, 60],
      [
        { counts: [40, 30], base: 70, respondents: 70 },
        { counts: [5, 28], base: 33, respondents: 33 },
        { counts: [0, 2], base: 2, respondents: 2 },
      ],
      105,
      10,
      true,
    );
    expect(plan.groups[2]).toEqual(["complementary", "small"]);
    expect(plan.bases[2]).toBe("small");
  });
});
