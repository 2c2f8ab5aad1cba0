// The targets one bounded raking step can reach (rake.ts): a category's total kept within its
// respondents' weight caps while the variable's totals still add up to the known weight.

/**
 * Target totals for one variable's categories that keep the known weight `known`: the totals
 * clip(share × s, count × lower, count × upper) closest to share × known whose sum is `known`
 * (s solves that equation: its left side is monotone and piecewise linear in s). A category the
 * bounds cannot bring to its target is held at the bound it can reach, a zero-target category
 * with respondents at count × lower, and the others share what is left in proportion to their
 * targets. Without bounds, or when every target is reachable, this is share × known / Σ shares.
 * Keeping the sum at `known` keeps the mean weight at 1, which the bounds are multiples of; a
 * solution exists whenever every weight is within the bounds, as raking keeps them.
 */
export function reachableTargets(
  shares: readonly number[],
  counts: readonly number[],
  known: number,
  lower: number,
  upper: number,
): number[] {
  let totalShare = 0;
  for (const share of shares) totalShare += share;
  const scale = known / totalShare;
  const plain = shares.map((share) => share * scale);
  const low = (k: number) => (counts[k] ?? 0) * lower;
  const high = (k: number) => (counts[k] ?? 0) * upper;
  if (plain.every((goal, k) => goal >= low(k) && goal <= high(k))) return plain;

  const at = (s: number) =>
    shares.map((share, k) => Math.min(high(k), Math.max(low(k), share * s)));
  const sumAt = (s: number) => at(s).reduce((sum, goal) => sum + goal, 0);
  const breakpoints = shares
    .flatMap((share, k) => (share > 0 ? [low(k) / share, high(k) / share] : []))
    .filter((s) => Number.isFinite(s))
    .sort((a, b) => a - b);
  const above = breakpoints.findIndex((s) => sumAt(s) >= known);
  if (above === -1) {
    // Every category with a target is at the upper bound and still short of `known`: the
    // zero-target categories take the rest, in proportion to their respondents (it fits, as
    // every weight is within the bounds).
    const goals = shares.map((share, k) => (share > 0 ? high(k) : low(k)));
    const rest = known - goals.reduce((sum, goal) => sum + goal, 0);
    let zeroCount = 0;
    shares.forEach((share, k) => {
      if (share === 0) zeroCount += counts[k] ?? 0;
    });
    if (rest <= 0 || zeroCount === 0) return goals;
    return goals.map((goal, k) =>
      shares[k] === 0 ? Math.min(high(k), goal + (rest * (counts[k] ?? 0)) / zeroCount) : goal,
    );
  }
  if (above === 0) return at(breakpoints[0] as number);
  // Between two breakpoints each category is at a bound or free (share × s): solve for s.
  const middle = ((breakpoints[above - 1] as number) + (breakpoints[above] as number)) / 2;
  let fixedTotal = 0;
  let freeShare = 0;
  shares.forEach((share, k) => {
    const goal = share * middle;
    if (goal <= low(k)) fixedTotal += low(k);
    else if (goal >= high(k)) fixedTotal += high(k);
    else freeShare += share;
  });
  // No category free there would make the sum flat between the breakpoints; rounding aside, it
  // is not, as the sum crosses `known` there.
  return at(freeShare > 0 ? (known - fixedTotal) / freeShare : (breakpoints[above] as number));
}
