import { describe, expect, it } from "vitest";
import {
  ACS_MOE_Z,
  coefficientOfVariation,
} from "../../server/analysis/coefficient-of-variation.ts";

describe("coefficientOfVariation", () => {
  it("is (MOE / 1.645) / estimate, as in the ACS General Handbook ch. 8", () => {
    // By hand: SE = 329 / 1.645 = 200; CV = 200 / 1000 = 0.20
    expect(coefficientOfVariation(1000, 329)).toBeCloseTo(0.2, 12);
    expect(ACS_MOE_Z).toBe(1.645);
    // A tract estimate of 412 ± 278: SE = 169.0, CV = 0.410 (low reliability)
    expect(coefficientOfVariation(412, 278)).toBeCloseTo(278 / 1.645 / 412, 12);
  });

  it("is 0 for an estimate without sampling error", () => {
    expect(coefficientOfVariation(250, 0)).toBe(0);
  });

  it("refuses a zero estimate (its CV is undefined) and a negative margin, naming itself", () => {
    expect(() => coefficientOfVariation(0, 12)).toThrow(
      /^coefficientOfVariation: estimate must be/,
    );
    expect(() => coefficientOfVariation(10, -1)).toThrow(
      /^coefficientOfVariation: marginOfError90/,
    );
    expect(() => coefficientOfVariation(Number.NaN, 1)).toThrow(RangeError);
  });
});
