import { chiSquareIndependence } from "./chi-square-independence.ts";

/**
 * Cramér's V, the effect size of a chi-square test of independence.
 *
 *     V = √( X² / (N · (min(r, c) − 1)) )
 *
 * where X² is Pearson's statistic, N the grand total and r, c the numbers of rows and columns
 * with a non-zero total. V lies in [0, 1]: 0 for independence, 1 when one variable determines
 * the other. This is the classic (uncorrected) estimator; it is biased upwards in small tables.
 *
 * Source: H. Cramér (1946), Mathematical Methods of Statistics, p. 282; A. Agresti (2013),
 * Categorical Data Analysis, 3rd ed.
 *
 * @param table counts, one array per row (see chiSquareIndependence for the rules)
 * @returns V in [0, 1]
 * @throws {RangeError} on a ragged table or invalid counts
 * @throws {InsufficientDataError} when fewer than two rows or columns have a non-zero total
 * @example
 * // Agresti (2007) Table 2.5: X² = 30.07, N = 2757, min(r, c) − 1 = 1
 * cramersV([[762, 327, 468], [484, 239, 477]]); // => 0.1044…
 */
export function cramersV(table: readonly (readonly number[])[]): number {
  const { statistic, n } = chiSquareIndependence(table);
  const usedRows = table.filter((row) => row.some((value) => value > 0)).length;
  const columnCount = table[0]?.length ?? 0;
  let usedColumns = 0;
  for (let column = 0; column < columnCount; column++) {
    if (table.some((row) => (row[column] ?? 0) > 0)) usedColumns++;
  }
  const smallerDimension = Math.min(usedRows, usedColumns);
  return Math.min(1, Math.sqrt(statistic / (n * (smallerDimension - 1))));
}
