// The active-user rule on its own: which values mean "never", which periods count, how a year
// without a month is judged, and the mapping settings that change it.
import { describe, expect, it } from "vitest";
import {
  ACTIVITY,
  ActivePeriod,
  AFTER_AS_OF,
  activeRuleOf,
  flagMeansNever,
  meansNever,
} from "../../server/imports/active-rule.ts";
import { parseMapping } from "../../server/imports/mapping.ts";

const AS_OF = { year: 2016, month: 7, day: 31 };
const yearMapping = (extra: Record<string, unknown> = {}) =>
  parseMapping({
    activity: { column: "Year", as: "year", monthColumn: "Month" },
    registered: { column: "Registered", as: "year" },
    ...extra,
  });

describe("the active-user rule", () => {
  it("reads blank, None, Never, N/A, 0000 and zero dates as never, in any case", () => {
    for (const value of ["", "  ", "None", "NONE", "none", "Never", "N/A", "na", "Null", "0000"]) {
      expect(meansNever(value), value).toBe(true);
    }
    expect(meansNever("00/00/0000")).toBe(true);
    expect(meansNever("  -  -    ")).toBe(true);
    for (const value of ["2015", "2016-01-01", "Nonesuch", "July"]) {
      expect(meansNever(value), value).toBe(false);
    }
    // A flag's "0" or "N" is a no, not a never.
    expect(flagMeansNever("0")).toBe(false);
    expect(flagMeansNever("None")).toBe(true);
  });

  it("counts the twelve calendar months ending with the as-of month, and nothing after it", () => {
    const period = new ActivePeriod(activeRuleOf(yearMapping(), AS_OF));
    expect(period.month(2015, 7)).toBe(ACTIVITY.inactive);
    expect(period.month(2015, 8)).toBe(ACTIVITY.active);
    expect(period.month(2016, 7)).toBe(ACTIVITY.active);
    expect(period.month(2016, 8)).toBe(AFTER_AS_OF);
  });

  it("counts a year without a month only when all of it up to the as-of date is in the period", () => {
    const whole = new ActivePeriod(activeRuleOf(yearMapping(), AS_OF));
    expect(whole.year(2016)).toBe(ACTIVITY.active);
    expect(whole.year(2015)).toBe(ACTIVITY.inactive);
    expect(whole.year(2017)).toBe(AFTER_AS_OF);
    const overlap = new ActivePeriod(
      activeRuleOf(yearMapping({ partialYearCountsAsActive: true }), AS_OF),
    );
    expect(overlap.year(2015)).toBe(ACTIVITY.active);
    expect(overlap.year(2014)).toBe(ACTIVITY.inactive);
  });

  it("starts a date window the day after the same day twelve months earlier", () => {
    const rule = activeRuleOf(parseMapping({ activity: { column: "Last", as: "date" } }), {
      year: 2024,
      month: 3,
      day: 15,
    });
    expect(rule.from).toBe("2023-03-16");
    const period = new ActivePeriod(rule);
    expect(period.day(20230315)).toBe(ACTIVITY.inactive);
    expect(period.day(20230316)).toBe(ACTIVITY.active);
    expect(period.day(20240316)).toBe(AFTER_AS_OF);
  });

  it("leaves registrations out unless the mapping opts in, and refuses the opt-in without a registered column", () => {
    expect(activeRuleOf(yearMapping(), AS_OF).registrationCountsAsActivity).toBe(false);
    expect(
      activeRuleOf(yearMapping({ registrationCountsAsActivity: true }), AS_OF)
        .registrationCountsAsActivity,
    ).toBe(true);
    expect(() =>
      parseMapping({ activity: { column: "Last" }, registrationCountsAsActivity: true }),
    ).toThrow(/registrationCountsAsActivity.*needs a "registered" column/);
    expect(() =>
      parseMapping({ activity: { column: "Last" }, partialYearCountsAsActive: "yes" }),
    ).toThrow(/partialYearCountsAsActive/);
  });
});
