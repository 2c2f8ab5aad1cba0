// Shares and summaries computed from running sums, so tables can be built while responses
// stream past. The formulas are those of server/analysis (weighted-proportion.ts,
// effective-sample-size.ts, wilson-interval.ts), which take whole arrays; here the same
// quantities come from Σw and Σw² kept per base.
import { wilsonInterval } from "../analysis/wilson-interval.ts";

const Z_95 = 1.96;

/** Running sums of a weighted base: respondents, Σw and Σw². */
export class WeightedBase {
  count = 0;
  weight = 0;
  weightSquares = 0;

  add(weight: number): void {
    this.count++;
    this.weight += weight;
    this.weightSquares += weight * weight;
  }

  /** Kish's effective sample size (Σw)²/Σw²; equals `count` when all weights are 1. */
  get effective(): number {
    return this.weightSquares === 0 ? 0 : (this.weight * this.weight) / this.weightSquares;
  }
}

/** A share of a base, with a 95% interval that accounts for the weights. */
export interface ShareEstimate {
  /** Weighted share (the plain share when unweighted), 0–1; null when the base is empty. */
  share: number | null;
  /** Half-width z·√(p(1 − p)/n_eff) (Kish; server/analysis/weighted-proportion.ts). */
  marginOfError: number | null;
  /** Wilson score interval computed on the effective sample size. */
  interval: [number, number] | null;
}

/**
 * The share `weighted / base.weight` with its margin of error, using Kish's effective sample
 * size of the base in place of n (so unequal weights widen the interval).
 */
export function shareOf(weighted: number, base: WeightedBase): ShareEstimate {
  if (base.weight <= 0) return { share: null, marginOfError: null, interval: null };
  const share = Math.min(1, Math.max(0, weighted / base.weight));
  const effective = base.effective;
  const marginOfError = Z_95 * Math.sqrt((share * (1 - share)) / effective);
  const interval = wilsonInterval(share * effective, effective, Z_95);
  return { share, marginOfError, interval };
}

/** Mean, median, standard deviation and range of numeric answers (weighted when weights vary). */
export interface NumericSummary {
  /** Respondents with a numeric answer. */
  n: number;
  mean: number | null;
  median: number | null;
  /** Weighted standard deviation (population form with weights, n − 1 form when unweighted). */
  standardDeviation: number | null;
  min: number | null;
  max: number | null;
}

/** Collects numeric answers with their weights and summarises them. */
export class NumericAccumulator {
  private readonly values: number[] = [];
  private readonly weights: number[] = [];

  add(value: number, weight: number): void {
    this.values.push(value);
    this.weights.push(weight);
  }

  get n(): number {
    return this.values.length;
  }

  /**
   * The summary of the values, the same bits whatever order they were added in: sums are taken
   * over the values sorted by value, then weight (the kept tables of the staff pages rely on it
   * to add a response submitted before others without counting again).
   */
  summary(): NumericSummary {
    const n = this.values.length;
    if (n === 0) {
      return { n, mean: null, median: null, standardDeviation: null, min: null, max: null };
    }
    if (this.weights.every((w) => w === 1)) {
      // Unweighted (every kept table): what the weighted sums below give with weights of 1
      // (v × 1 = v; the median of sorted values), from a native sort of the values alone.
      const sorted = Float64Array.from(this.values).sort();
      let sum = 0;
      for (const v of sorted) sum += v;
      const mean = sum / n;
      let squares = 0;
      for (const v of sorted) squares += (v - mean) * (v - mean);
      const half = n >> 1;
      return {
        n,
        mean,
        median:
          n % 2 === 1
            ? (sorted[half] as number)
            : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2,
        standardDeviation: n > 1 ? Math.sqrt(squares / (n - 1)) : null,
        min: sorted[0] as number,
        max: sorted[n - 1] as number,
      };
    }
    const order = this.values
      .map((_, i) => i)
      .sort(
        (a, b) =>
          (this.values[a] as number) - (this.values[b] as number) ||
          (this.weights[a] as number) - (this.weights[b] as number),
      );
    const values = order.map((i) => this.values[i] as number);
    const weights = order.map((i) => this.weights[i] as number);
    const totalWeight = weights.reduce((sum, w) => sum + w, 0);
    const mean = values.reduce((sum, v, i) => sum + v * (weights[i] ?? 0), 0) / totalWeight;
    let squares = 0;
    values.forEach((v, i) => {
      squares += (weights[i] ?? 0) * (v - mean) * (v - mean);
    });
    const standardDeviation = Math.sqrt(squares / totalWeight);
    return {
      n,
      mean,
      median: weightedMedian(values, weights),
      standardDeviation,
      min: values[0] as number,
      max: values[n - 1] as number,
    };
  }
}

/**
 * The weighted median: the value at which the cumulative weight first reaches half the total;
 * when it reaches exactly half, the mean of that value and the next (so with equal weights
 * it is the ordinary median, the mean of the two middle values for an even count).
 */
export function weightedMedian(
  values: readonly number[],
  weights: readonly number[],
): number | null {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (order.length === 0 || total <= 0) return null;
  const half = total / 2;
  let cumulative = 0;
  for (let k = 0; k < order.length; k++) {
    const index = order[k] as number;
    cumulative += weights[index] ?? 0;
    const value = values[index] as number;
    if (Math.abs(cumulative - half) <= 1e-9 * total) {
      const next = order[k + 1];
      return next === undefined ? value : (value + (values[next] as number)) / 2;
    }
    if (cumulative > half) return value;
  }
  return values[order[order.length - 1] as number] ?? null;
}
