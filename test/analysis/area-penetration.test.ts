import { describe, expect, it } from "vitest";
import { areaPenetration } from "../../server/analysis/area-penetration.ts";
import { wilsonInterval } from "../../server/analysis/wilson-interval.ts";

const area = (geoid: string, population: number, users: number) => ({
  geoid,
  name: `Area ${geoid}`,
  population,
  populationMoe: null,
  users,
});

describe("areaPenetration", () => {
  // Rate = (610 + 460 + 380) / (4000 + 3900 + 2100) = 1450 / 10000 = 145 per 1,000.
  // Non-users 3390, 3440, 1720; median 3390.
  const result = areaPenetration(
    [area("T1", 4000, 610), area("T2", 3900, 460), area("T3", 2100, 380)],
    40,
    10,
  );

  it("computes penetration per 1,000, its Wilson interval and non-users per area", () => {
    const t2 = result.areas.find((entry) => entry.geoid === "T2");
    expect(t2?.penetrationPer1000).toBeCloseTo((1000 * 460) / 3900, 10);
    const [lo, hi] = wilsonInterval(460, 3900);
    expect(t2?.penetrationInterval?.[0]).toBeCloseTo(1000 * lo, 10);
    expect(t2?.penetrationInterval?.[1]).toBeCloseTo(1000 * hi, 10);
    expect(t2?.nonUsers).toBe(3440);
    expect(result.areaRatePer1000).toBeCloseTo(145, 10);
  });

  it("ranks areas from the lowest penetration", () => {
    expect(result.areas.map((entry) => [entry.geoid, entry.rank])).toEqual([
      ["T2", 1],
      ["T1", 2],
      ["T3", 3],
    ]);
  });

  it("marks as priority only areas with many non-users AND use significantly below the rate", () => {
    // T2: 3440 ≥ median and Wilson upper 128.4 < 145 → priority.
    // T1: 3390 ≥ median but Wilson upper 164.0 > 145 → not. T3: 1720 < median → not.
    expect(result.areas.filter((entry) => entry.priority).map((entry) => entry.geoid)).toEqual([
      "T2",
    ]);
    expect(result.priorityRule).toMatch(/median area/);
  });

  it("never marks a single area as priority, and handles areas with no residents", () => {
    const single = areaPenetration([area("A", 5000, 100)], 0, 10);
    expect(single.areas[0]?.priority).toBe(false);
    const empty = areaPenetration([area("A", 5000, 100), area("B", 0, 12)], 0, 10);
    const b = empty.areas.find((entry) => entry.geoid === "B");
    expect(b).toMatchObject({
      penetrationPer1000: null,
      penetrationInterval: null,
      priority: false,
      rank: null,
    });
    expect(b?.moreUsersThanResidents).toBe(true);
    expect(empty.areas.map((entry) => entry.geoid)).toEqual(["A", "B"]);
  });

  it("marks small area counts and a complementary cell (unknown-area users count as a cell)", () => {
    const withSmall = areaPenetration(
      [area("A", 5000, 400), area("B", 3000, 7), area("C", 2000, 90)],
      30,
      10,
    );
    const byGeoid = Object.fromEntries(withSmall.areas.map((entry) => [entry.geoid, entry]));
    expect(byGeoid.B?.suppression.users).toBe("small");
    expect(withSmall.unknownAreaUsersSuppression).toBe("complementary"); // 30 is the smallest other
    expect(byGeoid.B?.rank).toBeNull();
    expect(byGeoid.A?.suppressed).toBe(false);
  });
});
