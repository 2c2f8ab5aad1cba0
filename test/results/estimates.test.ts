// The numeric summaries of the results tables do not depend on the order responses are added
// in, to the last bit (issue 21): the staff pages' kept tables add a response submitted before
// the others (a paper entry) to what they hold instead of counting every response again, and
// must then show exactly what a count from scratch, in submission order, shows.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NumericAccumulator, weightedMedian } from "../../server/results/estimates.ts";

const summaryOf = (pairs: readonly (readonly [number, number])[]) => {
  const accumulator = new NumericAccumulator();
  for (const [value, weight] of pairs) accumulator.add(value, weight);
  return accumulator.summary();
};

// Decimals of several magnitudes: sums of these round differently in different orders.
const value = fc.oneof(
  fc.integer({ min: -5, max: 120 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.1, 0.2, 0.3, 1e-7, 12345.678),
);

describe("numeric summaries in any order", () => {
  it("are the same for every order of the same unweighted values", () => {
    const listAndShuffle = fc
      .array(value, { minLength: 1, maxLength: 60 })
      .chain((values) =>
        fc.tuple(
          fc.constant(values),
          fc.shuffledSubarray(values, { minLength: values.length, maxLength: values.length }),
        ),
      );
    fc.assert(
      fc.property(listAndShuffle, ([values, shuffled]) => {
        const pairs = (list: number[]) => list.map((v) => [v, 1] as const);
        expect(summaryOf(pairs(shuffled))).toStrictEqual(summaryOf(pairs(values)));
      }),
    );
  });

  it("are the same for every order of the same weighted values", () => {
    const pair = fc.tuple(value, fc.double({ min: 0.01, max: 9, noNaN: true }));
    fc.assert(
      fc.property(
        fc
          .array(pair, { minLength: 1, maxLength: 60 })
          .chain((pairs) =>
            fc.tuple(
              fc.constant(pairs),
              fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length }),
            ),
          ),
        ([pairs, shuffled]) => {
          expect(summaryOf(shuffled)).toStrictEqual(summaryOf(pairs));
        },
      ),
    );
  });

  it("give unweighted values the same mean, deviation and median as the weighted formulas with weights of 1", () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 60 }), (values) => {
        const summary = summaryOf(values.map((v) => [v, 1] as const));
        const sorted = [...values].sort((a, b) => a - b);
        const mean = sorted.reduce((sum, v) => sum + v * 1, 0) / sorted.length;
        expect(summary.mean).toBe(mean);
        expect(summary.median).toBe(
          weightedMedian(
            sorted,
            sorted.map(() => 1),
          ),
        );
        expect(summary.min).toBe(sorted[0]);
        expect(summary.max).toBe(sorted.at(-1));
        if (values.length > 1) {
          const squares = sorted.reduce((sum, v) => sum + 1 * (v - mean) * (v - mean), 0);
          expect(summary.standardDeviation).toBe(Math.sqrt(squares / (values.length - 1)));
        }
      }),
    );
  });

  it("keep the mean of a small example", () => {
    expect(
      summaryOf([
        [1, 1],
        [2, 1],
        [4, 1],
        [5, 1],
      ]),
    ).toStrictEqual({
      n: 4,
      mean: 3,
      median: 3,
      standardDeviation: Math.sqrt(10 / 3),
      min: 1,
      max: 5,
    });
  });
});
