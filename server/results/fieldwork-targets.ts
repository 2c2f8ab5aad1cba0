// Fieldwork targets (quotas): proportional targets from a total, and when each category would
// reach its target at the rate it has been collecting responses.

const DAY_MS = 86_400_000;

/**
 * A total shared among categories in proportion to their community shares, in whole responses
 * that add up to the total (largest remainder: each category gets the floor of its quota, and the
 * leftover responses go to the largest fractional parts, ties to the earlier category).
 *
 * @example
 * proportionalTargets(10, [0.5, 0.3, 0.2]); // => [5, 3, 2]
 * proportionalTargets(10, [1 / 3, 1 / 3, 1 / 3]); // => [4, 3, 3]
 */
export function proportionalTargets(total: number, shares: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) {
    throw new RangeError(`proportionalTargets: total must be a whole number ≥ 0 (got ${total})`);
  }
  const sum = shares.reduce((a, b) => a + b, 0);
  if (!(sum > 0))
    throw new RangeError("proportionalTargets: the shares must add up to more than 0");
  const quotas = shares.map((share) => (total * share) / sum);
  const targets = quotas.map(Math.floor);
  let left = total - targets.reduce((a, b) => a + b, 0);
  const order = quotas
    .map((quota, index) => ({ index, fraction: quota - Math.floor(quota) }))
    .sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    targets[index] = (targets[index] ?? 0) + 1;
    left--;
  }
  return targets;
}

export interface TargetProjection {
  /** Responses collected per day so far (count / days of fieldwork). */
  dailyRate: number;
  /** Responses still needed (0 once the target is met). */
  remaining: number;
  /** The day (YYYY-MM-DD, UTC) the target is reached at the current rate; null when met or never. */
  projectedDate: string | null;
  /** met: reached; on-track: reached by the end date (or no end date); late: after it; stalled: no responses yet. */
  status: "met" | "on-track" | "late" | "stalled";
}

/** A date's UTC day as YYYY-MM-DD. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * When a category reaches its target at its current daily rate.
 *
 *     days so far  = whole UTC days from the first response's day to today, inclusive
 *     daily rate   = count / days so far
 *     days needed  = ⌈(target − count) / daily rate⌉
 *     projected    = today + days needed
 *
 * @param count responses in the category so far
 * @param target the category's target
 * @param firstDay the day fieldwork started (the survey's first response)
 * @param today the day of the projection
 * @param endDate the planned last day of fieldwork, or null
 * @example
 * // 12 responses in 4 days (3/day), 30 wanted: 6 more days from 2026-03-04 → 2026-03-10
 * projectTarget(12, 30, new Date("2026-03-01"), new Date("2026-03-04"), null).projectedDate; // => "2026-03-10"
 */
export function projectTarget(
  count: number,
  target: number,
  firstDay: Date,
  today: Date,
  endDate: string | null,
): TargetProjection {
  const start = Date.parse(isoDay(firstDay));
  const now = Date.parse(isoDay(today));
  const days = Math.max(1, Math.round((now - start) / DAY_MS) + 1);
  const dailyRate = count / days;
  const remaining = Math.max(0, target - count);
  if (remaining === 0) return { dailyRate, remaining, projectedDate: null, status: "met" };
  if (dailyRate === 0) return { dailyRate, remaining, projectedDate: null, status: "stalled" };
  const projectedDate = isoDay(new Date(now + Math.ceil(remaining / dailyRate) * DAY_MS));
  const status = endDate !== null && projectedDate > endDate ? "late" : "on-track";
  return { dailyRate, remaining, projectedDate, status };
}

/** What a staff member asked for one dimension's targets, checked. */
export type TargetRequest =
  | { mode: "clear" }
  | { mode: "proportional"; total: number }
  | { mode: "categories"; targets: { category: string; target: number }[] };

const MAX_TARGET = 1_000_000;

function wholeNumber(value: string, field: string): number {
  const text = value.trim();
  if (!/^\d+$/.test(text) || Number(text) > MAX_TARGET) {
    throw new RangeError(
      `${field}: give a whole number of responses from 0 to ${MAX_TARGET.toLocaleString("en-US")} (got "${value}")`,
    );
  }
  return Number(text);
}

/**
 * Reads the targets form of one dimension: mode "proportional" with a total, "categories" with a
 * target per category (blank: no target for it), or "clear".
 *
 * @param form the posted fields: mode, total, category[] and target[] (parallel lists)
 * @param categories the dimension's categories (a posted category must be one of them)
 * @throws {RangeError} naming the field (and category) that is wrong
 */
export function parseTargetRequest(
  form: { mode?: unknown; total?: unknown; category?: unknown; target?: unknown },
  categories: readonly string[],
): TargetRequest {
  const list = (value: unknown) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
  const mode = String(form.mode ?? "");
  if (mode === "clear") return { mode };
  if (mode === "proportional") {
    const total = wholeNumber(String(form.total ?? ""), "Total");
    if (total === 0)
      throw new RangeError("Total: give the number of responses to aim for (more than 0)");
    return { mode, total };
  }
  if (mode !== "categories") {
    throw new RangeError(`mode: choose per category, proportional or clear (got "${mode}")`);
  }
  const names = list(form.category);
  const values = list(form.target);
  if (names.length !== values.length) {
    throw new RangeError(`target: ${values.length} targets for ${names.length} categories`);
  }
  const targets: { category: string; target: number }[] = [];
  names.forEach((category, index) => {
    if (!categories.includes(category)) {
      throw new RangeError(`category: "${category}" is not a category of this dimension`);
    }
    const value = values[index] ?? "";
    if (value.trim() === "") return;
    targets.push({ category, target: wholeNumber(value, `Target for "${category}"`) });
  });
  return { mode, targets };
}
