import { fSurvival } from "./f-survival.ts";
import { InsufficientDataError } from "./insufficient-data-error.ts";

/** One cell of a weighted table: respondents, their total weight Σw and Σw². */
export interface WeightedCell {
  count: number;
  weight: number;
  weightSquares: number;
}

/** Result of the Rao–Scott second-order corrected test of independence. */
export interface RaoScottResult {
  /** F = X² / tr(Δ), the Pearson statistic divided by the sum of the design effects. */
  statistic: number;
  /** d = tr(Δ)² / tr(Δ²) (Satterthwaite), fractional in general. */
  numeratorDf: number;
  /** d · (n − 1): the design's degrees of freedom (n − 1 with weights only) times d. */
  denominatorDf: number;
  /** Upper-tail probability P(F_{d, d(n−1)} ≥ F). */
  pValue: number;
  /** Pearson's X² of the weighted table rescaled to n respondents (before the correction). */
  pearsonStatistic: number;
  /** (r′ − 1)(c′ − 1) over the rows and columns with respondents. */
  df: number;
  /** δ̄ = tr(Δ) / df, the mean generalised design effect of the table's interaction contrasts. */
  meanDesignEffect: number;
  /** Respondents in the table. */
  n: number;
}

/**
 * Rao–Scott second-order corrected chi-square test of independence for a weighted r × c
 * table, as R's `survey::svychisq(~row + col, design, statistic = "F")` (its default) computes
 * it for a design with weights only, `svydesign(ids = ~1, weights = ~w)`: the weights are
 * treated as fixed sampling weights (raked weights are not re-derived for the variance).
 *
 * With estimated cell shares p̂ₖ = Σ_{i∈k} wᵢ / Σwᵢ over the K = rc cells, n respondents and
 * X² Pearson's statistic of the table n·p̂:
 *
 *     V̂ = n/(n − 1) · Σᵢ zᵢzᵢᵀ,  zᵢ = wᵢ (yᵢ − p̂) / Σw   (linearisation; yᵢ = cell indicator)
 *     Δ = (Cᵀ D⁻¹ C / n)⁻¹ (Cᵀ D⁻¹ V̂ D⁻¹ C),  D = diag(p̂),  C = interaction contrasts
 *     F = X² / tr(Δ),  d = tr(Δ)² / tr(Δ²),  p = P(F_{d, d(n−1)} ≥ F).
 *
 * The columns of C span the table's interaction space (zero row and column sums); Δ's
 * eigenvalues are the generalised design effects and do not depend on the basis chosen. Σ zᵢzᵢᵀ
 * needs only each cell's Σw² (Σᵢ zᵢzᵢᵀ = Σₖ Sₖ (eₖ − p̂)(eₖ − p̂)ᵀ / (Σw)², Sₖ = Σ_{i∈k} wᵢ²),
 * so the test runs on cell totals. Rows and columns without respondents are left out, as
 * svychisq does. With equal weights Δ = n/(n − 1)·I and the test is Pearson's, to O(1/n).
 *
 * Sources: J. N. K. Rao & A. J. Scott (1984), "On chi-squared tests for multiway contingency
 * tables with cell proportions estimated from survey data", Annals of Statistics 12(1):46–60;
 * T. Lumley (2010), Complex Surveys: A Guide to Analysis Using R, §6.2, and the survey package's
 * `svychisq` (R code of survey 4.1).
 *
 * @param cells one array per row of { count, weight (Σw), weightSquares (Σw²) }
 * @returns { statistic, numeratorDf, denominatorDf, pValue, pearsonStatistic, df, meanDesignEffect, n }
 * @throws {RangeError} on a ragged table or a cell whose numbers are not finite, ≥ 0 and consistent
 * @throws {InsufficientDataError} with fewer than two rows or columns with respondents, or a
 *   table whose design effects cannot be estimated (all variation in one cell)
 * @example
 * raoScottChiSquare([[{ count: 40, weight: 52.1, weightSquares: 80.3 }, …], …]);
 * // => { statistic: 3.05, numeratorDf: 5.42, denominatorDf: 1296.4, pValue: 0.0078, … }
 */
export function raoScottChiSquare(cells: readonly (readonly WeightedCell[])[]): RaoScottResult {
  if (!Array.isArray(cells as unknown) || cells.length === 0) {
    throw new RangeError("raoScottChiSquare: cells must be a non-empty array of rows");
  }
  const columnCount = cells[0]?.length ?? 0;
  cells.forEach((row, rowIndex) => {
    if (!Array.isArray(row as unknown) || row.length !== columnCount) {
      throw new RangeError(
        `raoScottChiSquare: row ${rowIndex} has ${Array.isArray(row as unknown) ? row.length : "no"} cells but row 0 has ${columnCount}`,
      );
    }
    row.forEach((cell, column) => {
      const { count, weight, weightSquares } = cell;
      const where = `cell [${rowIndex}][${column}]`;
      for (const [name, value] of [
        ["count", count],
        ["weight", weight],
        ["weightSquares", weightSquares],
      ] as const) {
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
          throw new RangeError(
            `raoScottChiSquare: ${where} ${name} must be a finite number ≥ 0 (got ${String(value)})`,
          );
        }
      }
      if (!Number.isInteger(count)) {
        throw new RangeError(`raoScottChiSquare: ${where} count must be an integer (got ${count})`);
      }
      if ((count === 0) !== (weight === 0)) {
        throw new RangeError(
          `raoScottChiSquare: ${where} has count ${count} but weight ${weight}; every respondent needs a weight > 0`,
        );
      }
    });
  });

  const keepRows = cells.map((row) => row.some((cell) => cell.count > 0));
  const keepColumns = Array.from({ length: columnCount }, (_, column) =>
    cells.some((row) => (row[column]?.count ?? 0) > 0),
  );
  const table = cells
    .filter((_, i) => keepRows[i])
    .map((row) => row.filter((_, j) => keepColumns[j]));
  const rows = table.length;
  const columns = table[0]?.length ?? 0;
  if (rows < 2 || columns < 2) {
    throw new InsufficientDataError(
      "raoScottChiSquare",
      `the table needs at least two rows and two columns with respondents (has ${rows} × ${columns})`,
    );
  }

  // Cells in column-major order k = i + rows·j.
  const size = rows * columns;
  const flat: WeightedCell[] = [];
  for (let j = 0; j < columns; j++) {
    for (let i = 0; i < rows; i++) flat.push(table[i]?.[j] as WeightedCell);
  }
  const n = flat.reduce((sum, cell) => sum + cell.count, 0);
  const totalWeight = flat.reduce((sum, cell) => sum + cell.weight, 0);
  const totalSquares = flat.reduce((sum, cell) => sum + cell.weightSquares, 0);
  if (n < 2) {
    throw new InsufficientDataError(
      "raoScottChiSquare",
      "the table needs at least two respondents",
    );
  }
  const shares = flat.map((cell) => cell.weight / totalWeight);
  const squares = flat.map((cell) => cell.weightSquares);

  // Pearson's X² of the weighted table rescaled to n.
  const rowShares = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => shares[i + rows * j] ?? 0).reduce((a, b) => a + b, 0),
  );
  const columnShares = Array.from({ length: columns }, (_, j) =>
    Array.from({ length: rows }, (_, i) => shares[i + rows * j] ?? 0).reduce((a, b) => a + b, 0),
  );
  let pearsonStatistic = 0;
  for (let j = 0; j < columns; j++) {
    for (let i = 0; i < rows; i++) {
      const expected = (rowShares[i] ?? 0) * (columnShares[j] ?? 0);
      const difference = (shares[i + rows * j] ?? 0) - expected;
      pearsonStatistic += (n * difference * difference) / expected;
    }
  }

  // V̂ = n/(n − 1) · [diag(S) − S p̂ᵀ − p̂ Sᵀ + ΣS p̂ p̂ᵀ] / (Σw)².
  const varianceScale = n / (n - 1) / (totalWeight * totalWeight);
  const covariance = (k: number, l: number) =>
    varianceScale *
    ((k === l ? (squares[k] ?? 0) : 0) -
      (squares[k] ?? 0) * (shares[l] ?? 0) -
      (shares[k] ?? 0) * (squares[l] ?? 0) +
      totalSquares * (shares[k] ?? 0) * (shares[l] ?? 0));

  // Contrast (i, j), i < rows − 1, j < columns − 1: +1 at (i, j) and (last, last), −1 at
  // (i, last) and (last, j); these span the interaction space.
  const df = (rows - 1) * (columns - 1);
  const contrasts: { cell: number; sign: number }[][] = [];
  for (let j = 0; j < columns - 1; j++) {
    for (let i = 0; i < rows - 1; i++) {
      contrasts.push([
        { cell: i + rows * j, sign: 1 },
        { cell: i + rows * (columns - 1), sign: -1 },
        { cell: rows - 1 + rows * j, sign: -1 },
        { cell: size - 1, sign: 1 },
      ]);
    }
  }
  const inverseShare = shares.map((share) => (share > 0 ? 1 / share : 0));
  const denominator = contrasts.map((a) =>
    contrasts.map((b) => {
      let sum = 0;
      for (const x of a) {
        for (const y of b) {
          if (x.cell === y.cell) sum += (x.sign * y.sign * (inverseShare[x.cell] ?? 0)) / n;
        }
      }
      return sum;
    }),
  );
  const numerator = contrasts.map((a) =>
    contrasts.map((b) => {
      let sum = 0;
      for (const x of a) {
        for (const y of b) {
          sum +=
            x.sign *
            y.sign *
            (inverseShare[x.cell] ?? 0) *
            (inverseShare[y.cell] ?? 0) *
            covariance(x.cell, y.cell);
        }
      }
      return sum;
    }),
  );
  const delta = solve(denominator, numerator);
  let trace = 0;
  let traceOfSquare = 0;
  for (let a = 0; a < df; a++) {
    trace += delta[a]?.[a] ?? 0;
    for (let b = 0; b < df; b++) traceOfSquare += (delta[a]?.[b] ?? 0) * (delta[b]?.[a] ?? 0);
  }
  if (!(trace > 0) || !(traceOfSquare > 0) || !Number.isFinite(trace)) {
    throw new InsufficientDataError(
      "raoScottChiSquare",
      "the design effects of this table cannot be estimated (too few respondents in its cells)",
    );
  }
  const statistic = pearsonStatistic / trace;
  const numeratorDf = (trace * trace) / traceOfSquare;
  const denominatorDf = numeratorDf * (n - 1);
  return {
    statistic,
    numeratorDf,
    denominatorDf,
    pValue: fSurvival(statistic, numeratorDf, denominatorDf),
    pearsonStatistic,
    df,
    meanDesignEffect: trace / df,
    n,
  };
}

/** A⁻¹B by Gauss–Jordan elimination with partial pivoting; throws when A is singular. */
function solve(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number[][] {
  const size = a.length;
  const left = a.map((row) => [...row]);
  const right = b.map((row) => [...row]);
  const scale = Math.max(...left.flat().map(Math.abs));
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let row = column + 1; row < size; row++) {
      if (Math.abs(left[row]?.[column] ?? 0) > Math.abs(left[pivot]?.[column] ?? 0)) pivot = row;
    }
    const pivotValue = left[pivot]?.[column] ?? 0;
    if (Math.abs(pivotValue) <= scale * 1e-13) {
      throw new InsufficientDataError(
        "raoScottChiSquare",
        "the table's interaction contrasts are degenerate (an empty cell pattern leaves no information)",
      );
    }
    [left[column], left[pivot]] = [left[pivot] as number[], left[column] as number[]];
    [right[column], right[pivot]] = [right[pivot] as number[], right[column] as number[]];
    const pivotRow = left[column] as number[];
    const pivotRight = right[column] as number[];
    for (let k = 0; k < size; k++) {
      pivotRow[k] = (pivotRow[k] ?? 0) / pivotValue;
      pivotRight[k] = (pivotRight[k] ?? 0) / pivotValue;
    }
    for (let row = 0; row < size; row++) {
      if (row === column) continue;
      const factor = left[row]?.[column] ?? 0;
      if (factor === 0) continue;
      const target = left[row] as number[];
      const targetRight = right[row] as number[];
      for (let k = 0; k < size; k++) {
        target[k] = (target[k] ?? 0) - factor * (pivotRow[k] ?? 0);
        targetRight[k] = (targetRight[k] ?? 0) - factor * (pivotRight[k] ?? 0);
      }
    }
  }
  return right;
}
