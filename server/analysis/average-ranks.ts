/**
 * Ranks of the values, 1 for the smallest, with ties given the average of the ranks they span
 * ("fractional" or "mid" ranks), so that Σ ranks = n(n + 1)/2 always holds.
 *
 * Source: M. G. Kendall (1948), Rank Correlation Methods, §3.1 (treatment of ties);
 * the same convention as SciPy's rankdata(method="average").
 *
 * @param values finite numbers
 * @returns ranks in the order of the input
 * @throws {RangeError} when a value is not a finite number
 * @example
 * averageRanks([10, 20, 20, 30]); // => [1, 2.5, 2.5, 4]
 */
export function averageRanks(values: readonly number[]): number[] {
  values.forEach((value, index) => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(
        `averageRanks: values[${index}] must be a finite number (got ${String(value)})`,
      );
    }
  });
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let position = start; position <= end; position++) {
      const entry = order[position];
      if (entry) ranks[entry.index] = averageRank;
    }
    start = end + 1;
  }
  return ranks;
}
