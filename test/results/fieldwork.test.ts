import { describe, expect, it } from "vitest";
import { partialRIndicators } from "../../server/analysis/partial-r-indicators.ts";
import { rakingRIndicator } from "../../server/analysis/raking-r-indicator.ts";
import { describeSurvey } from "../../server/results/describe-survey.ts";
import { type FieldworkRespondent, fieldworkGuide } from "../../server/results/fieldwork.ts";
import { rakingWeights } from "../../server/results/weighting.ts";
import { COMMUNITY_NEEDS_FILE, readDefinition } from "./helpers.ts";

const codebook = describeSurvey(readDefinition(COMMUNITY_NEEDS_FILE), "en");

// Census: 18–24 and 25–34 year-olds, 500 each; 250 speak only English, 750 Spanish.
const margins = {
  age: [
    { category: "18 to 24 years", count: 500 },
    { category: "25 to 34 years", count: 500 },
  ],
  language: [
    { category: "English only", count: 250 },
    { category: "Spanish", count: 750 },
  ],
};

/** n respondents with these answers, one a day from 1 March 2026. */
function respondents(
  groups: Array<
    [count: number, age: string, languages: string[], channel: string, location?: string]
  >,
): FieldworkRespondent[] {
  let day = 0;
  return groups.flatMap(([count, age, languages, channel, location]) =>
    Array.from({ length: count }, () => {
      day++;
      return {
        id: `r${day}`,
        data: { age_band: age, home_languages: languages, library_use: "weekly" },
        channel,
        location: location ?? null,
        submittedAt: new Date(Date.UTC(2026, 2, day, 12)),
      };
    }),
  );
}

// 60 respondents: 12 aged 18–24 (all Spanish, 10 of them at the community-centre kiosk), 48
// aged 25–34 (40 English only, 8 Spanish), and 5 more who did not give an age (English).
const sample = respondents([
  [10, "18_24", ["spanish"], "kiosk", "centre"],
  [2, "18_24", ["spanish"], "web"],
  [40, "25_34", ["english"], "web"],
  [8, "25_34", ["spanish"], "kiosk", "library"],
  [5, "prefer_not", ["english"], "web"],
]);
const guide = fieldworkGuide({
  codebook,
  respondents: sample,
  margins,
  libraryUse: null,
  targets: [{ dimension: "age", category: null, target: 100 }],
  endDate: null,
  today: new Date(Date.UTC(2026, 3, 4, 20)),
  suppressBelow: 10,
});

describe("fieldworkGuide", () => {
  it("compares the respondents known on each dimension with the community (hand-checked)", () => {
    const age = guide.dimensions.find((d) => d.dimension === "age");
    expect([age?.known, age?.unknown]).toEqual([60, 5]);
    // 18–24: 12 of 60 known = 20% against 50% → RI 0.4; 25–34: 48/60 = 80% → RI 1.6
    expect(age?.categories.map((c) => [c.category, c.respondents, c.representationIndex])).toEqual([
      ["18 to 24 years", 12, expect.closeTo(0.4, 12)],
      ["25 to 34 years", 48, expect.closeTo(1.6, 12)],
    ]);
    // Relative partials √0.5·(0.4 − 1) and √0.5·(1.6 − 1), and their root sum of squares, are
    // partialRIndicators on the census margin divided by ρ̄.
    const reference = partialRIndicators([
      { category: "18 to 24 years", population: 500, respondents: 12 },
      { category: "25 to 34 years", population: 500, respondents: 48 },
    ]);
    expect(age?.categories[0]?.relativePartial).toBeCloseTo(Math.sqrt(0.5) * -0.6, 12);
    expect(age?.relativePartial).toBeCloseTo(reference.relativePartial, 12);
    expect(age?.relativePartial).toBeCloseTo(0.6, 12);
  });

  it("says why library use is not compared without a patron export", () => {
    expect(guide.skipped).toContainEqual({
      dimension: "libraryUse",
      reason: "no patron export and census population have been imported",
    });
  });

  it("ranks under-represented groups by (P_u(X,k)/ρ̄)² and names the kiosk that reaches them", () => {
    // Language: Spanish 20 of 65 = 30.8% against 75% → RI 0.410, gain 0.75·(0.410 − 1)² = 0.261;
    // age 18–24: gain 0.5·(0.4 − 1)² = 0.18.
    expect(guide.actions.map((a) => [a.category, a.bestLocation])).toEqual([
      ["Spanish", "centre"],
      ["18 to 24 years", "centre"],
    ]);
    expect(guide.actions[0]?.gain).toBeCloseTo(0.75 * (20 / 65 / 0.75 - 1) ** 2, 12);
    expect(guide.actions[1]?.gain).toBeCloseTo(0.18, 12);
  });

  it("shares a proportional target and projects each group at its own daily rate", () => {
    const age = guide.dimensions.find((d) => d.dimension === "age");
    expect(age?.proportionalTotal).toBe(100);
    // 100 × (0.5, 0.5) = 50 each. 18–24: 12 responses in 35 days (1 March – 4 April), 38
    // missing → ⌈38 / (12/35)⌉ = ⌈110.8⌉ = 111 days after 4 April = 24 July.
    expect(age?.categories[0]).toMatchObject({ target: 50 });
    expect(age?.categories[0]?.projection).toMatchObject({
      remaining: 38,
      projectedDate: "2026-07-24",
      status: "on-track",
    });
    // 25–34: 48 in 35 days, 2 missing → ⌈1.46⌉ = 2 days → 6 April.
    expect(age?.categories[1]?.projection?.projectedDate).toBe("2026-04-06");
  });

  it("puts trend points at least SUPPRESS_BELOW responses apart, the last one holding all", () => {
    const counts = guide.trend.map((p) => p.respondents);
    expect(counts.at(-1)).toBe(65);
    counts.forEach((count, i) => {
      if (i > 0) expect(count - (counts[i - 1] ?? 0)).toBeGreaterThanOrEqual(10);
    });
    expect(guide.trend.at(-1)?.r).toBe(guide.overall?.r);
  });

  it("gives each trend point the R-indicator of raking the responses up to its day from scratch (issue 21: answers read once)", () => {
    // The guide reads every respondent's census categories once and hands them to each rake;
    // here each prefix is raked by rakingWeights reading the answers itself. The population
    // is the age margin's total, as the guide takes it.
    for (const point of guide.trend) {
      if (point.r === null) continue;
      const weighting = rakingWeights(codebook, sample.slice(0, point.respondents), margins);
      const expected = rakingRIndicator([...weighting.weights.values()], 1000);
      expect(point.r).toBe(expected.r);
    }
    expect(guide.trend.filter((p) => p.r !== null).length).toBeGreaterThan(1);
  });

  it("breaks respondents down by channel and by kiosk place", () => {
    expect(guide.channels.map((c) => [c.key, c.respondents])).toEqual([
      ["web", 47],
      ["kiosk", 18],
    ]);
    expect(guide.locations.map((l) => [l.key, l.respondents])).toEqual([
      ["centre", 10],
      ["library", 8],
    ]);
    expect(guide.locations[0]?.byDimension.age?.get("18 to 24 years")).toBe(10);
  });
});
