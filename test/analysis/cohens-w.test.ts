import { describe, expect, it } from "vitest";
import { chiSquareGoodnessOfFit } from "../../server/analysis/chi-square-goodness-of-fit.ts";
import { cohensW } from "../../server/analysis/cohens-w.ts";

describe("cohensW", () => {
  it("computes √(Σ (p₁ − p₀)² / p₀) by hand", () => {
    // (0.5 − 0.25)²/0.25 + (0.5 − 0.75)²/0.75 = 0.25 + 0.08333 = 0.33333; √ = 0.57735
    expect(cohensW([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(Math.sqrt(1 / 3), 12);
  });

  it("is 0 when the distributions agree", () => {
    expect(cohensW([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
  });

  it("equals √(X²/N) of the goodness-of-fit test (Mendel's peas: √(0.470/556) = 0.0291)", () => {
    const observed = [315, 108, 101, 32];
    const expected = [9 / 16, 3 / 16, 3 / 16, 1 / 16];
    const total = 556;
    const { statistic } = chiSquareGoodnessOfFit(observed, expected);
    const w = cohensW(
      observed.map((count) => count / total),
      expected,
    );
    expect(w).toBeCloseTo(Math.sqrt(statistic / total), 12);
    expect(w).toBeCloseTo(0.0291, 4);
  });

  it("ignores an empty category with expected 0 and refuses a non-empty one", () => {
    expect(cohensW([0.5, 0.5, 0], [0.25, 0.75, 0])).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(() => cohensW([0.5, 0.4, 0.1], [0.25, 0.75, 0])).toThrow(/^cohensW: category 2/);
  });

  it("refuses proportions that do not sum to 1 and mismatched lengths", () => {
    expect(() => cohensW([0.5, 0.6], [0.5, 0.5])).toThrow(
      /^cohensW: observedProportions must sum to 1/,
    );
    expect(() => cohensW([1], [0.5, 0.5])).toThrow(/^cohensW: observedProportions has 1/);
  });
});
