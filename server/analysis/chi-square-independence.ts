import { chiSquareSurvival } from "./chi-square-survival.ts";
import { InsufficientDataError } from "./insufficient-data-error.ts";
import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

/** Result of a chi-square test of independence on an r × c contingency table. */
export interface ChiSquareIndependenceResult {
  /** Pearson's X² statistic (no continuity correction). */
  statistic: number;
  /** (r′ − 1)(c′ − 1), counting only rows and columns with a non-zero total. */
  df: number;
  /** Upper-tail probability P(χ²_df ≥ X²). */
  pValue: number;
  /** Expected counts under independence, same shape as the input (0 in empty rows/columns). */
  expected: number[][];
  /** Smallest expected count among the rows and columns that take part in the test. */
  minExpected: number;
  /** True when every expected count in the test is at least 5 (Cochran's rule, strict form). */
  reliable: boolean;
  /** Grand total N. */
  n: number;
}

/**
 * Pearson's chi-square test of independence for an r × c contingency table.
 *
 * With row totals Rᵢ, column totals Cⱼ and grand total N, the expected count of cell (i, j)
 * under independence is Eᵢⱼ = Rᵢ·Cⱼ / N and
 *
 *     X² = Σᵢ Σⱼ (Oᵢⱼ − Eᵢⱼ)² / Eᵢⱼ,   df = (r − 1)(c − 1).
 *
 * The p-value is the chi-square survival function (chiSquareSurvival), never 1 − cdf. No continuity (Yates)
 * correction is applied, also for 2 × 2 tables (use fisherExact2x2 for small 2 × 2 tables).
 * Rows and columns whose total is 0 carry no information and would make Eᵢⱼ = 0, so they are
 * left out of the statistic and of df; their expected counts are reported as 0. The
 * approximation is trusted (`reliable`) only when every remaining expected count is ≥ 5.
 *
 * Source: A. Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed., §2.4;
 * W. G. Cochran (1954), "Some methods for strengthening the common χ² tests", Biometrics 10.
 *
 * @param table counts, one array per row, all rows the same length (finite, ≥ 0)
 * @returns { statistic, df, pValue, expected, minExpected, reliable, n }
 * @throws {RangeError} on a ragged table or negative / non-finite counts
 * @throws {InsufficientDataError} when fewer than two rows or two columns have a non-zero total
 * @example
 * // Agresti (2007) Table 2.5: party identification by gender
 * chiSquareIndependence([[762, 327, 468], [484, 239, 477]]);
 * // => { statistic: 30.07…, df: 2, pValue: 2.95e-7, … }
 */
export function chiSquareIndependence(
  table: readonly (readonly number[])[],
): ChiSquareIndependenceResult {
  if (!Array.isArray(table as unknown) || table.length === 0) {
    throw new RangeError("chiSquareIndependence: table must be a non-empty array of rows");
  }
  const columnCount = table[0]?.length ?? 0;
  table.forEach((row, rowIndex) => {
    if (!Array.isArray(row as unknown) || row.length !== columnCount) {
      throw new RangeError(
        `chiSquareIndependence: row ${rowIndex} has ${Array.isArray(row as unknown) ? row.length : "no"} cells but row 0 has ${columnCount}`,
      );
    }
    requireNonNegativeNumbers("chiSquareIndependence", `table[${rowIndex}]`, row);
  });

  const rowTotals = table.map((row) => row.reduce((sum, value) => sum + value, 0));
  const columnTotals = Array.from({ length: columnCount }, (_, column) =>
    table.reduce((sum, row) => sum + (row[column] ?? 0), 0),
  );
  const n = rowTotals.reduce((sum, value) => sum + value, 0);
  const usedRows = rowTotals.filter((total) => total > 0).length;
  const usedColumns = columnTotals.filter((total) => total > 0).length;
  if (usedRows < 2 || usedColumns < 2) {
    throw new InsufficientDataError(
      "chiSquareIndependence",
      `the table needs at least two rows and two columns with a non-zero total (has ${usedRows} × ${usedColumns})`,
    );
  }

  let statistic = 0;
  let minExpected = Number.POSITIVE_INFINITY;
  const expected = table.map((row, rowIndex) =>
    row.map((observed, column) => {
      const rowTotal = rowTotals[rowIndex] ?? 0;
      const columnTotal = columnTotals[column] ?? 0;
      if (rowTotal === 0 || columnTotal === 0) return 0;
      const expectedCount = (rowTotal * columnTotal) / n;
      statistic += ((observed - expectedCount) * (observed - expectedCount)) / expectedCount;
      minExpected = Math.min(minExpected, expectedCount);
      return expectedCount;
    }),
  );
  const df = (usedRows - 1) * (usedColumns - 1);
  const pValue = chiSquareSurvival(statistic, df);
  return { statistic, df, pValue, expected, minExpected, reliable: minExpected >= 5, n };
}
