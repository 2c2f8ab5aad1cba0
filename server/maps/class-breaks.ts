/**
 * Quantile class breaks for a choropleth: k classes holding about the same number of areas
 * (quintiles when k = 5), the classification most choropleth guidance recommends for
 * comparing areas by rank (Brewer & Pickle 2002, "Evaluation of methods for classifying
 * epidemiological data on choropleth maps in series", Annals of the AAG 92:662–681).
 *
 * The breaks are the sample quantiles at 1/k, 2/k, … (k − 1)/k of the values, by Hyndman &
 * Fan's definition 2 (1996, "Sample quantiles in statistical packages", The American
 * Statistician 50:361–365): the inverse of the empirical distribution function, averaged where
 * it is flat (NumPy's "averaged_inverted_cdf", R's quantile(type = 2)). A break that would
 * leave a class empty (many equal values, or a break averaged between two values) is dropped,
 * so there may be fewer classes than asked for, never an empty one. Class i holds the values v
 * with breaks[i − 1] < v ≤ breaks[i].
 *
 * @param values the areas' values (suppressed and unknown areas left out)
 * @param classes how many classes to aim for (default 5)
 * @returns the upper bounds of every class but the last, ascending
 * @example quantileBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5) // => [2.5, 4.5, 6.5, 8.5]
 */
export function quantileBreaks(values: readonly number[], classes = 5): number[] {
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`quantileBreaks: classes must be a positive integer, got ${classes}`);
  }
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const max = sorted[sorted.length - 1] as number;
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) {
    const at = quantileType2(sorted, i / classes);
    const previous = breaks.length ? (breaks[breaks.length - 1] as number) : -Infinity;
    // Keep a break only when some value lies in (previous break, it] and above it: no
    // empty class (equal values, or a break averaged between two values).
    if (at < max && sorted.some((v) => v > previous && v <= at)) breaks.push(at);
  }
  return breaks;
}

/** Hyndman & Fan's sample quantile 2 of sorted values, 0 < p < 1. */
function quantileType2(sorted: readonly number[], p: number): number {
  const position = sorted.length * p;
  const j = Math.floor(position);
  const at = (index: number) => sorted[Math.min(Math.max(index, 0), sorted.length - 1)] as number;
  // 1-based x(j) is at index j − 1.
  return position > j ? at(j) : (at(j - 1) + at(j)) / 2;
}

/** The class (0 = lowest) of a value under `breaks` from quantileBreaks. */
export function classOf(value: number, breaks: readonly number[]): number {
  let index = 0;
  while (index < breaks.length && value > (breaks[index] as number)) index++;
  return index;
}
