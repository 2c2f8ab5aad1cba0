import { describe, expect, it } from "vitest";
import { holmAdjust } from "../../server/analysis/holm-adjust.ts";

describe("holmAdjust", () => {
  it("matches Holm's procedure worked by hand", () => {
    // Sorted: 0.01 (×3 = 0.03), 0.03 (×2 = 0.06), 0.04 (×1 = 0.04 → kept monotone at 0.06).
    const adjusted = holmAdjust([0.01, 0.04, 0.03]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
  });

  it("matches R's p.adjust(c(0.005, 0.011, 0.02, 0.04, 0.13), 'holm')", () => {
    // By hand: 5·0.005 = 0.025, 4·0.011 = 0.044, 3·0.02 = 0.06, 2·0.04 = 0.08, 1·0.13 = 0.13.
    const adjusted = holmAdjust([0.04, 0.005, 0.13, 0.011, 0.02]);
    const expected = [0.08, 0.025, 0.13, 0.044, 0.06];
    for (const [i, p] of adjusted.entries()) expect(p).toBeCloseTo(expected[i] as number, 12);
  });

  it("caps at 1 and leaves missing p-values out of the family", () => {
    expect(holmAdjust([0.6, null, 0.7])).toEqual([1, null, 1]);
    expect(holmAdjust([null])).toEqual([null]);
    expect(holmAdjust([])).toEqual([]);
  });

  it("refuses a p-value outside [0, 1], naming the function", () => {
    expect(() => holmAdjust([1.2])).toThrow(/^holmAdjust: /);
  });
});
