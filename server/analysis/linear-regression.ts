import { linearRegression as simpleLinearRegression } from "simple-statistics";
import { InsufficientDataError } from "./insufficient-data-error.ts";

/** An ordinary-least-squares line y = intercept + slope · x. */
export interface RegressionLine {
  slope: number;
  intercept: number;
  n: number;
}

/**
 * Ordinary least-squares regression of y on x.
 *
 *     slope = Σ (xᵢ − x̄)(yᵢ − ȳ) / Σ (xᵢ − x̄)²,   intercept = ȳ − slope · x̄
 *
 * The arithmetic is simple-statistics' linearRegression; this wrapper adds the guard clauses
 * it lacks (equal lengths, at least two points, x not constant) so that no NaN escapes.
 *
 * Source: any introductory text, e.g. D. S. Moore, G. P. McCabe & B. A. Craig, Introduction to
 * the Practice of Statistics, ch. 2; https://simple-statistics.github.io/docs/#linearregression
 *
 * @param x explanatory variable
 * @param y response variable, same length as x
 * @returns { slope, intercept, n }
 * @throws {RangeError} on different lengths or non-finite values
 * @throws {InsufficientDataError} with fewer than 2 points or when x is constant
 * @example
 * linearRegression([0, 1, 2], [1, 3, 5]); // => { slope: 2, intercept: 1, n: 3 }
 */
export function linearRegression(x: readonly number[], y: readonly number[]): RegressionLine {
  if (!Array.isArray(x) || !Array.isArray(y)) {
    throw new TypeError("linearRegression: x and y must be arrays");
  }
  if (x.length !== y.length) {
    throw new RangeError(`linearRegression: x has ${x.length} values but y has ${y.length}`);
  }
  for (const [name, values] of [
    ["x", x],
    ["y", y],
  ] as const) {
    values.forEach((value, index) => {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new RangeError(
          `linearRegression: ${name}[${index}] must be a finite number (got ${String(value)})`,
        );
      }
    });
  }
  if (x.length < 2) {
    throw new InsufficientDataError(
      "linearRegression",
      `a line needs at least 2 points (got ${x.length})`,
    );
  }
  if (x.every((value) => value === x[0])) {
    throw new InsufficientDataError("linearRegression", "x is constant, so the slope is undefined");
  }
  const { m, b } = simpleLinearRegression(x.map((value, index) => [value, y[index] ?? 0]));
  if (!Number.isFinite(m) || !Number.isFinite(b)) {
    throw new InsufficientDataError("linearRegression", "x varies too little for a stable slope");
  }
  return { slope: m, intercept: b, n: x.length };
}
