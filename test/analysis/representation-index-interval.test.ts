import { describe, expect, it } from "vitest";
import { dimensionGaps } from "../../server/analysis/dimension-gaps.ts";
import { representationIndexInterval } from "../../server/analysis/representation-index-interval.ts";
import type {
  ActiveUserCount,
  CommunityPopulationRow,
} from "../../server/analysis/usage-gap-types.ts";
import { usageGaps } from "../../server/analysis/usage-gaps.ts";
import { wilsonInterval } from "../../server/analysis/wilson-interval.ts";
// Computed independently by test/analysis/fixtures/representation-index-interval.py
// (statsmodels' Wilson interval, the ACS handbook's proportion MOE written out in Python, and a
// numerical derivative of RI = u / p for the census term).
import reference from "./fixtures/representation-index-interval.json" with { type: "json" };
import { activeUsers, communityPopulation, SERVICE_AREA } from "./fixtures/usage-gap-community.ts";

interface ReferenceGroup {
  group: string;
  communityShare: number;
  representationIndex: number;
  interval: number[];
  censusErrorIncluded: boolean;
  waldDeltaInterval: number[];
}

const groupRows = (
  groups: Array<[name: string, population: number, moe: number | null, users: number]>,
) => ({
  population: groups.map(
    ([category, count, moe]): CommunityPopulationRow => ({
      geoid: "T1",
      name: null,
      dimension: "group",
      category,
      count,
      moe,
    }),
  ),
  users: groups.map(
    ([category, , , count]): ActiveUserCount => ({
      geoid: "T1",
      dimension: "group",
      category,
      count,
    }),
  ),
});

function expectMatches(
  groups: ReturnType<typeof dimensionGaps>["groups"],
  expected: ReferenceGroup[],
) {
  expect(groups).toHaveLength(expected.length);
  groups.forEach((group, index) => {
    const want = expected[index] as ReferenceGroup;
    expect(group.representationIndex).toBeCloseTo(want.representationIndex, 10);
    // The script's central-difference derivative agrees to about 1e-10.
    expect(group.representationIndexInterval?.[0]).toBeCloseTo(want.interval[0] as number, 9);
    expect(group.representationIndexInterval?.[1]).toBeCloseTo(want.interval[1] as number, 9);
    expect(group.censusErrorIncluded).toBe(want.censusErrorIncluded);
  });
}

describe("representationIndexInterval", () => {
  const fourGroups = groupRows([
    ["A", 12000, 900, 2600],
    ["B", 8000, 1100, 900],
    ["C", 3000, 700, 420],
    ["D", 1500, 600, 80],
  ]);

  it("adds the census share's ACS sampling error to the patron side's, as the independent script does", () => {
    const gaps = dimensionGaps("group", fourGroups.population, fourGroups.users, 10);
    expectMatches(gaps.groups, reference.fourGroups);
  });

  it("is the Wilson interval over p, and says so, when a census margin of error is missing", () => {
    const withoutMoe = groupRows([
      ["A", 12000, 900, 2600],
      ["B", 8000, null, 900],
      ["C", 3000, 700, 420],
      ["D", 1500, 600, 80],
    ]);
    const gaps = dimensionGaps("group", withoutMoe.population, withoutMoe.users, 10);
    expectMatches(gaps.groups, reference.noMoe);
    const b = gaps.groups[1];
    const [low, high] = wilsonInterval(900, 4000);
    expect(b?.representationIndexInterval?.[0]).toBeCloseTo(low / (8000 / 24500), 12);
    expect(b?.representationIndexInterval?.[1]).toBeCloseTo(high / (8000 / 24500), 12);
    // Regression (issue 12): an estimate without a MOE was called reliable.
    expect(b?.reliable).toBeNull();
    expect(gaps.groups[0]?.reliable).toBe(true);
  });

  it("stays close to the plain (Wald) delta-method interval when counts are large", () => {
    const gaps = dimensionGaps("group", fourGroups.population, fourGroups.users, 10);
    gaps.groups.slice(0, 3).forEach((group, index) => {
      const wald = (reference.fourGroups[index] as ReferenceGroup).waldDeltaInterval;
      expect(
        Math.abs((group.representationIndexInterval?.[0] ?? 0) - (wald[0] as number)),
      ).toBeLessThan(0.002);
      expect(
        Math.abs((group.representationIndexInterval?.[1] ?? 0) - (wald[1] as number)),
      ).toBeLessThan(0.002);
    });
  });

  it("matches the script on the usage-gap fixture's age and language groups, over three tracts", () => {
    const document = usageGaps({
      population: communityPopulation(),
      users: activeUsers(),
      serviceArea: SERVICE_AREA,
      suppressBelow: 10,
      asOf: "2024-03-31",
    });
    const age = document.dimensions.find((dimension) => dimension.dimension === "age");
    const language = document.dimensions.find((dimension) => dimension.dimension === "language");
    expectMatches(age?.groups ?? [], reference.communityAge);
    expectMatches(language?.groups ?? [], reference.communityLanguage);
  });

  it("flags a gap only when the interval with census error clears 1", () => {
    const gaps = dimensionGaps("group", fourGroups.population, fourGroups.users, 10);
    // A: RI 1.33, interval 1.27–1.38 > 1 → over. B: 0.69, 0.58–0.79 < 1 → under.
    // C: RI 0.86 is not below 0.8. D: 0.33, 0.16–0.50 → under.
    expect(gaps.groups.map((group) => group.flag)).toEqual(["over", "under", null, "under"]);
    // Chinese in the fixture: RI 1.69 > 1.25, and the Wilson interval alone (1.43–1.98) clears
    // 1, but the census estimate (CV 30.4%) widens it to 0.65–2.73: not flagged.
    const document = usageGaps({
      population: communityPopulation(),
      users: activeUsers(),
      serviceArea: SERVICE_AREA,
      suppressBelow: 10,
      asOf: "2024-03-31",
    });
    const chinese = document.dimensions[1]?.groups[2];
    expect(chinese?.category).toMatch(/^Chinese/);
    expect(chinese?.flag).toBeNull();
    expect(chinese?.reliable).toBe(false);
  });

  it("is [l/p, h/p] with no census error, and leaves a group with no users at 0 from below", () => {
    const [low, high] = wilsonInterval(30, 200);
    const none = representationIndexInterval(30, 200, 0.25, null);
    expect(none.censusErrorIncluded).toBe(false);
    expect(none.interval[0]).toBeCloseTo(low / 0.25, 14);
    expect(none.interval[1]).toBeCloseTo(high / 0.25, 14);
    const zero = representationIndexInterval(0, 200, 0.25, 0.02);
    expect(zero.interval[0]).toBe(0);
    expect(zero.interval[1]).toBeCloseTo(wilsonInterval(0, 200)[1] / 0.25, 14);
  });

  it("refuses a share outside (0, 1] or a negative standard error, naming itself", () => {
    expect(() => representationIndexInterval(1, 10, 0, 0.1)).toThrow(
      /^representationIndexInterval: communityShare/,
    );
    expect(() => representationIndexInterval(1, 10, 0.5, -0.1)).toThrow(
      /^representationIndexInterval: communityShareSe/,
    );
  });
});
