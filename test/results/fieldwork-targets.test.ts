import { describe, expect, it } from "vitest";
import {
  parseTargetRequest,
  projectTarget,
  proportionalTargets,
} from "../../server/results/fieldwork-targets.ts";

describe("proportionalTargets", () => {
  it("shares a total in proportion to the community, in whole responses that add up to it", () => {
    expect(proportionalTargets(10, [0.5, 0.3, 0.2])).toEqual([5, 3, 2]);
    // 300 × (0.47, 0.26, 0.09, 0.08, 0.05, 0.05) = 141, 78, 27, 24, 15, 15 exactly
    expect(proportionalTargets(300, [4700, 2600, 900, 800, 500, 500])).toEqual([
      141, 78, 27, 24, 15, 15,
    ]);
  });

  it("gives the leftover responses to the largest remainders, ties to the earlier category", () => {
    // 10/3 = 3.33 each: one leftover goes to the first
    expect(proportionalTargets(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // 7 × (0.45, 0.35, 0.2) = 3.15, 2.45, 1.4 → floors 3, 2, 1 (6); the leftover to 2.45
    expect(proportionalTargets(7, [0.45, 0.35, 0.2])).toEqual([3, 3, 1]);
  });

  it("refuses a total that is not a whole number and shares that add up to nothing", () => {
    expect(() => proportionalTargets(2.5, [1])).toThrow(/whole number/);
    expect(() => proportionalTargets(10, [0, 0])).toThrow(/add up to more than 0/);
  });
});

describe("projectTarget", () => {
  const first = new Date("2026-03-01T09:00:00Z");
  const today = new Date("2026-03-04T20:00:00Z");

  it("divides what is missing by the responses per day since the first response", () => {
    // 12 responses in 4 days (1–4 March) = 3 a day; 18 missing → 6 days → 10 March
    const projection = projectTarget(12, 30, first, today, null);
    expect(projection).toEqual({
      dailyRate: 3,
      remaining: 18,
      projectedDate: "2026-03-10",
      status: "on-track",
    });
  });

  it("rounds the days needed up and flags a date after the planned end", () => {
    // 5 in 4 days = 1.25 a day; 20 missing → 16 days → 20 March, after an end on 15 March
    const late = projectTarget(5, 25, first, today, "2026-03-15");
    expect(late.projectedDate).toBe("2026-03-20");
    expect(late.status).toBe("late");
    // 7 missing at 1.25 a day = 5.6 → 6 days → 10 March, before the end
    expect(projectTarget(5, 12, first, today, "2026-03-15")).toMatchObject({
      projectedDate: "2026-03-10",
      status: "on-track",
    });
  });

  it("says a target is met, or stalled when the category has no responses yet", () => {
    expect(projectTarget(30, 30, first, today, null)).toMatchObject({
      status: "met",
      remaining: 0,
      projectedDate: null,
    });
    expect(projectTarget(0, 10, first, today, "2026-03-15")).toMatchObject({
      status: "stalled",
      projectedDate: null,
    });
  });
});

describe("parseTargetRequest", () => {
  const categories = ["18 to 24 years", "25 to 34 years"];

  it("reads per-category targets, leaving blank ones without a target", () => {
    expect(
      parseTargetRequest(
        { mode: "categories", category: categories, target: ["40", " "] },
        categories,
      ),
    ).toEqual({ mode: "categories", targets: [{ category: "18 to 24 years", target: 40 }] });
  });

  it("reads a proportional total and a request to clear", () => {
    expect(parseTargetRequest({ mode: "proportional", total: "300" }, categories)).toEqual({
      mode: "proportional",
      total: 300,
    });
    expect(parseTargetRequest({ mode: "clear" }, categories)).toEqual({ mode: "clear" });
  });

  it("names the field and category that is wrong", () => {
    expect(() =>
      parseTargetRequest(
        { mode: "categories", category: categories, target: ["4x", ""] },
        categories,
      ),
    ).toThrow(
      'Target for "18 to 24 years": give a whole number of responses from 0 to 1,000,000 (got "4x")',
    );
    expect(() =>
      parseTargetRequest({ mode: "categories", category: ["Martians"], target: ["3"] }, categories),
    ).toThrow(/"Martians" is not a category/);
    expect(() => parseTargetRequest({ mode: "proportional", total: "0" }, categories)).toThrow(
      /^Total:/,
    );
    expect(() => parseTargetRequest({ mode: "guess" }, categories)).toThrow(/^mode:/);
  });
});
