import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";
import { partialRIndicators } from "../../server/analysis/partial-r-indicators.ts";
import { rIndicator } from "../../server/analysis/r-indicator.ts";
import { rake } from "../../server/analysis/rake.ts";
import { rakingRIndicator } from "../../server/analysis/raking-r-indicator.ts";
import { weightCoefficientOfVariation } from "../../server/analysis/weight-coefficient-of-variation.ts";
// Computed independently by test/analysis/fixtures/fieldwork/r-indicators.py (NumPy: the
// R-indicator over the expanded population with numpy.std(ddof=1), the partial R-indicators of
// Schouten, Shlomo & Skinner 2011 from the margins, and its own 2-D iterative proportional fit).
import reference from "./fixtures/fieldwork/r-indicators.json" with { type: "json" };

type Partial = (typeof reference)["partialAge"];

function expectPartials(actual: ReturnType<typeof partialRIndicators>, expected: Partial): void {
  expect(actual.meanPropensity).toBeCloseTo(expected.meanPropensity, 12);
  expect(actual.partial).toBeCloseTo(expected.partial, 12);
  expect(actual.relativePartial).toBeCloseTo(expected.relativePartial, 10);
  expect(actual.categories.map((c) => c.category)).toEqual(
    expected.categories.map((c) => c.category),
  );
  actual.categories.forEach((category, index) => {
    const want = expected.categories[index];
    expect(category.propensity).toBeCloseTo(want?.propensity ?? Number.NaN, 12);
    expect(category.partial).toBeCloseTo(want?.partial ?? Number.NaN, 12);
    expect(category.relativePartial).toBeCloseTo(want?.relativePartial ?? Number.NaN, 10);
  });
}

describe("rIndicator", () => {
  it("matches NumPy's standard deviation of the expanded population (Schouten et al. 2009)", () => {
    const result = rIndicator(reference.grouped.propensities, reference.grouped.sizes);
    expect(result.r).toBeCloseTo(reference.grouped.r, 12);
    expect(result.standardDeviation).toBeCloseTo(reference.grouped.standardDeviation, 12);
    expect(result.meanPropensity).toBeCloseTo(reference.grouped.meanPropensity, 12);
    expect(result.coefficientOfVariation).toBeCloseTo(reference.grouped.coefficientOfVariation, 10);
    expect(result.populationSize).toBe(1000);
  });

  it("is 1 when every group responds at the same rate", () => {
    expect(rIndicator([0.3, 0.3], [10, 90]).r).toBe(1);
  });

  it("names what is wrong with bad input, and reports insufficient data instead of NaN", () => {
    expect(() => rIndicator([0.2], [1, 2])).toThrow(/^rIndicator: 1 propensities but 2 sizes/);
    expect(() => rIndicator([1.2], [5])).toThrow(/propensities\[0\] must be in \[0, 1\]/);
    expect(() => rIndicator([0.2], [-5])).toThrow(/sizes\[0\]/);
    expect(() => rIndicator([0, 0], [5, 5])).toThrow(InsufficientDataError);
    expect(() => rIndicator([0.5], [1])).toThrow(InsufficientDataError);
  });
});

describe("partialRIndicators", () => {
  it("matches the reference for age and language from their census margins alone", () => {
    const rows = (margin: Record<string, number>, key: "age" | "language") =>
      Object.entries(margin).map(([category, population]) => ({
        category,
        population,
        respondents: reference.respondents.filter((r) => r[key] === category).length,
      }));
    expectPartials(partialRIndicators(rows(reference.margins.age, "age")), reference.partialAge);
    expectPartials(
      partialRIndicators(rows(reference.margins.language, "language")),
      reference.partialLanguage,
    );
  });

  it("removes exactly P_u(X,k)² from P_u(X)² when category k is brought to the average rate", () => {
    const before = partialRIndicators([
      { category: "young", population: 400, respondents: 8 },
      { category: "old", population: 600, respondents: 42 },
    ]);
    expect(before.partial).toBeCloseTo(Math.sqrt(0.0006), 12);
    const squares = before.categories.map((c) => c.partial ** 2);
    expect(squares.reduce((a, b) => a + b, 0)).toBeCloseTo(before.partial ** 2, 15);
  });

  it("leaves out categories without population and refuses impossible counts", () => {
    const result = partialRIndicators([
      { category: "a", population: 100, respondents: 5 },
      { category: "b", population: 100, respondents: 15 },
      { category: "none", population: 0, respondents: 0 },
    ]);
    expect(result.categories.map((c) => c.category)).toEqual(["a", "b"]);
    expect(() => partialRIndicators([{ category: "a", population: 3, respondents: 4 }])).toThrow(
      /category "a" has 4 respondents but a population of 3/,
    );
    expect(() => partialRIndicators([{ category: "a", population: 30, respondents: 0 }])).toThrow(
      InsufficientDataError,
    );
  });
});

describe("rakingRIndicator and weightCoefficientOfVariation", () => {
  const raked = rake(reference.respondents, reference.margins, {
    tolerance: 1e-12,
    maxIterations: 1000,
  });

  it("rake gives the same weights as the reference's own iterative proportional fit", () => {
    raked.weights.forEach((weight, index) => {
      expect(weight).toBeCloseTo(reference.raking.weights[index] ?? Number.NaN, 9);
    });
  });

  it("matches the reference R-indicator from the raking propensities ρ = n / (N·w)", () => {
    const result = rakingRIndicator(raked.weights, reference.populationSize);
    expect(result.r).toBeCloseTo(reference.raking.r, 10);
    expect(result.standardDeviation).toBeCloseTo(reference.raking.standardDeviation, 10);
    expect(result.meanPropensity).toBeCloseTo(reference.raking.meanPropensity, 12);
    expect(result.coefficientOfVariation).toBeCloseTo(reference.raking.coefficientOfVariation, 8);
  });

  it("matches the reference weight CV, and 1 + CV² is rake's design effect (Kish)", () => {
    const cv = weightCoefficientOfVariation(raked.weights);
    expect(cv).toBeCloseTo(reference.raking.weightCv, 9);
    expect(1 + cv ** 2).toBeCloseTo(raked.designEffect, 9);
    expect(weightCoefficientOfVariation([0.5, 1.5])).toBe(0.5);
  });

  it("refuses a population smaller than the sample and weights that stand for no one", () => {
    expect(() => rakingRIndicator([1, 1, 1], 2)).toThrow(/at least the 3 respondents/);
    expect(() => rakingRIndicator([0, 0], 100)).toThrow(InsufficientDataError);
    expect(() => weightCoefficientOfVariation([])).toThrow(InsufficientDataError);
  });
});
