import { wilsonInterval } from "./wilson-interval.ts";

export interface RepresentationIndexInterval {
  /** [lower, upper] bounds of RI = u / p. */
  interval: [number, number];
  /** Whether the census share's sampling error is in the interval (false: patron side only). */
  censusErrorIncluded: boolean;
}

/**
 * Confidence interval of a representation index RI = u / p, where u = users / totalUsers is
 * the group's share of active users (patron side) and p its share of the community, an ACS
 * estimate with a standard error SE(p) (census side). The two come from independent sources,
 * so by the delta method
 *
 *     Var(RI) ≈ Var(u) / p² + (u / p²)² · Var(p)
 *
 * The patron term z·√Var(u) / p is taken from the Wilson interval [l, h] of u, side by side,
 * rather than from the Wald √(u(1 − u)/n): that keeps the Wilson interval's behaviour at small
 * counts and makes the result exactly [l / p, h / p] when the census error is 0 (or unknown).
 * The census term is c = z · RI · SE(p) / p. The bounds are
 *
 *     lower = max(0, RI − √( (RI − l/p)² + c² )),   upper = RI + √( (h/p − RI)² + c² )
 *
 * (square-and-add of the two sides' half-widths: the MOVER of Zou & Donner 2008, which for
 * symmetric half-widths is the delta method itself). SE(p) is the ACS proportion MOE / 1.645
 * (proportionMarginOfError). With SE(p) null, the census error is not included and the
 * result says so.
 *
 * Sources: delta method, e.g. G. Casella & R. L. Berger (2002), Statistical Inference, 2nd ed.,
 * §5.5.4; G. Y. Zou & A. Donner (2008), "Construction of confidence limits about effect
 * measures: a general approach", Statistics in Medicine 27:1693–1702; E. B. Wilson (1927),
 * JASA 22:209–212; U.S. Census Bureau (2020), ACS General Handbook, ch. 8 (SE = MOE / 1.645).
 *
 * @param users active users in the group, 0 ≤ users ≤ totalUsers
 * @param totalUsers active users with a known category, > 0
 * @param communityShare p, > 0
 * @param communityShareSe standard error of p from the census, ≥ 0, or null when unknown
 * @param z normal quantile, 1.96 for 95%
 * @returns { interval, censusErrorIncluded }
 * @throws {RangeError} on p ≤ 0 or > 1, a negative or non-finite standard error, and the
 *   wilsonInterval errors
 * @example
 * representationIndexInterval(100, 1000, 0.3, 0.01);
 * // => { interval: [0.2723…, 0.4039…], censusErrorIncluded: true }
 */
export function representationIndexInterval(
  users: number,
  totalUsers: number,
  communityShare: number,
  communityShareSe: number | null,
  z = 1.96,
): RepresentationIndexInterval {
  if (
    typeof communityShare !== "number" ||
    !Number.isFinite(communityShare) ||
    communityShare <= 0 ||
    communityShare > 1
  ) {
    throw new RangeError(
      `representationIndexInterval: communityShare must be in (0, 1] (got ${String(communityShare)})`,
    );
  }
  if (
    communityShareSe !== null &&
    (typeof communityShareSe !== "number" ||
      !Number.isFinite(communityShareSe) ||
      communityShareSe < 0)
  ) {
    throw new RangeError(
      `representationIndexInterval: communityShareSe must be a finite number ≥ 0 or null (got ${String(communityShareSe)})`,
    );
  }
  const [low, high] = wilsonInterval(users, totalUsers, z);
  const index = users / totalUsers / communityShare;
  const census = communityShareSe === null ? 0 : (z * index * communityShareSe) / communityShare;
  const lowerHalf = Math.hypot(index - low / communityShare, census);
  const upperHalf = Math.hypot(high / communityShare - index, census);
  return {
    interval: [Math.max(0, index - lowerHalf), index + upperHalf],
    censusErrorIncluded: communityShareSe !== null,
  };
}
