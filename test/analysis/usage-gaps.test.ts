import { describe, expect, it } from "vitest";
import type {
  ActiveUserCount,
  CommunityPopulationRow,
} from "../../server/analysis/usage-gap-types.ts";
import { usageGaps } from "../../server/analysis/usage-gaps.ts";
import { wilsonInterval } from "../../server/analysis/wilson-interval.ts";
import { nonFiniteNumbers } from "./fixtures/finite-numbers.ts";
import { activeUsers, communityPopulation, SERVICE_AREA } from "./fixtures/usage-gap-community.ts";

const run = (overrides: Partial<Parameters<typeof usageGaps>[0]> = {}) =>
  usageGaps({
    population: communityPopulation(),
    users: activeUsers(),
    serviceArea: SERVICE_AREA,
    serviceAreaName: "Main library",
    suppressBelow: 10,
    asOf: "2024-03-31",
    ...overrides,
  });

describe("usageGaps", () => {
  const document = run();
  const age = document.dimensions.find((dimension) => dimension.dimension === "age");
  const language = document.dimensions.find((dimension) => dimension.dimension === "language");

  it("produces the DESIGN.md document shape", () => {
    expect(Object.keys(document)).toEqual(
      expect.arrayContaining([
        "asOf",
        "serviceArea",
        "dimensions",
        "areas",
        "findings",
        "correlations",
      ]),
    );
    expect(document.asOf).toBe("2024-03-31");
    for (const key of [
      "category",
      "population",
      "users",
      "communityShare",
      "userShare",
      "userShareInterval",
      "representationIndex",
      "penetrationPer1000",
      "expectedUsers",
      "shortfall",
      "nonUsers",
      "flag",
      "reliable",
    ]) {
      expect(age?.groups[0]).toHaveProperty(key);
    }
    for (const key of ["dimension", "groups", "unknownUsers", "chiSquare", "cohensW"]) {
      expect(age).toHaveProperty(key);
    }
    for (const key of [
      "geoid",
      "name",
      "population",
      "users",
      "penetrationPer1000",
      "nonUsers",
      "priority",
    ]) {
      expect(document.areas[0]).toHaveProperty(key);
    }
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it("compares age groups with the community (hand-computed from the fixture)", () => {
    // 18 to 34: 3,000 of 10,000 residents, 160 of 1,390 users with a known age.
    const young = age?.groups.find((group) => group.category === "18 to 34 years");
    expect(young).toMatchObject({
      population: 3000,
      users: 160,
      nonUsers: 2840,
      flag: "under",
      reliable: true,
    });
    expect(young?.communityShare).toBeCloseTo(0.3, 12);
    expect(young?.userShare).toBeCloseTo(160 / 1390, 12);
    expect(young?.representationIndex).toBeCloseTo(160 / 1390 / 0.3, 12);
    expect(young?.userShareInterval).toEqual(wilsonInterval(160, 1390));
    expect(young?.penetrationPer1000).toBeCloseTo(1000 * (160 / 3000), 12);
    expect(young?.expectedUsers).toBeCloseTo(417, 9);
    expect(young?.shortfall).toBeCloseTo(257, 9);
    expect(young?.populationMoe).toBeCloseTo(Math.sqrt(3 * 100 ** 2), 9);
    expect(young?.sources).toEqual({ population: ["18 to 34 years"], users: ["18-34"] });
    expect(age?.groups.find((group) => group.category === "65 years and over")?.flag).toBe("over");
    expect(age?.groups.find((group) => group.category === "Under 18 years")?.flag).toBeNull();
  });

  it("tests the age mix: X² = 2²/278 + 257²/417 + 94²/556 + 161²/139 = 360.8, df 3", () => {
    const statistic = 2 ** 2 / 278 + 257 ** 2 / 417 + 94 ** 2 / 556 + 161 ** 2 / 139;
    expect(age?.chiSquare?.statistic).toBeCloseTo(statistic, 9);
    expect(age?.chiSquare?.df).toBe(3);
    expect(age?.chiSquare?.pValue).toBeLessThan(1e-6);
    expect(age?.cohensW).toBeCloseTo(Math.sqrt(statistic / 1390), 9);
  });

  it("maps language codes and census labels to the ACS groups and flags the unreliable estimate", () => {
    expect(
      language?.groups.map((group) => [group.category, group.population, group.users]),
    ).toEqual([
      ["English only", 6200, 1130],
      ["Spanish", 2700, 190],
      ["Chinese (incl. Mandarin, Cantonese)", 500, 130],
    ]);
    const chinese = language?.groups[2];
    // MOE √(150² + 160² + 120²) = 250; CV = 250 / 1.645 / 500 = 0.304 > 0.30
    expect(chinese?.populationMoe).toBeCloseTo(250, 9);
    expect(chinese?.cv).toBeCloseTo(250 / 1.645 / 500, 12);
    expect(chinese?.reliable).toBe(false);
    expect(language?.notes).toContain(
      "Census language counts (table C16001) cover residents aged 5 and over.",
    );
  });

  it("counts unknown users, unknown-area users and users outside the service area, dropping none silently", () => {
    expect(age?.unknownUsers).toBe(100); // 60 without a birth date in T1, 40 with no address
    expect(language?.unknownUsers).toBe(40);
    expect(document.serviceArea).toMatchObject({
      name: "Main library",
      geoids: ["T1", "T2", "T3"],
      missingGeoids: [],
      areas: 3,
      population: 10000, // T4's 900 residents are outside and ignored
      users: 1490,
      usersInAreas: 1450,
      unknownAreaUsers: 40,
      outsideServiceAreaUsers: 25,
      areaDimension: { population: "age", users: "age" },
    });
    expect(document.serviceArea.penetrationPer1000).toBeCloseTo(149, 10);
    expect(document.serviceArea.areaRatePer1000).toBeCloseTo(145, 10);
    expect(document.skippedDimensions).toEqual([
      { dimension: "poverty", reason: "census data only: no active-user counts by this dimension" },
    ]);
  });

  it("ranks the areas and finds the priority area", () => {
    expect(document.areas.map((area) => [area.geoid, area.rank, area.priority])).toEqual([
      ["T2", 1, true],
      ["T1", 2, false],
      ["T3", 3, false],
    ]);
    expect(document.areas[0]).toMatchObject({
      name: "Tract 2",
      population: 3900,
      users: 460,
      nonUsers: 3440,
    });
  });

  it("correlates penetration with every census dimension's composition (3 areas: p-value, no interval)", () => {
    const spanish = document.correlations.find((entry) => entry.category === "Spanish");
    expect(spanish?.n).toBe(3);
    expect(spanish?.pearson?.ci95).toBeNull();
    expect(spanish?.pearson?.pValue).not.toBeNull();
    // Spanish share: T1 600/3800, T2 1500/3700, T3 600/1900; penetration 152.5, 117.9, 181.0
    expect(document.correlations.map((entry) => `${entry.dimension}:${entry.category}`)).toEqual([
      "age:Under 18 years",
      "age:18 to 34 years",
      "age:35 to 64 years",
      "age:65 years and over",
      "language:English only",
      "language:Spanish",
      "language:Chinese (incl. Mandarin, Cantonese)",
      "poverty:Below poverty level",
      "poverty:At or above poverty level",
    ]);
  });

  it("states the findings in plain words, largest gap first, each with its uncertainty", () => {
    expect(document.findings[0]).toBe(
      "Residents aged 18 to 34 are 30% of the community but 12% of active cardholders (representation index 0.38, 95% interval 0.33–0.45; about 257 fewer active cardholders than their share of the community would give).",
    );
    expect(document.findings[1]).toMatch(
      /^Residents who speak Spanish at home are 29% of the community but 13% of active cardholders \(representation index 0\.46, 95% interval 0\.39–0\.53; about 226 fewer/,
    );
    expect(document.findings).toContain(
      "Tract 2 (T2) has about 3,440 residents who are not active cardholders; 118 per 1,000 residents are active cardholders (95% interval 108–128), against 145 per 1,000 across the service area.",
    );
    // Chinese (RI 1.69, census CV 30.4%) is not called over-represented: the census error widens
    // its interval to 0.65–2.73 (intervals: representation-index-interval.test.ts).
    expect(document.findings.some((sentence) => /speak Chinese/.test(sentence))).toBe(false);
    expect(document.findings.join(" ")).not.toMatch(/NaN|Infinity|undefined|null/);
  });

  it("never returns NaN or Infinity anywhere in the document", () => {
    expect(nonFiniteNumbers(document)).toEqual([]);
  });

  it("re-bands census 5-year bands against patron 10-year bands", () => {
    const population: CommunityPopulationRow[] = [
      ["20 to 24 years", 700],
      ["25 to 29 years", 800],
      ["30 to 34 years", 900],
      ["35 to 39 years", 600],
    ].map(([category, count]) => ({
      geoid: "A",
      name: "A",
      dimension: "age",
      category: String(category),
      count: Number(count),
      moe: 50,
    }));
    const users: ActiveUserCount[] = [
      { geoid: "A", dimension: "age", category: "20-29", count: 150 },
      { geoid: "A", dimension: "age", category: "30-39", count: 300 },
    ];
    const result = usageGaps({
      population,
      users,
      serviceArea: ["A"],
      suppressBelow: 10,
      asOf: "2024-01-31",
    });
    const groups = result.dimensions[0]?.groups ?? [];
    expect(groups.map((group) => [group.category, group.population, group.users])).toEqual([
      ["20 to 29 years", 1500, 150],
      ["30 to 39 years", 1500, 300],
    ]);
    expect(groups[0]?.populationMoe).toBeCloseTo(Math.sqrt(2 * 50 ** 2), 10);
    expect(result.dimensions[0]?.notes).toEqual([]);
  });

  it("with a single area reports correlations as insufficient data and no priority, without NaN", () => {
    const single = run({ serviceArea: ["T1"] });
    expect(single.areas).toHaveLength(1);
    expect(single.areas[0]?.priority).toBe(false);
    expect(
      single.correlations.every(
        (entry) => entry.insufficientData === "1 area with data, at least 3 are needed",
      ),
    ).toBe(true);
    expect(single.correlations.every((entry) => entry.pearson === null)).toBe(true);
    expect(nonFiniteNumbers(single)).toEqual([]);
  });

  it("handles a category with zero population, a category missing on one side, and more users than residents", () => {
    const population = communityPopulation();
    population.push({
      geoid: "T3",
      name: "Tract 3",
      dimension: "language",
      category: "Vietnamese",
      count: 400,
      moe: 90,
    });
    population.push({
      geoid: "T2",
      name: "Tract 2",
      dimension: "language",
      category: "Arabic",
      count: 20,
      moe: 15,
    });
    const users = activeUsers();
    users.push({ geoid: "T1", dimension: "language", category: "kor", count: 15 }); // no Korean residents
    users.push({ geoid: "T2", dimension: "language", category: "ara", count: 35 }); // 35 users, 20 residents
    const result = run({ population, users });
    const groups = Object.fromEntries(
      (result.dimensions.find((dimension) => dimension.dimension === "language")?.groups ?? []).map(
        (group) => [group.category, group],
      ),
    );
    expect(groups.Korean).toMatchObject({
      population: 0,
      users: 15,
      representationIndex: null,
      penetrationPer1000: null,
    });
    expect(groups.Vietnamese).toMatchObject({
      population: 400,
      users: 0,
      representationIndex: 0,
      flag: "under",
    });
    expect(groups.Arabic?.penetrationPer1000).toBeCloseTo(1750, 9);
    expect(groups.Arabic).toMatchObject({ nonUsers: 0, moreUsersThanResidents: true });
    expect(result.findings).toContain(
      "Residents who speak Korean at home: 15 active cardholders but no residents in the census data; check how the two sides label this group.",
    );
    expect(result.findings).toContain(
      "Residents who speak Arabic at home: more active cardholders (35) than census residents (20); check the patron data (non-residents, expired or duplicate cards) and the census estimate.",
    );
    expect(nonFiniteNumbers(result)).toEqual([]);
  });

  it("keeps suppressed groups out of the findings", () => {
    const users = activeUsers();
    users.push({ geoid: "T1", dimension: "language", category: "kor", count: 4 });
    const population = communityPopulation();
    population.push({
      geoid: "T1",
      name: "Tract 1",
      dimension: "language",
      category: "Korean",
      count: 900,
      moe: 100,
    });
    const result = run({ population, users });
    const korean = result.dimensions[1]?.groups.find((group) => group.category === "Korean");
    expect(korean?.suppressed).toBe(true);
    expect(korean?.flag).toBe("under"); // 4 users where 9% of residents live: a real gap...
    expect(result.findings.join(" ")).not.toMatch(/Korean/); // ...but not cited from a withheld count
  });

  it("restricts the analysis to the requested dimensions and uses the requested area dimension", () => {
    const result = run({ dimensions: ["language"], areaDimension: "language" });
    expect(result.dimensions.map((dimension) => dimension.dimension)).toEqual(["language"]);
    expect(result.serviceArea.areaDimension).toEqual({ population: "language", users: "language" });
    expect(result.serviceArea.population).toBe(9400);
  });

  it("lists service-area geoids with no data", () => {
    expect(run({ serviceArea: ["T1", "T2", "T3", "T9"] }).serviceArea.missingGeoids).toEqual([
      "T9",
    ]);
  });

  it("refuses malformed input with the row and field named", () => {
    const population = communityPopulation();
    population[2] = { ...(population[2] as CommunityPopulationRow), count: -5 };
    expect(() => run({ population })).toThrow(
      "usageGaps: population[2].count must be a finite number ≥ 0 (got -5)",
    );
    const users = activeUsers();
    users[0] = { ...(users[0] as ActiveUserCount), dimension: "" };
    expect(() => run({ users })).toThrow(
      /^usageGaps: users\[0\]\.dimension must be a non-empty string/,
    );
    expect(() => run({ serviceArea: [] })).toThrow("usageGaps: the service area has no geoids");
    expect(() => run({ asOf: "31/03/2024" })).toThrow(
      /^usageGaps: asOf must be a date written YYYY-MM-DD/,
    );
    expect(() => run({ suppressBelow: 2.5 })).toThrow(/^usageGaps: suppressBelow/);
  });
});
