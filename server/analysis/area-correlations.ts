import type { CorrelationResult } from "./correlation-result.ts";
import { describeGroup } from "./describe-group.ts";
import { formatCount, formatPValue, formatSigned } from "./finding-format.ts";
import { holmAdjust } from "./holm-adjust.ts";
import { InsufficientDataError } from "./insufficient-data-error.ts";
import { linearRegression } from "./linear-regression.ts";
import { pearson } from "./pearson.ts";
import { spearman } from "./spearman.ts";
import type { AreaCorrelation } from "./usage-gap-types.ts";

/** One composition variable: a category's share of each area's residents. */
export interface CompositionSeries {
  dimension: string;
  category: string;
  /** geoid → share (0–1) of the area's residents (in this dimension's universe). */
  shareByArea: ReadonlyMap<string, number>;
}

/** Fewest areas for which a correlation is reported. */
export const MIN_AREAS_FOR_CORRELATION = 3;
/** Significance level for calling an association "clear", after Holm's adjustment. */
const ALPHA = 0.05;

function strength(r: number): string {
  const size = Math.abs(r);
  if (size < 0.1) return "negligible";
  if (size < 0.3) return "weak";
  if (size < 0.5) return "moderate";
  return "strong";
}

function formatSlope(slope: number): string {
  const size = Math.abs(slope);
  return size < 10 ? size.toFixed(1) : formatCount(size);
}

function describeCorrelation(result: CorrelationResult): string {
  const interval =
    result.ci95 === null
      ? "no interval with so few areas"
      : `95% interval ${formatSigned(result.ci95[0])} to ${formatSigned(result.ci95[1])}`;
  const p = result.pValue === null ? "no p-value" : formatPValue(result.pValue);
  return `Pearson r = ${formatSigned(result.r)}, ${interval}, ${p}`;
}

/**
 * Correlation across areas between library use (active users per 1,000 residents) and each
 * area's composition (the share of its residents in each category: speaking Spanish at home,
 * aged under 18, below the poverty level, …), with Pearson's r (95% Fisher-z interval, t-test
 * p-value), Spearman's ρ and the least-squares slope, stated in plain words:
 *
 *     "Across 24 areas, library use is lower where more residents speak Spanish at home
 *      (Pearson r = −0.62, 95% interval −0.82 to −0.29, p = 0.001; Spearman ρ = −0.58): a strong
 *      association; each 10-point higher share goes with 18 fewer active users per 1,000
 *      residents."
 *
 * Size words follow Cohen's benchmarks for r (0.1 weak, 0.3 moderate, 0.5 strong); "clear"
 * means p < 0.05 after Holm's adjustment for the number of shares tested (many shares are
 * tested at once, and some would pass p < 0.05 by chance alone). These are ecological
 * associations between areas, not effects on people.
 * With fewer than 3 areas, or a share or penetration that does not vary, the entry says
 * "insufficient data" instead of giving a number.
 *
 * Sources: J. Cohen (1988), Statistical Power Analysis for the Behavioral Sciences, 2nd ed.,
 * §3.2; W. S. Robinson (1950), "Ecological correlations and the behavior of individuals",
 * American Sociological Review 15:351–357.
 *
 * @param penetrationByArea geoid → penetration per 1,000 for the areas that may take part
 * @param series the composition variables
 * @returns one entry per series, in the order given
 * @example
 * areaCorrelations(new Map([["a", 120], ["b", 80], ["c", 60]]),
 *   [{ dimension: "language", category: "Spanish", shareByArea: new Map([["a", 0.1], ["b", 0.3], ["c", 0.5]]) }]);
 */
export function areaCorrelations(
  penetrationByArea: ReadonlyMap<string, number>,
  series: readonly CompositionSeries[],
): AreaCorrelation[] {
  const computed = series.map((entry) => correlate(penetrationByArea, entry));
  const adjusted = holmAdjust(computed.map((c) => ("pearson" in c ? c.pearson.pValue : null)));
  const tested = adjusted.filter((p) => p !== null).length;
  return computed.map((c, index) => {
    if (!("pearson" in c)) return c.result;
    const { dimension, category, n, pearson: linear, spearman: ranked, slopePer10Points } = c;
    const phrases = describeGroup(dimension, category);
    const adjustedP = adjusted[index] ?? null;
    const family =
      tested > 1 && adjustedP !== null
        ? `; allowing for the ${tested} shares tested, ${formatPValue(adjustedP)}`
        : "";
    const details = `${describeCorrelation(linear)}; Spearman ρ = ${formatSigned(ranked.r)}${family}`;
    const clear = adjustedP !== null && adjustedP < ALPHA;
    const summary = clear
      ? `Across ${n} areas, library use is ${linear.r < 0 ? "lower" : "higher"} where ${phrases.more} (${details}): a ${strength(linear.r)} association; each 10-point higher share goes with ${formatSlope(slopePer10Points)} ${slopePer10Points < 0 ? "fewer" : "more"} active users per 1,000 residents.`
      : `Across ${n} areas, library use shows no clear relationship with ${phrases.more.replace(/^more /, "how many ")} (${details}).`;
    return {
      dimension,
      category,
      n,
      pearson: linear,
      spearman: ranked,
      slopePer10Points,
      adjustedPValue: adjustedP,
      summary,
      insufficientData: null,
    };
  });
}

type Computed =
  | { result: AreaCorrelation }
  | {
      dimension: string;
      category: string;
      n: number;
      pearson: CorrelationResult & { pValue: number | null };
      spearman: CorrelationResult;
      slopePer10Points: number;
    };

/** Pearson, Spearman and the slope for one composition share, or an insufficient-data entry. */
function correlate(
  penetrationByArea: ReadonlyMap<string, number>,
  { dimension, category, shareByArea }: CompositionSeries,
): Computed {
  const howMany = describeGroup(dimension, category).more.replace(/^more /, "how many ");
  const shares: number[] = [];
  const penetration: number[] = [];
  for (const [geoid, rate] of penetrationByArea) {
    const share = shareByArea.get(geoid);
    if (share === undefined) continue;
    shares.push(share);
    penetration.push(rate);
  }
  const n = shares.length;
  const insufficient = (reason: string): Computed => ({
    result: {
      dimension,
      category,
      n,
      pearson: null,
      spearman: null,
      slopePer10Points: null,
      adjustedPValue: null,
      summary: `Not enough data to relate library use to ${howMany}: ${reason}.`,
      insufficientData: reason,
    },
  });
  if (n < MIN_AREAS_FOR_CORRELATION) {
    return insufficient(
      `${n} area${n === 1 ? "" : "s"} with data, at least ${MIN_AREAS_FOR_CORRELATION} are needed`,
    );
  }
  try {
    return {
      dimension,
      category,
      n,
      pearson: pearson(shares, penetration),
      spearman: spearman(shares, penetration),
      slopePer10Points: linearRegression(shares, penetration).slope / 10,
    };
  } catch (error) {
    if (error instanceof InsufficientDataError) {
      const reason = /^x /.test(error.reason)
        ? "the share is the same in every area"
        : /^y /.test(error.reason)
          ? "library use is the same in every area"
          : error.reason;
      return insufficient(reason);
    }
    throw error;
  }
}
