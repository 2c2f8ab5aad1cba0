import { describe, expect, it } from "vitest";
import { presentUsageGaps } from "../../server/analysis/present-usage-gaps.ts";
import type {
  ActiveUserCount,
  CommunityPopulationRow,
} from "../../server/analysis/usage-gap-types.ts";
import { usageGaps } from "../../server/analysis/usage-gaps.ts";
import { nonFiniteNumbers } from "./fixtures/finite-numbers.ts";

// Four tracts; Korean-speaking users are few (4), and tract D has 7 active users.
const population: CommunityPopulationRow[] = [];
const users: ActiveUserCount[] = [];
for (const [geoid, english, spanish, korean, userCounts] of [
  ["A", 3000, 800, 300, [400, 60, 4]],
  ["B", 2500, 1200, 0, [300, 50, 0]],
  ["C", 2000, 500, 0, [250, 40, 0]],
  ["D", 900, 100, 0, [6, 1, 0]],
] as const) {
  for (const [category, count] of [
    ["Speak only English", english],
    ["Spanish", spanish],
    ["Korean", korean],
  ] as const) {
    population.push({
      geoid,
      name: `Tract ${geoid}`,
      dimension: "language",
      category,
      count,
      moe: null,
    });
  }
  users.push({ geoid, dimension: "language", category: "eng", count: userCounts[0] });
  users.push({ geoid, dimension: "language", category: "spa", count: userCounts[1] });
  users.push({ geoid, dimension: "language", category: "kor", count: userCounts[2] });
}
users.push({ geoid: null, dimension: "language", category: null, count: 25 });

const document = usageGaps({
  population,
  users,
  serviceArea: ["A", "B", "C", "D"],
  suppressBelow: 10,
  asOf: "2024-03-31",
});
const shown = presentUsageGaps(document);
const language = shown.dimensions[0];
const group = (category: string) => language?.groups.find((entry) => entry.category === category);

describe("presentUsageGaps", () => {
  it("replaces a small count with '<10' (from suppressBelow) and nulls what is derived from it", () => {
    expect(group("Korean")).toMatchObject({
      population: 300,
      users: "<10",
      userShare: null,
      userShareInterval: null,
      representationIndex: null,
      representationIndexInterval: null,
      penetrationPer1000: null,
      shortfall: null,
      nonUsers: null,
      flag: null,
      moreUsersThanResidents: null,
    });
    // Derived only from the population, which is shown:
    expect(group("Korean")?.communityShare).toBeCloseTo(300 / 11300, 12); // 300 of 8,400 + 2,600 + 300;
    expect(group("Korean")?.expectedUsers).not.toBeNull();
  });

  it("withholds a complementary cell so the small one cannot be recovered from the total", () => {
    // Users: English 956, Spanish 151, Korean 4, unknown 25 → the unknown 25 is the smallest other cell.
    expect(language?.unknownUsers).toBe("suppressed");
    // …and the known-category total, which would give it back by subtraction from all users.
    expect(language?.users).toBe("suppressed");
    expect(group("Spanish")?.users).toBe(151);
  });

  it("suppresses small area counts the same way, with the unknown-area users as a cell of the total", () => {
    const area = shown.areas.find((entry) => entry.geoid === "D");
    expect(area).toMatchObject({
      users: "<10",
      penetrationPer1000: null,
      nonUsers: null,
      rank: null,
    });
    expect(shown.serviceArea.unknownAreaUsers).toBe("suppressed");
    expect(shown.serviceArea.usersInAreas).toBe("suppressed");
    expect(shown.serviceArea.areaRatePer1000).toBeNull();
    expect(shown.serviceArea.users).toBe(document.serviceArea.users);
  });

  it("uses the configured threshold and custom markers", () => {
    const withFive = presentUsageGaps(
      usageGaps({
        population,
        users,
        serviceArea: ["A", "B", "C", "D"],
        suppressBelow: 5,
        asOf: "2024-03-31",
      }),
    );
    expect(withFive.dimensions[0]?.groups.find((entry) => entry.category === "Korean")?.users).toBe(
      "<5",
    );
    const custom = presentUsageGaps(document, { labels: { small: "s", suppressed: "x" } });
    expect(custom.dimensions[0]?.unknownUsers).toBe("x");
  });

  it("keeps the tests, correlations and findings, and leaves no NaN behind", () => {
    expect(language?.chiSquare).toEqual(document.dimensions[0]?.chiSquare);
    expect(shown.findings).toEqual(document.findings);
    expect(shown.findings.join(" ")).not.toMatch(/Korean/);
    expect(nonFiniteNumbers(shown)).toEqual([]);
  });

  it("leaves a document without small counts unchanged", () => {
    const clean = usageGaps({
      population: population.filter((row) => row.geoid !== "D" && row.category !== "Korean"),
      users: users.filter(
        (row) => row.geoid !== "D" && row.geoid !== null && row.category !== "kor",
      ),
      serviceArea: ["A", "B", "C"],
      suppressBelow: 10,
      asOf: "2024-03-31",
    });
    expect(presentUsageGaps(clean)).toEqual(clean);
  });
});
