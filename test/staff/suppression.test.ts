import { describe, expect, it } from "vitest";
import { presentCount, presentShare, suppressCounts } from "../../server/reports/suppression.ts";

const shown = (cells: Array<{ display: string }>) => cells.map((c) => c.display);

describe("small-cell suppression", () => {
  it("shows counts from 1 to SUPPRESS_BELOW-1 as <SUPPRESS_BELOW, and zero as zero", () => {
    expect(presentCount(0, 10).display).toBe("0");
    expect(presentCount(1, 10).display).toBe("<10");
    expect(presentCount(9, 10).display).toBe("<10");
    expect(presentCount(10, 10).display).toBe("10");
    expect(presentCount(1234, 10).display).toBe("1,234");
    expect(presentCount(4, 5).display).toBe("<5");
  });

  it("hides a second cell when one small cell sits beside a shown total", () => {
    // 3 could be recovered as 140 - 100 - 37 without the complementary cell.
    const { cells, total } = suppressCounts([100, 3, 37], 10);
    expect(shown(cells)).toEqual(["100", "<10", "suppressed"]);
    expect(total.display).toBe("140");
  });

  it("takes the smallest other non-zero cell as the complement", () => {
    const { cells } = suppressCounts([50, 0, 4, 12, 30], 10);
    expect(shown(cells)).toEqual(["50", "0", "<10", "suppressed", "30"]);
  });

  it("needs no complement when the hidden cells add up to the threshold", () => {
    expect(shown(suppressCounts([40, 4, 6, 60], 10).cells)).toEqual(["40", "<10", "<10", "60"]);
    // 2 + 5 = 7 would still give away that both are small: hide one more.
    expect(shown(suppressCounts([40, 2, 5, 60], 10).cells)).toEqual([
      "suppressed",
      "<10",
      "<10",
      "60",
    ]);
  });

  it("never takes a zero as the complement, and hides the total when there is no other cell", () => {
    expect(shown(suppressCounts([0, 7, 20], 10).cells)).toEqual(["0", "<10", "suppressed"]);
    const onlyZeros = suppressCounts([0, 7, 0], 10);
    expect(onlyZeros.total.display).toBe("<10");
    const alone = suppressCounts([7], 10);
    expect(alone.total.display).toBe("<10");
  });

  it("never derives a share from a hidden count", () => {
    const { cells, total } = suppressCounts([100, 3, 37], 10);
    expect(presentShare(cells[0] as never, total)).toBe("71%");
    expect(presentShare(cells[1] as never, total)).toBe("–");
  });
});
