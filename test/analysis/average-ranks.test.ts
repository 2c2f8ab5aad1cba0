import { describe, expect, it } from "vitest";
import { averageRanks } from "../../server/analysis/average-ranks.ts";
import { scipyReference } from "./fixtures/scipy-reference.ts";

describe("averageRanks", () => {
  it("gives tied values the mean of the ranks they span", () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
  });

  it("matches SciPy's rankdata(method='average') with several tie groups", () => {
    expect(averageRanks([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])).toEqual([
      ...scipyReference.correlation.rankdataTies,
    ]);
  });

  it("keeps Σ ranks = n(n + 1)/2 and handles an empty list", () => {
    const ranks = averageRanks([5, 5, 5, 1, 9]);
    expect(ranks.reduce((sum, rank) => sum + rank, 0)).toBe(15);
    expect(averageRanks([])).toEqual([]);
  });

  it("refuses non-finite values, naming itself", () => {
    expect(() => averageRanks([1, Number.NaN])).toThrow(/^averageRanks: values\[1\]/);
  });
});
