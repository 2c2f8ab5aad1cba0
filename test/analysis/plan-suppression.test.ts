import { describe, expect, it } from "vitest";
import { planSuppression } from "../../server/analysis/plan-suppression.ts";

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
