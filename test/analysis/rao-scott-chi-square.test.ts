import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";
import {
  raoScottChiSquare,
  type WeightedCell,
} from "../../server/analysis/rao-scott-chi-square.ts";

// Expected values: R survey 4.1.1, svychisq(~row + col, svydesign(ids = ~1, weights = ~w),
// statistic = "F"), by test/analysis/fixtures/survey-statistics/rao-scott.R.
const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/survey-statistics/rao-scott.json", import.meta.url), "utf8"),
) as {
  raoScott: {
    respondents: { row: string; col: string; w: number }[];
    F: number;
    numeratorDf: number;
    denominatorDf: number;
    pValue: number;
    pearsonStatistic: number;
    unweightedPearsonPValue: number;
  };
};

function cellsOf(respondents: { row: string; col: string; w: number }[]): WeightedCell[][] {
  const rows = [...new Set(respondents.map((r) => r.row))].sort();
  const columns = [...new Set(respondents.map((r) => r.col))].sort();
  return rows.map((row) =>
    columns.map((col) => {
      const inCell = respondents.filter((r) => r.row === row && r.col === col);
      return {
        count: inCell.length,
        weight: inCell.reduce((sum, r) => sum + r.w, 0),
        weightSquares: inCell.reduce((sum, r) => sum + r.w * r.w, 0),
      };
    }),
  );
}

describe("raoScottChiSquare", () => {
  const reference = fixture.raoScott;

  it("matches R's svychisq F statistic, both degrees of freedom and p on a weighted 3 × 4 table", () => {
    const result = raoScottChiSquare(cellsOf(reference.respondents));
    expect(result.pearsonStatistic).toBeCloseTo(reference.pearsonStatistic, 9);
    expect(result.statistic).toBeCloseTo(reference.F, 9);
    expect(result.numeratorDf).toBeCloseTo(reference.numeratorDf, 9);
    expect(result.denominatorDf).toBeCloseTo(reference.denominatorDf, 6);
    expect(result.pValue).toBeCloseTo(reference.pValue, 12);
    expect(result.df).toBe(6);
    expect(result.n).toBe(reference.respondents.length);
  });

  it("does not depend on the order of the rows and columns", () => {
    const cells = cellsOf(reference.respondents);
    const flipped = [...cells].reverse().map((row) => [...row].reverse());
    expect(raoScottChiSquare(flipped).pValue).toBeCloseTo(reference.pValue, 12);
  });

  it("with equal weights is Pearson's X² divided by n/(n − 1) on (r − 1)(c − 1) and (r − 1)(c − 1)(n − 1) df", () => {
    const cells = cellsOf(reference.respondents.map((r) => ({ ...r, w: 1 })));
    const result = raoScottChiSquare(cells);
    const n = reference.respondents.length;
    expect(result.meanDesignEffect).toBeCloseTo(n / (n - 1), 12);
    expect(result.numeratorDf).toBeCloseTo(6, 12);
    expect(result.denominatorDf).toBeCloseTo(6 * (n - 1), 9);
    expect(result.statistic).toBeCloseTo(result.pearsonStatistic / (6 * (n / (n - 1))), 12);
  });

  it("leaves out rows and columns without respondents, as svychisq does", () => {
    const cells = cellsOf(reference.respondents);
    const empty = { count: 0, weight: 0, weightSquares: 0 };
    const padded = [
      ...cells.map((row) => [...row, empty]),
      cells[0]?.map(() => empty).concat(empty) ?? [],
    ];
    expect(raoScottChiSquare(padded).pValue).toBeCloseTo(reference.pValue, 12);
  });

  it("refuses a table with one row of respondents, naming why", () => {
    const cell = { count: 3, weight: 3.5, weightSquares: 4.5 };
    expect(() => raoScottChiSquare([[cell, cell]])).toThrow(InsufficientDataError);
  });

  it("refuses a cell that has respondents but no weight, naming the cell", () => {
    expect(() =>
      raoScottChiSquare([
        [
          { count: 2, weight: 0, weightSquares: 0 },
          { count: 1, weight: 1, weightSquares: 1 },
        ],
        [
          { count: 1, weight: 1, weightSquares: 1 },
          { count: 1, weight: 1, weightSquares: 1 },
        ],
      ]),
    ).toThrow(/cell \[0\]\[0\] has count 2 but weight 0/);
  });
});
