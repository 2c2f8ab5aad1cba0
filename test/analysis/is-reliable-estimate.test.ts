import { describe, expect, it } from "vitest";
import { isReliableEstimate, RELIABLE_CV_MAX } from "../../server/analysis/is-reliable-estimate.ts";

describe("isReliableEstimate", () => {
  it("accepts CV ≤ 0.30 and rejects CV > 0.30", () => {
    expect(RELIABLE_CV_MAX).toBe(0.3);
    expect(isReliableEstimate(1000, 329)).toBe(true); // CV 0.20
    expect(isReliableEstimate(100, 60)).toBe(false); // CV 60/1.645/100 = 0.365
    // Exactly at the threshold: MOE = 0.30 × 1.645 × 1000 = 493.5
    expect(isReliableEstimate(1000, 493.5)).toBe(true);
    expect(isReliableEstimate(1000, 494)).toBe(false);
  });

  it("calls an estimate without a margin of error unknown (null), never reliable, and a zero estimate unreliable", () => {
    // Regression (issue 12): a missing MOE used to count as reliable.
    expect(isReliableEstimate(40, null)).toBeNull();
    expect(isReliableEstimate(0, null)).toBeNull();
    expect(isReliableEstimate(0, 19)).toBe(false);
  });

  it("refuses a negative estimate, naming itself", () => {
    expect(() => isReliableEstimate(-5, 3)).toThrow(/^isReliableEstimate: estimate must be/);
  });
});
