import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generatedRakingCase } from "../../bench/rake/generate.ts";
import { effectiveSampleSize } from "../../server/analysis/effective-sample-size.ts";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";
import { type RakingRespondent, rake } from "../../server/analysis/rake.ts";
import { rakePerRespondent } from "./fixtures/rake/rake-per-respondent.ts";

const { raking: boundedRaking } = JSON.parse(
  readFileSync(
    new URL("./fixtures/survey-statistics/survey-statistics.json", import.meta.url),
    "utf8",
  ),
) as {
  raking: {
    respondents: RakingRespondent[];
    margins: Record<string, Record<string, number>>;
    bounds: [number, number];
    clipAfterEachPassDeviation: number;
    boundedWeights: number[];
    effectiveSampleSize: number;
  };
};

const infeasible = JSON.parse(
  readFileSync(new URL("./fixtures/rake/infeasible-bounds.json", import.meta.url), "utf8"),
) as {
  cases: {
    name: string;
    cells: Array<Record<string, string | number>>;
    margins: Record<string, Record<string, number>>;
    bounds: [number, number];
    converged: boolean;
    weights?: number[];
  }[];
};

function respondents(cells: Array<[Record<string, string | null>, number]>): RakingRespondent[] {
  return cells.flatMap(([answers, count]) => Array.from({ length: count }, () => ({ ...answers })));
}

function weightedShare(
  people: readonly RakingRespondent[],
  weights: readonly number[],
  variable: string,
  category: string,
): number {
  let inCategory = 0;
  let known = 0;
  people.forEach((person, index) => {
    const answer = person[variable];
    if (answer === null || answer === undefined || answer === "prefer_not_to_say") return;
    known += weights[index] ?? 0;
    if (answer === category) inCategory += weights[index] ?? 0;
  });
  return inCategory / known;
}

describe("rake", () => {
  it("fits a single margin exactly in one pass (by hand: 0.5·4/1 = 2 and 0.5·4/3)", () => {
    const result = rake([{ age: "18-34" }, { age: "35+" }, { age: "35+" }, { age: "35+" }], {
      age: { "18-34": 0.5, "35+": 0.5 },
    });
    expect(result.weights[0]).toBeCloseTo(2, 12);
    expect(result.weights[1]).toBeCloseTo(2 / 3, 12);
    expect(result.iterations).toBe(1);
    expect(result.converged).toBe(true);
    // n_eff = 4² / (4 + 3·4/9) = 16 / 5.333 = 3
    expect(result.effectiveSampleSize).toBeCloseTo(3, 12);
    expect(result.designEffect).toBeCloseTo(4 / 3, 12);
  });

  it("reaches the unique fitted 2 × 2 table that keeps the sample's odds ratio (Deming & Stephan 1940)", () => {
    // Sample: young-English 30, young-Spanish 10, old-English 50, old-Spanish 10 (odds ratio
    // 30·10/(10·50) = 0.6). Margins: age 50/50, language 60/40. Raking preserves the odds ratio,
    // so the fitted young-English share q solves q(q − 0.1) = 0.6(0.5 − q)(0.6 − q), i.e.
    // 0.4q² + 0.56q − 0.18 = 0, q = (−0.56 + √0.6016)/0.8 = 0.269536 (worked by hand).
    const people = respondents([
      [{ age: "young", language: "en" }, 30],
      [{ age: "young", language: "es" }, 10],
      [{ age: "old", language: "en" }, 50],
      [{ age: "old", language: "es" }, 10],
    ]);
    const result = rake(
      people,
      { age: { young: 50, old: 50 }, language: { en: 0.6, es: 0.4 } },
      { tolerance: 1e-12, maxIterations: 1000 },
    );
    expect(result.converged).toBe(true);
    const q = (-0.56 + Math.sqrt(0.6016)) / 0.8;
    expect(result.weights[0]).toBeCloseTo((q * 100) / 30, 9); // a young-English respondent
    expect(result.weights[30]).toBeCloseTo(((0.5 - q) * 100) / 10, 9); // young-Spanish
    expect(result.weights[40]).toBeCloseTo(((0.6 - q) * 100) / 50, 9); // old-English
    expect(result.weights[90]).toBeCloseTo(((q - 0.1) * 100) / 10, 9); // old-Spanish
    expect(weightedShare(people, result.weights, "age", "young")).toBeCloseTo(0.5, 10);
    expect(weightedShare(people, result.weights, "language", "es")).toBeCloseTo(0.4, 10);
    expect(result.weights.reduce((sum, w) => sum + w, 0)).toBeCloseTo(100, 9);
    expect(result.effectiveSampleSize).toBeCloseTo(effectiveSampleSize(result.weights), 12);
  });

  it("applies a margin only to respondents who answered it; 'prefer not to say' keeps its weight", () => {
    const people: RakingRespondent[] = [
      { age: "18-34" },
      { age: "35+" },
      { age: "35+" },
      { age: "35+" },
      { age: "prefer_not_to_say" },
      { age: null },
    ];
    const result = rake(people, { age: { "18-34": 0.5, "35+": 0.5 } });
    // Known respondents hold weight 4 and keep it: 2 for the young one, 2/3 for each older one.
    expect(result.weights.map((w) => Number(w.toFixed(9)))).toEqual([
      2, 0.666666667, 0.666666667, 0.666666667, 1, 1,
    ]);
    expect(result.missing).toEqual({ age: 2 });
  });

  it("keeps trimmed weights inside the bounds and says when that stops the margins fitting", () => {
    // 1 young and 9 older respondents raked to 50/50 would need a weight of 5 (> 3 × mean).
    const people = respondents([
      [{ age: "young" }, 1],
      [{ age: "old" }, 9],
    ]);
    const result = rake(
      people,
      { age: { young: 0.5, old: 0.5 } },
      { trim: [0.3, 3], maxIterations: 20 },
    );
    expect(Math.max(...result.weights)).toBeLessThanOrEqual(3 + 1e-9);
    expect(result.weights[0]).toBeCloseTo(3, 9);
    expect(result.weights[1]).toBeCloseTo(7 / 9, 9);
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(20);
    expect(result.maxDeviation).toBeCloseTo(0.2, 9); // weighted young share 0.3 against 0.5
  });

  it("meets every margin with bounded weights where clipping after each pass did not converge (issue 12)", () => {
    // Regression: with bounds [0.3, 3.5] clipping the weights after each raking pass left this
    // sample's margins off by 7.9e-5 after the default 100 passes ("not fully converged"),
    // though bounded weights meeting them exist. Expected weights: the bounded raking
    // calibration solved through its dual with SciPy, by
    // test/analysis/fixtures/survey-statistics/survey-statistics.py (which also re-runs the
    // former method to pick this sample).
    const reference = boundedRaking;
    expect(reference.clipAfterEachPassDeviation).toBeGreaterThan(1e-6);
    const result = rake(reference.respondents, reference.margins, {
      trim: [reference.bounds[0], reference.bounds[1]],
      tolerance: 1e-10,
      maxIterations: 5000,
    });
    expect(result.converged).toBe(true);
    result.weights.forEach((weight, index) => {
      expect(weight).toBeCloseTo(reference.boundedWeights[index] ?? Number.NaN, 7);
    });
    expect(Math.min(...result.weights)).toBeGreaterThanOrEqual(0.3 - 1e-12);
    expect(Math.max(...result.weights)).toBeLessThanOrEqual(3.5 + 1e-12);
    expect(result.effectiveSampleSize).toBeCloseTo(reference.effectiveSampleSize, 6);
    for (const variable of ["age", "language", "area"]) {
      expect(result.marginDeviations[variable]).toBeLessThan(1e-10);
    }
  });

  it("converges within the default 100 passes on the same sample", () => {
    const reference = boundedRaking;
    const result = rake(reference.respondents, reference.margins, {
      trim: [reference.bounds[0], reference.bounds[1]],
    });
    expect(result.converged).toBe(true);
    expect(result.maxDeviation).toBeLessThanOrEqual(1e-6);
  });

  it("reports by how much each margin is still missed when the bounds make it impossible", () => {
    const result = rake(
      respondents([
        [{ age: "young", language: "en" }, 1],
        [{ age: "old", language: "en" }, 5],
        [{ age: "old", language: "es" }, 4],
      ]),
      { age: { young: 0.5, old: 0.5 }, language: { en: 0.6, es: 0.4 } },
      { trim: [0.3, 3], maxIterations: 200 },
    );
    expect(result.converged).toBe(false);
    // At most 3 of the 10 units of weight can be young: the age margin is off by ≥ 0.2.
    expect(result.marginDeviations.age).toBeGreaterThanOrEqual(0.2 - 1e-9);
    expect(result.marginDeviations.language).toBeLessThan(1e-6);
  });

  it("starts from base weights when given", () => {
    const result = rake(
      [{ sex: "f" }, { sex: "m" }],
      { sex: { f: 0.5, m: 0.5 } },
      { baseWeights: [3, 1] },
    );
    expect(result.weights).toEqual([1, 1]);
  });

  it("refuses an answer that is not a margin category, and a target category nobody is in", () => {
    expect(() =>
      rake([{ age: "18-34" }, { age: "65+" }], { age: { "18-34": 1, "35+": 1 } }),
    ).toThrow(/^rake: respondent 1 has age = "65\+", which is neither a category/);
    expect(() => rake([{ age: "18-34" }], { age: { "18-34": 1, "35+": 1 } })).toThrow(
      /^rake: insufficient data: no respondent is in category "35\+" of "age", which has a positive target, so no weights can meet the "age" margin/,
    );
  });

  it("refuses empty input, bad targets and bad options, naming itself", () => {
    expect(() => rake([], { age: { a: 1 } })).toThrow(
      /^rake: respondents must be a non-empty array/,
    );
    expect(() => rake([{ age: "a" }], {})).toThrow(/^rake: margins must name/);
    expect(() => rake([{ age: "a" }], { age: { a: -1 } })).toThrow(/must be a finite number ≥ 0/);
    expect(() => rake([{ age: "a" }], { age: { a: 1 } }, { trim: [2, 3] })).toThrow(/^rake: trim/);
    expect(() => rake([{ age: "a" }], { age: { a: 1 } }, { maxIterations: 0 })).toThrow(
      /maxIterations/,
    );
  });

  it("gives the weights the per-respondent implementation gave, with the bounds binding (issue 21: raking by cells)", () => {
    // Regression guard for the fast path: respondents raked together as cells, each bounded step
    // solved over the cells' sorted breakpoints. The reference is the former code, which adjusts
    // every respondent one by one (fixtures/rake/rake-per-respondent.ts). The sample (2,000
    // respondents, 3 margins of 7, 9 and 25 categories) needs weights beyond [0.2, 5], so both
    // bounds bind and the margins cannot all be met: every one of the 100 passes is made. Sums
    // over cells round differently from sums over respondents, and bounded steps amplify that
    // (a step with few unclipped weights divides by their small total), so the weights agree to
    // 1e-8 rather than to the last digit; without bounds they agree to 1e-12.
    const { respondents: people, margins } = generatedRakingCase(2000, 1);
    const cases = [
      { trim: [0.2, 5] as const },
      { trim: [0.2, 5] as const, baseWeights: people.map((_, index) => 1 + (index % 3)) },
    ];
    for (const options of cases) {
      const fast = rake(people, margins, options);
      const reference = rakePerRespondent(people, margins, options);
      expect(Math.min(...fast.weights)).toBe(0.2);
      expect(Math.max(...fast.weights)).toBe(5);
      expect(fast.iterations).toBe(reference.iterations);
      expect(fast.converged).toBe(reference.converged);
      expect(fast.missing).toEqual(reference.missing);
      let largest = 0;
      fast.weights.forEach((weight, index) => {
        largest = Math.max(largest, Math.abs(weight - (reference.weights[index] ?? Number.NaN)));
      });
      expect(largest).toBeLessThan(1e-8);
      for (const variable of Object.keys(margins)) {
        expect(fast.marginDeviations[variable]).toBeCloseTo(
          reference.marginDeviations[variable] ?? Number.NaN,
          9,
        );
      }
      expect(fast.effectiveSampleSize).toBeCloseTo(reference.effectiveSampleSize, 6);
    }
    const unbounded = rake(people, margins, { trim: null });
    const unboundedReference = rakePerRespondent(people, margins, { trim: null });
    expect(unbounded.iterations).toBe(unboundedReference.iterations);
    unbounded.weights.forEach((weight, index) => {
      expect(Math.abs(weight - (unboundedReference.weights[index] ?? Number.NaN))).toBeLessThan(
        1e-12,
      );
    });
  });
});

/** Every weight finite and within [lower, upper] (a hair of rounding allowed), and their sum. */
function expectWithinBounds(weights: readonly number[], [lower, upper]: readonly [number, number]) {
  for (const weight of weights) {
    expect(Number.isFinite(weight)).toBe(true);
    expect(weight).toBeGreaterThanOrEqual(lower - 1e-12);
    expect(weight).toBeLessThanOrEqual(upper + 1e-12);
  }
  return weights.reduce((sum, weight) => sum + weight, 0);
}

describe("rake with bounds that make the margins impossible", () => {
  it("keeps the weights within the bounds at mean 1 when one target is above what the bounds allow and another below (regression: the weights' mean fell to 0.3, so they left the bounds relative to it)", () => {
    // Regression: the step's targets held x and y at the upper bound and z at the lower bound in
    // the same round, so they summed to 5 + 5 + 98·0.2 = 29.6, not 100: the mean weight fell to
    // 0.296 and the bounds, multiples of the mean, no longer held (z at 0.68 × the mean). By
    // hand: x and y can carry at most 5 each; z carries the other 90, 90/98 each; the z share is
    // 0.9 against 0.1, a deviation of 0.8.
    const people = respondents([
      [{ a: "x" }, 1],
      [{ a: "y" }, 1],
      [{ a: "z" }, 98],
    ]);
    const result = rake(people, { a: { x: 0.45, y: 0.45, z: 0.1 } }, { trim: [0.2, 5] });
    expect(expectWithinBounds(result.weights, [0.2, 5])).toBeCloseTo(100, 10);
    expect(result.weights[0]).toBe(5);
    expect(result.weights[1]).toBe(5);
    expect(result.weights[2]).toBeCloseTo(90 / 98, 12);
    expect(result.converged).toBe(false);
    expect(result.marginDeviations.a).toBeCloseTo(0.8, 12);
  });

  it("gives respondents in a category with target 0 the lower bound, not a weight of 0, and reports the margin missed (regression)", () => {
    // Regression: a zero target set its respondents' weights to 0, below the lower bound 0.2.
    // By hand: x's 5 respondents keep 0.2 each (1 of the 10 units), y's carry 9, 1.8 each; the x
    // share is 0.1 against 0.
    const people = respondents([
      [{ area: "x" }, 5],
      [{ area: "y" }, 5],
    ]);
    const result = rake(people, { area: { x: 0, y: 1 } }, { trim: [0.2, 5] });
    expect(expectWithinBounds(result.weights, [0.2, 5])).toBeCloseTo(10, 12);
    expect(result.weights[0]).toBeCloseTo(0.2, 12);
    expect(result.weights[5]).toBeCloseTo(1.8, 12);
    expect(result.converged).toBe(false);
    expect(result.marginDeviations.area).toBeCloseTo(0.1, 12);
    // Without bounds a zero target is met exactly, with weights of 0, as before, and they stay 0
    // through the other margins' steps (by hand: y's 8 carry 10, 1.25 each; then p's three
    // 5/3 each, q's five 1 each).
    expect(rake(people, { area: { x: 0, y: 1 } }).weights).toEqual([0, 0, 0, 0, 0, 2, 2, 2, 2, 2]);
    const twoMargins = rake(
      respondents([
        [{ area: "x", b: "p" }, 2],
        [{ area: "y", b: "p" }, 3],
        [{ area: "y", b: "q" }, 5],
      ]),
      { area: { x: 0, y: 1 }, b: { p: 0.5, q: 0.5 } },
    );
    expect(twoMargins.weights.slice(0, 2)).toEqual([0, 0]);
    expect(twoMargins.weights[2]).toBeCloseTo(5 / 3, 12);
    expect(twoMargins.weights[9]).toBeCloseTo(1, 12);
    expect(twoMargins.converged).toBe(true);
  });

  it("keeps every weight finite and within the bounds over thousands of passes when two margins conflict (regression: weights of 0 below the lower bound)", () => {
    // Regression: each margin can be met within [0.2, 5] on its own but not both, so the
    // factors diverged; after some hundreds of passes the unclipped weights underflowed to 0,
    // and those respondents got weight 0 and dropped out of every later step (the weights of
    // the last case then summed to 61.8, not 62).
    const cases = [
      {
        people: respondents([
          [{ a: "x", b: "p" }, 1],
          [{ a: "y", b: "p" }, 9],
          [{ a: "y", b: "q" }, 1],
        ]),
        margins: { a: { x: 0.9, y: 0.1 }, b: { p: 0.1, q: 0.9 } },
      },
      {
        people: respondents([
          [{ a: "x", b: "p" }, 1],
          [{ a: "x", b: "q" }, 30],
          [{ a: "y", b: "p" }, 30],
          [{ a: "y", b: "q" }, 1],
        ]),
        margins: { a: { x: 0.5, y: 0.5 }, b: { p: 0.99, q: 0.01 } },
      },
      {
        people: respondents([
          [{ a: "x", b: "p" }, 50],
          [{ a: "y", b: "p" }, 1],
          [{ a: "y", b: "q" }, 50],
        ]),
        margins: { a: { x: 0.01, y: 0.99 }, b: { p: 0.99, q: 0.01 } },
      },
    ];
    for (const { people, margins } of cases) {
      const result = rake(people, margins, { trim: [0.2, 5], maxIterations: 5000 });
      expect(expectWithinBounds(result.weights, [0.2, 5])).toBeCloseTo(people.length, 9);
      expect(result.converged).toBe(false);
      expect(result.iterations).toBe(5000);
      expect(result.maxDeviation).toBeGreaterThan(0.01);
      expect(result.effectiveSampleSize).toBeCloseTo(effectiveSampleSize(result.weights), 9);
    }
  });

  it("misses exactly the samples on which R's bounded raking fails, and gives R's weights where it converges", () => {
    // Expectations from R survey::calibrate(calfun = "raking", bounds = …), which warns "Failed
    // to converge" and stops with "Calibration failed" when no weights within the bounds meet
    // the margins (fixtures/rake/infeasible-bounds.R, .json).
    expect(infeasible.cases.filter((c) => !c.converged)).toHaveLength(4);
    for (const { name, cells, margins, bounds, converged, weights } of infeasible.cases) {
      const people = cells.flatMap(({ n, ...answers }) =>
        Array.from({ length: Number(n) }, () => answers as Record<string, string>),
      );
      if (name === "a target category no respondent is in") {
        expect(() => rake(people, margins, { trim: bounds })).toThrow(InsufficientDataError);
        continue;
      }
      const result = rake(people, margins, { trim: bounds });
      expect(result.converged, name).toBe(converged);
      expect(expectWithinBounds(result.weights, bounds)).toBeCloseTo(people.length, 9);
      if (converged) {
        // R stops at its own tolerance (1e-7 of the totals).
        result.weights.forEach((weight, index) => {
          expect(weight).toBeCloseTo(weights?.[index] ?? Number.NaN, 5);
        });
      } else {
        expect(result.maxDeviation, name).toBeGreaterThan(0.01);
      }
    }
  });

  it("says which margin and category make weighting impossible when no weights can exist", () => {
    const noOne = () => rake([{ age: "old" }, { age: "old" }], { age: { old: 1, young: 1 } });
    expect(noOne).toThrow(InsufficientDataError);
    expect(noOne).toThrow(/no respondent is in category "young" of "age"/);
    expect(() => rake([{ age: "old" }], { age: { old: 0, young: 0 } })).toThrow(
      /^rake: insufficient data: every target of margin "age" is 0/,
    );
    // Without a lower bound, zero targets on one margin can take every respondent of another
    // margin's category: no weights can give that category its target.
    expect(() =>
      rake(
        respondents([
          [{ a: "x", b: "p" }, 5],
          [{ a: "y", b: "q" }, 5],
        ]),
        { a: { x: 0, y: 1 }, b: { p: 0.5, q: 0.5 } },
      ),
    ).toThrow(
      /^rake: insufficient data: the respondents in category "p" of "b" are all in categories with a target of 0 on other margins/,
    );
  });

  it("starts base weights at mean 1 within the bounds (regression: clipping and rescaling in turn stopped after 100 rounds off mean 1)", () => {
    // Base weights 10, 10, 10, 10, 1 with bounds [0.2, 1.1]: the start is clip(c·d) at mean 1,
    // 4 × 1.1 + 0.6 = 5 (by hand). Clipping and rescaling in turn shrank the error only by
    // 4.4/5 a round, so after its 100 rounds the weights summed to 4.999997, not 5.
    const people = Array.from({ length: 5 }, () => ({ group: "all" }));
    const result = rake(
      people,
      { group: { all: 1 } },
      { baseWeights: [10, 10, 10, 10, 1], trim: [0.2, 1.1] },
    );
    expect(result.iterations).toBe(0);
    expect(result.weights.slice(0, 4)).toEqual([1.1, 1.1, 1.1, 1.1]);
    expect(result.weights[4]).toBeCloseTo(0.6, 12);
  });

  it("never gives a weight outside the bounds, NaN or Infinity, whatever the sample, targets, base weights and bounds (0 or 0.001–0.9, 1.1–10)", () => {
    const answer = fc.constantFrom("c0", "c1", "c2", "c3", null);
    const margin = fc.array(
      fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 100, noNaN: true })),
      { minLength: 4, maxLength: 4 },
    );
    const person = fc.record({
      a: answer,
      b: answer,
      c: answer,
      base: fc.double({ min: 0.1, max: 10, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(person, { minLength: 1, maxLength: 40 }),
        fc.tuple(margin, margin, margin),
        fc.boolean(),
        fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 0.9, noNaN: true })),
        fc.double({ min: 1.1, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 300 }),
        (people, targets, withBase, lower, upper, maxIterations) => {
          const [a, b, c] = targets.map((values) =>
            Object.fromEntries(values.map((value, k) => [`c${k}`, value])),
          );
          let result: ReturnType<typeof rake>;
          try {
            result = rake(
              people.map(({ a, b, c }) => ({ a, b, c })),
              { a: a ?? {}, b: b ?? {}, c: c ?? {} },
              {
                trim: [lower, upper],
                maxIterations,
                baseWeights: withBase ? people.map((p) => p.base) : undefined,
              },
            );
          } catch (error) {
            // Only "no weights can exist" (no respondent in a target category, all targets 0)
            // may stop it.
            expect(error).toBeInstanceOf(InsufficientDataError);
            return;
          }
          expect(expectWithinBounds(result.weights, [lower, upper])).toBeCloseTo(people.length, 6);
          expect(Number.isFinite(result.effectiveSampleSize)).toBe(true);
          for (const deviation of Object.values(result.marginDeviations)) {
            expect(Number.isFinite(deviation)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
