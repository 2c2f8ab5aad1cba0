import { describe, expect, it } from "vitest";
import { chiSquareGoodnessOfFit } from "../../server/analysis/chi-square-goodness-of-fit.ts";
import { dimensionGaps } from "../../server/analysis/dimension-gaps.ts";
import type {
  ActiveUserCount,
  CommunityPopulationRow,
} from "../../server/analysis/usage-gap-types.ts";
import { wilsonInterval } from "../../server/analysis/wilson-interval.ts";
import { nonFiniteNumbers } from "./fixtures/finite-numbers.ts";

const census = (
  category: string,
  count: number,
  moe: number | null = null,
): CommunityPopulationRow => ({
  geoid: "T1",
  name: "Tract 1",
  dimension: "language",
  category,
  count,
  moe,
});
const patrons = (category: string | null, count: number): ActiveUserCount => ({
  geoid: "T1",
  dimension: "language",
  category,
  count,
});

describe("dimensionGaps", () => {
  // Hand-computed: population 6,000 English / 3,000 Spanish / 1,000 Chinese (P = 10,000);
  // users 800 / 100 / 100 (U = 1,000), plus 50 of unknown language.
  const result = dimensionGaps(
    "language",
    [
      census("Speak only English", 6000, 300),
      census("Spanish", 3000, 300),
      census("Chinese", 1000, 400),
    ],
    [patrons("eng", 800), patrons("spa", 100), patrons("zh", 100), patrons(null, 50)],
    10,
  );
  const [english, spanish, chinese] = result.groups;

  it("computes shares, representation index, penetration, expected users, shortfall and non-users", () => {
    expect(result.groups.map((group) => group.category)).toEqual([
      "English only",
      "Spanish",
      "Chinese (incl. Mandarin, Cantonese)",
    ]);
    expect(spanish?.communityShare).toBeCloseTo(0.3, 12); // 3000 / 10000
    expect(spanish?.userShare).toBeCloseTo(0.1, 12); // 100 / 1000
    expect(spanish?.representationIndex).toBeCloseTo(1 / 3, 12); // 0.1 / 0.3
    expect(spanish?.penetrationPer1000).toBeCloseTo(1000 * (100 / 3000), 12); // 33.3
    expect(spanish?.expectedUsers).toBeCloseTo(300, 12); // 1000 × 0.3
    expect(spanish?.shortfall).toBeCloseTo(200, 12); // 300 − 100
    expect(spanish?.nonUsers).toBe(2900);
    const [lo, hi] = wilsonInterval(100, 1000);
    expect(spanish?.userShareInterval).toEqual([lo, hi]);
    // With census MOEs the index interval is the Wilson interval over p widened by the census
    // share's error (values checked against an independent script in
    // representation-index-interval.test.ts).
    expect(spanish?.censusErrorIncluded).toBe(true);
    expect(spanish?.representationIndexInterval?.[0]).toBeLessThan(lo / 0.3);
    expect(spanish?.representationIndexInterval?.[1]).toBeGreaterThan(hi / 0.3);
  });

  it("puts the Wilson interval over p on the index when the census has no margins of error", () => {
    const gaps = dimensionGaps(
      "language",
      [census("Speak only English", 6000), census("Spanish", 3000), census("Chinese", 1000)],
      [patrons("eng", 800), patrons("spa", 100), patrons("zh", 100)],
      10,
    );
    const [lo, hi] = wilsonInterval(100, 1000);
    const group = gaps.groups[1];
    expect(group?.censusErrorIncluded).toBe(false);
    expect(group?.representationIndexInterval?.[0]).toBeCloseTo(lo / 0.3, 12);
    expect(group?.representationIndexInterval?.[1]).toBeCloseTo(hi / 0.3, 12);
    expect(group?.reliable).toBeNull();
  });

  it("flags under- and over-representation only when the index interval clears 1", () => {
    expect(spanish?.flag).toBe("under"); // RI 0.33 < 0.8 and upper bound 0.12 < 0.30
    expect(english?.flag).toBe("over"); // RI 0.8/0.6 = 1.33 > 1.25 and lower bound 0.775 > 0.6
    expect(chinese?.flag).toBeNull(); // RI 0.1/0.1 = 1
  });

  it("flags a census estimate whose CV exceeds 30% as unreliable", () => {
    // Chinese: CV = 400 / 1.645 / 1000 = 0.243 → reliable; Spanish: 300/1.645/3000 = 0.061
    expect(chinese?.cv).toBeCloseTo(400 / 1.645 / 1000, 12);
    expect(chinese?.reliable).toBe(true);
    const shaky = dimensionGaps(
      "language",
      [census("Spanish", 100, 60), census("English", 900, 60)],
      [patrons("spa", 50), patrons("eng", 50)],
      10,
    );
    expect(shaky.groups.find((group) => group.category === "Spanish")?.reliable).toBe(false); // CV 0.365
  });

  it("tests users against community shares (chi-square, df = k − 1) with Cohen's w", () => {
    // Expected 600, 300, 100: X² = 200²/600 + 200²/300 + 0 = 66.67 + 133.33 = 200
    expect(result.chiSquare?.statistic).toBeCloseTo(200, 10);
    expect(result.chiSquare?.df).toBe(2);
    expect(result.cohensW).toBeCloseTo(Math.sqrt(200 / 1000), 12);
    expect(result.chiSquareNote).toBeNull();
  });

  it("counts users of unknown language separately and names them", () => {
    expect(result.users).toBe(1000);
    expect(result.unknownUsers).toBe(50);
    expect(result.unknownCategories.users).toEqual(["(not recorded)"]);
  });

  it("handles a group with no residents: no index, no penetration, left out of the test", () => {
    const gaps = dimensionGaps(
      "language",
      [census("English", 900), census("Spanish", 100)],
      [patrons("eng", 90), patrons("spa", 10), patrons("kor", 15)],
      10,
    );
    const korean = gaps.groups.find((group) => group.category === "Korean");
    expect(korean).toMatchObject({
      population: 0,
      users: 15,
      communityShare: 0,
      representationIndex: null,
      representationIndexInterval: null,
      penetrationPer1000: null,
      expectedUsers: 0,
      shortfall: -15,
      nonUsers: 0,
      flag: null,
      reliable: false,
      moreUsersThanResidents: true,
    });
    // Tested over English and Spanish only: 90 vs 90 expected, 10 vs 10 → X² = 0, df 1.
    expect(gaps.chiSquare).toEqual({ statistic: 0, df: 1, pValue: 1 });
    expect(gaps.chiSquareNote).toMatch(
      /1 group\(s\) with active users but no residents \("Korean"\)/,
    );
    expect(gaps.notes).toContain('"Korean" has active users but no residents in the census data.');
    expect(nonFiniteNumbers(gaps)).toEqual([]);
  });

  it("allows more users than residents (penetration above 1,000) but flags it, with non-users 0", () => {
    const gaps = dimensionGaps(
      "language",
      [census("English", 900), census("Spanish", 20)],
      [patrons("eng", 100), patrons("spa", 35)],
      10,
    );
    const spanishGroup = gaps.groups.find((group) => group.category === "Spanish");
    expect(spanishGroup?.penetrationPer1000).toBeCloseTo(1750, 10);
    expect(spanishGroup?.nonUsers).toBe(0);
    expect(spanishGroup?.moreUsersThanResidents).toBe(true);
  });

  it("gives a census group with no users a representation index of 0", () => {
    const gaps = dimensionGaps(
      "language",
      [census("English", 900), census("Vietnamese", 400)],
      [patrons("eng", 100)],
      10,
    );
    const vietnamese = gaps.groups.find((group) => group.category === "Vietnamese");
    expect(vietnamese?.users).toBe(0);
    expect(vietnamese?.representationIndex).toBe(0);
    expect(vietnamese?.flag).toBe("under");
    expect(vietnamese?.penetrationPer1000).toBe(0);
  });

  it("marks small counts suppressed, with a complementary cell, and pools them for the test", () => {
    const gaps = dimensionGaps(
      "language",
      [
        census("English", 5000),
        census("Spanish", 2000),
        census("Chinese", 800),
        census("Korean", 300),
      ],
      [patrons("eng", 500), patrons("spa", 120), patrons("zh", 60), patrons("kor", 4)],
      10,
    );
    const byName = Object.fromEntries(gaps.groups.map((group) => [group.category, group]));
    expect(byName.Korean?.suppression).toEqual({ population: null, users: "small" });
    expect(byName.Korean?.suppressed).toBe(true);
    // The smallest other users cell (Chinese, 60) protects the 4 (the unknown cell is 0).
    expect(byName["Chinese (incl. Mandarin, Cantonese)"]?.suppression.users).toBe("complementary");
    // Pooled: English, Spanish, and Chinese+Korean (64 users, 1,100 residents) → df 2.
    const expected = chiSquareGoodnessOfFit(
      [500, 120, 64],
      [5000 / 8100, 2000 / 8100, 1100 / 8100],
    );
    expect(gaps.chiSquare?.statistic).toBeCloseTo(expected.statistic, 10);
    expect(gaps.chiSquare?.df).toBe(2);
    expect(gaps.chiSquareNote).toMatch(/2 groups with withheld small counts were pooled/);
  });

  it("gives no test (null, with a reason) when there are no users", () => {
    const gaps = dimensionGaps(
      "language",
      [census("English", 900), census("Spanish", 100)],
      [patrons(null, 30)],
      10,
    );
    expect(gaps.chiSquare).toBeNull();
    expect(gaps.cohensW).toBeNull();
    expect(gaps.chiSquareNote).toMatch(/No active users with a known category/);
    expect(gaps.groups[0]?.userShare).toBeNull();
    expect(nonFiniteNumbers(gaps)).toEqual([]);
  });
});
