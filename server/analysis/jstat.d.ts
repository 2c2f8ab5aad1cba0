/**
 * Ambient types for the small part of jStat (https://github.com/jstat/jstat, MIT) that
 * Open Door uses: distribution functions for exact p-values and the log-gamma function.
 * jStat ships no TypeScript declarations; only what server/analysis calls is declared here.
 */
declare module "jstat" {
  interface JStatContinuousDistribution {
    /** Cumulative distribution function P(X ≤ x). */
    cdf(x: number, ...parameters: number[]): number;
    /** Inverse of the cumulative distribution function. */
    inv(probability: number, ...parameters: number[]): number;
  }

  interface JStat {
    /** Chi-square distribution: cdf(x, degreesOfFreedom). */
    chisquare: JStatContinuousDistribution;
    /** Student's t distribution: cdf(t, degreesOfFreedom). */
    studentt: JStatContinuousDistribution;
    /** Normal distribution: cdf(x, mean, sd), inv(p, mean, sd). */
    normal: JStatContinuousDistribution;
    /** Natural logarithm of the gamma function. */
    gammaln(x: number): number;
  }

  const jStat: JStat;
  export default jStat;
}
