import { describe, expect, it } from "vitest";
import { chiSquareGoodnessOfFit } from "../../server/analysis/chi-square-goodness-of-fit.ts";
import { chiSquareUpperTail } from "../../server/analysis/chi-square-upper-tail.ts";

// Reference tails from SciPy 1.10.1, scipy.stats.chi2.sf(x, df) (and chi2.logsf, which shows the
// tails SciPy itself underflows to 0.0: logsf(1500, 3) = −746.8…, logsf(4000, 3) = −1996.6…).
const SCIPY_SF: Array<[x: number, df: number, sf: number]> = [
  [0.47, 3, 0.9254310803174679],
  [5, 2, 0.0820849986238988],
  [0.001, 1, 0.9747728793699604],
  [30, 2, 3.0590232050182594e-7],
  [60, 50, 0.1572420272383916],
  [100, 50, 3.454931382984871e-5],
  [3, 10, 0.9814240637778593],
  [640, 1, 3.3414880386413873e-141],
];

describe("chiSquareUpperTail", () => {
  it("matches SciPy's survival function to 12 significant digits, including far tails", () => {
    for (const [x, df, sf] of SCIPY_SF) {
      const tail = chiSquareUpperTail(x, df);
      expect(Math.abs(tail - sf) / sf, `χ²(${x}, ${df})`).toBeLessThan(1e-10);
    }
  });

  it("never returns 0: a tail below the smallest double is returned as Number.MIN_VALUE", () => {
    // Regression (issue 12): 1 − cdf rounded every p below about 1e-16 to 0.
    expect(chiSquareUpperTail(1500, 3)).toBeGreaterThan(0);
    expect(chiSquareUpperTail(4000, 3)).toBe(Number.MIN_VALUE);
    expect(chiSquareUpperTail(0, 4)).toBe(1);
  });

  it("refuses a negative statistic or non-positive df, naming itself", () => {
    expect(() => chiSquareUpperTail(-1, 2)).toThrow(/^chiSquareUpperTail: statistic/);
    expect(() => chiSquareUpperTail(1, 0)).toThrow(/^chiSquareUpperTail: df/);
  });

  it("gives the goodness-of-fit test a p-value that does not round to 0", () => {
    // 900 : 100 against 1 : 1 is X² = 640, df 1: SciPy's p is 3.34e-141; 1 − cdf gave 0.
    const { pValue } = chiSquareGoodnessOfFit([900, 100], [0.5, 0.5]);
    expect(Math.abs(pValue - 3.3414880386413873e-141) / 3.3414880386413873e-141).toBeLessThan(
      1e-10,
    );
    // 420,000 patrons far from the community mix: the tail underflows, still not 0.
    const huge = chiSquareGoodnessOfFit([300_000, 100_000, 20_000], [0.4, 0.4, 0.2]);
    expect(huge.pValue).toBeGreaterThan(0);
  });
});
