import { describe, expect, it } from "vitest";
import { rebandAgeCounts } from "../../server/analysis/reband-age-counts.ts";

describe("rebandAgeCounts", () => {
  it("adds census tract rows into the patron bands, with root-sum-of-squares MOEs", () => {
    const census = [
      { label: "10 to 14 years", count: 300, moe: 30 },
      { label: "15 to 17 years", count: 180, moe: 40 },
      { label: "18 and 19 years", count: 100, moe: 0 },
      { label: "10 to 14 years", count: 20, moe: 0 }, // a second tract
      { label: "20 to 24 years", count: 400, moe: 50 },
    ];
    const patrons = [
      { label: "10-19", count: 120 },
      { label: "20-24", count: 35 },
    ];
    const result = rebandAgeCounts(census, patrons);
    expect(result.cells).toHaveLength(2);
    const teens = result.cells[0];
    expect(teens?.label).toBe("10 to 19 years");
    expect(teens?.left.count).toBe(600);
    // Zero-estimate rule is irrelevant here (no zero estimates): √(30² + 40² + 0² + 0²) = 50
    expect(teens?.left.moe).toBeCloseTo(50, 12);
    expect(teens?.left.labels).toEqual(["10 to 14 years", "15 to 17 years", "18 and 19 years"]);
    expect(teens?.right).toEqual({ count: 120, moe: null, labels: ["10-19"] });
    expect(result.cells[1]?.left.count).toBe(400);
    expect(result.cells[1]?.right.count).toBe(35);
  });

  it("counts rows it cannot place as unplaced (unknown age), never dropping them", () => {
    const result = rebandAgeCounts(
      [
        { label: "Under 5 years", count: 50, moe: 10 },
        { label: "Total", count: 50, moe: 10 },
      ],
      [
        { label: "0-4", count: 7 },
        { label: "n/a", count: 3 },
        { label: "not given", count: 2 },
      ],
    );
    expect(result.unplaced.left).toEqual({ count: 50, moe: 10, labels: ["Total"] });
    expect(result.unplaced.right).toEqual({ count: 5, moe: null, labels: ["n/a", "not given"] });
    expect(result.cells[0]?.right.count).toBe(7);
    expect(result.issues.filter((issue) => issue.kind === "unparsed")).toHaveLength(3);
  });

  it("refuses negative counts and MOEs, naming itself", () => {
    expect(() => rebandAgeCounts([{ label: "0-4", count: -1 }], [])).toThrow(
      /^rebandAgeCounts: left\[0\]\.count/,
    );
    expect(() => rebandAgeCounts([], [{ label: "0-4", count: 1, moe: -2 }])).toThrow(
      /^rebandAgeCounts: right\[0\]\.moe/,
    );
  });
});
