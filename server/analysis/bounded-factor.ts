// One step of bounded raking: the factor that brings a category's capped weights to their
// target (a monotone piecewise-linear equation, solved over sorted breakpoints with prefix sums),
// with the work space it reuses between categories and the clip to the bounds.

export function clip(weight: number, lower: number, upper: number): number {
  return weight === 0 ? 0 : Math.min(upper, Math.max(lower, weight));
}

/** Work space for boundedFactor, sized for the largest category (k cells): 2k + 1 numbers each. */
export interface FactorScratch {
  weights: Float64Array;
  sizeBefore: Float64Array;
  weightBefore: Float64Array;
  breakpoints: Float64Array;
}

export function factorScratch(cells: number): FactorScratch {
  return {
    weights: new Float64Array(cells),
    sizeBefore: new Float64Array(cells + 1),
    weightBefore: new Float64Array(cells + 1),
    breakpoints: new Float64Array(2 * cells),
  };
}

/**
 * Puts `cells` in decreasing order of raw weight, in place. From one pass to the next the order
 * barely changes, so insertion sort takes about one comparison per cell; an order far from
 * sorted (the first passes) is sorted outright instead, so this is never quadratic.
 */
function sortByWeight(cells: Int32Array, raw: Float64Array): void {
  let moves = 0;
  for (let i = 1; i < cells.length; i++) {
    const cell = cells[i] as number;
    const weight = raw[cell] as number;
    let j = i - 1;
    while (j >= 0 && (raw[cells[j] as number] as number) < weight) {
      cells[j + 1] = cells[j] as number;
      j--;
      moves++;
    }
    cells[j + 1] = cell;
    if (moves > 4 * cells.length) {
      cells.sort((a, b) => (raw[b] as number) - (raw[a] as number));
      return;
    }
  }
}

/**
 * The factor f with Σ sizeᵢ·clip(rawᵢ·f, lower, upper) = target over the cells of one category
 * (rawᵢ > 0 where it matters). The sum is non-decreasing and linear between the breakpoints
 * lower/rawᵢ and upper/rawᵢ: f lies between the last breakpoint where the sum is ≤ target and the
 * next one, and is found there by one linear step. A target out of reach gives the factor that
 * puts every weight on the nearer bound.
 *
 * Cost O(k log k) for k cells, whatever their sizes: with the cells in decreasing order of raw
 * weight (sortByWeight; it reorders `cells`) both kinds of breakpoint come in increasing order and
 * merge in one pass, and the sum at any factor is read from prefix sums (the cells at the upper
 * bound come first, those at the lower bound last) to find the segment. The sums at its two
 * ends, which give f, are added up cell by cell as the definition reads, so the rounding of f
 * does not depend on the search.
 */
export function boundedFactor(
  cells: Int32Array,
  size: Float64Array,
  raw: Float64Array,
  lower: number,
  upper: number,
  target: number,
  scratch: FactorScratch,
): number {
  sortByWeight(cells, raw);
  let k = cells.length;
  while (k > 0 && !((raw[cells[k - 1] as number] as number) > 0)) k--;
  const { weights, sizeBefore, weightBefore, breakpoints } = scratch;
  for (let j = 0; j < k; j++) {
    const cell = cells[j] as number;
    const cellSize = size[cell] as number;
    weights[j] = raw[cell] as number;
    sizeBefore[j + 1] = (sizeBefore[j] as number) + cellSize;
    weightBefore[j + 1] = (weightBefore[j] as number) + cellSize * (weights[j] as number);
  }
  const plainSum = weightBefore[k] as number;
  if (lower === 0 && upper === Number.POSITIVE_INFINITY) return target / plainSum;
  const sumAt = (factor: number) => {
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const weight = (weights[j] as number) * factor;
      sum += (size[cells[j] as number] as number) * Math.min(upper, Math.max(lower, weight));
    }
    return sum;
  };

  // Breakpoints in increasing order: lower/raw and upper/raw each increase along `cells`.
  let found = 0;
  for (let j = 0, i = 0; j < k || i < k; ) {
    const atLower = lower / (weights[j] as number);
    const atUpper = upper / (weights[i] as number);
    const takeLower = i >= k || (j < k && atLower <= atUpper);
    const factor = takeLower ? atLower : atUpper;
    if (takeLower) j++;
    else i++;
    if (factor > 0 && Number.isFinite(factor)) breakpoints[found++] = factor;
  }
  if (found === 0) return target / plainSum;
  const first = breakpoints[0] as number;
  const last = breakpoints[found - 1] as number;
  if (target <= sumAt(first)) {
    // Below the first breakpoint the sum is linear through 0 when lower is 0.
    return lower === 0 ? (first * target) / sumAt(first) : first;
  }
  if (target >= sumAt(last)) return last;

  // How many cells weigh at least `bound` (they come first)?
  const heavierThan = (bound: number) => {
    let low = 0;
    let high = k;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((weights[middle] as number) >= bound) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const estimate = (factor: number) => {
    const atUpper = heavierThan(upper / factor);
    const notAtLower = heavierThan(lower / factor);
    return (
      upper * (sizeBefore[atUpper] as number) +
      factor * ((weightBefore[notAtLower] as number) - (weightBefore[atUpper] as number)) +
      lower * ((sizeBefore[k] as number) - (sizeBefore[notAtLower] as number))
    );
  };
  let low = 0;
  let high = found - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (estimate(breakpoints[middle] as number) <= target) low = middle;
    else high = middle;
  }
  // The estimate rounds differently from the cell-by-cell sum: check the segment on the latter,
  // moving one breakpoint if need be, and search on it alone if the estimate was further off
  // (weights many orders of magnitude apart).
  let sumLeft = sumAt(breakpoints[low] as number);
  let sumRight = sumAt(breakpoints[low + 1] as number);
  if (sumLeft > target && low > 0) {
    low--;
    sumRight = sumLeft;
    sumLeft = sumAt(breakpoints[low] as number);
  } else if (sumRight <= target && low + 2 < found) {
    low++;
    sumLeft = sumRight;
    sumRight = sumAt(breakpoints[low + 1] as number);
  }
  if (sumLeft > target || sumRight <= target) {
    low = 0;
    high = found - 1;
    while (high - low > 1) {
      const middle = (low + high) >> 1;
      if (sumAt(breakpoints[middle] as number) <= target) low = middle;
      else high = middle;
    }
    sumLeft = sumAt(breakpoints[low] as number);
    sumRight = sumAt(breakpoints[low + 1] as number);
  }
  const left = breakpoints[low] as number;
  const right = breakpoints[low + 1] as number;
  return sumRight === sumLeft
    ? left
    : left + ((target - sumLeft) * (right - left)) / (sumRight - sumLeft);
}
