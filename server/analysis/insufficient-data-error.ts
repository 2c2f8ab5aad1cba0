/**
 * Thrown by a statistic when its input is valid but carries too little information for the
 * statistic to exist (no observations, a constant variable, a single category). Callers that
 * can live without the number catch it and report "insufficient data" instead of printing
 * NaN or Infinity.
 *
 * @example
 * try { pearson([1, 1, 1], [2, 3, 4]); }
 * catch (error) { if (error instanceof InsufficientDataError) console.log(error.reason); }
 */
export class InsufficientDataError extends RangeError {
  /** The function that could not compute its statistic. */
  readonly functionName: string;
  /** Why, in words a staff member can read. */
  readonly reason: string;

  constructor(functionName: string, reason: string) {
    super(`${functionName}: insufficient data: ${reason}`);
    this.name = "InsufficientDataError";
    this.functionName = functionName;
    this.reason = reason;
  }
}
