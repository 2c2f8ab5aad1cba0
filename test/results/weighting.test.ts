import { describe, expect, it } from "vitest";
import { describeSurvey } from "../../server/results/describe-survey.ts";
import {
  commonAgePartition,
  rakingWeights,
  surveyAgeInterval,
} from "../../server/results/weighting.ts";
import { COMMUNITY_NEEDS_FILE, readDefinition, response } from "./helpers.ts";

const codebook = describeSurvey(readDefinition(COMMUNITY_NEEDS_FILE), "en");

// Seven respondents of the community needs survey. Ages 18–24 (A1) and 25–34 (A2); languages
// English (E) and Spanish (S); r7 preferred not to give an age.
const respondents = [
  response({ age_band: "18_24", home_languages: ["english"] }, { id: "A1E" }),
  // Spanish and English at home counts as Spanish, as in the ACS.
  response({ age_band: "18_24", home_languages: ["english", "spanish"] }, { id: "A1S" }),
  response({ age_band: "25_34", home_languages: ["english"] }, { id: "A2E-1" }),
  response({ age_band: "25_34", home_languages: ["english"] }, { id: "A2E-2" }),
  response({ age_band: "25_34", home_languages: ["spanish"] }, { id: "A2S-1" }),
  response({ age_band: "25_34", home_languages: ["spanish"] }, { id: "A2S-2" }),
  response({ age_band: "prefer_not", home_languages: ["english"] }, { id: "r7" }),
];

// Census: 500 people aged 18–24 (two ACS bands), 500 aged 25–34; 25% English only, 75% Spanish.
const margins = {
  age: [
    { category: "18 and 19 years", count: 100 },
    { category: "20 to 24 years", count: 400 },
    { category: "25 to 29 years", count: 250 },
    { category: "30 to 34 years", count: 250 },
  ],
  language: [
    { category: "English only", count: 250 },
    { category: "Spanish", count: 750 },
  ],
};

describe("rakingWeights", () => {
  it("matches a hand computation of one raking pass", () => {
    // The sample's age × language table [[1, 1], [2, 2]] is a product of its margins, so one
    // pass converges.
    // Age step (r7 unknown, known weight 6): A1 has 2 → 0.5·6/2 = 1.5; A2 has 4 → 0.5·6/4 = 0.75.
    // Language step (all 7 known): English = 1.5 + 2·0.75 + 1 (r7) = 4 → 0.25·7/4 = 0.4375;
    // Spanish = 1.5 + 2·0.75 = 3 → 0.75·7/3 = 1.75.
    // Weights: A1E 1.5·0.4375 = 0.65625, A1S 1.5·1.75 = 2.625, A2E 0.75·0.4375 = 0.328125,
    // A2S 0.75·1.75 = 1.3125, r7 0.4375. Σ = 7 (mean 1). Ages among known: A1 3.28125 = A2 ✓;
    // English 0.65625 + 2·0.328125 + 0.4375 = 1.75 = 7/4 ✓.
    const result = rakingWeights(codebook, respondents, margins);
    expect(Object.fromEntries(result.weights)).toEqual({
      A1E: expect.closeTo(0.65625, 12),
      A1S: expect.closeTo(2.625, 12),
      "A2E-1": expect.closeTo(0.328125, 12),
      "A2E-2": expect.closeTo(0.328125, 12),
      "A2S-1": expect.closeTo(1.3125, 12),
      "A2S-2": expect.closeTo(1.3125, 12),
      r7: expect.closeTo(0.4375, 12),
    });
    expect(result.converged).toBe(true);
    expect(result.iterations).toBe(1);
    // n_eff = 7² / Σw² = 49 / 11.17333984375 = 4.3854…; design effect 7 / 4.3854 = 1.5962
    expect(result.effectiveSampleSize).toBeCloseTo(49 / 11.17333984375, 10);
    expect(result.designEffect).toBeCloseTo(11.17333984375 / 7, 10);
    expect([result.minWeight, result.maxWeight]).toEqual([
      expect.closeTo(0.328125, 12),
      expect.closeTo(2.625, 12),
    ]);
  });

  it("reports targets, sample shares and weighted shares per dimension", () => {
    const result = rakingWeights(codebook, respondents, margins);
    const age = result.dimensions.find((d) => d.dimension === "age");
    expect(age?.unknown).toBe(1);
    expect(
      age?.categories.map((c) => [c.category, c.target, c.respondents, c.sampleShare]),
    ).toEqual([
      ["18 to 24 years", 0.5, 2, 2 / 6],
      ["25 to 34 years", 0.5, 4, 4 / 6],
    ]);
    expect(age?.categories[0]?.weightedShare).toBeCloseTo(0.5, 12);
    const language = result.dimensions.find((d) => d.dimension === "language");
    expect(language?.categories.map((c) => [c.category, c.respondents])).toEqual([
      ["English only", 4],
      ["Spanish", 3],
    ]);
    expect(result.skipped).toEqual([
      {
        dimension: "area",
        reason: "no community area data has been imported for the service area",
      },
    ]);
  });

  it("trims weights to the bounds given", () => {
    const result = rakingWeights(codebook, respondents, margins, { trim: [0.5, 2] });
    for (const weight of result.weights.values()) {
      expect(weight).toBeGreaterThanOrEqual(0.5 - 1e-9);
      expect(weight).toBeLessThanOrEqual(2 + 1e-9);
    }
    expect(result.converged).toBe(false);
  });

  it("merges a census category no respondent is in and says so", () => {
    const withVietnamese = {
      ...margins,
      language: [...margins.language, { category: "Vietnamese", count: 100 }],
    };
    const result = rakingWeights(codebook, respondents, withVietnamese);
    const language = result.dimensions.find((d) => d.dimension === "language");
    // The empty category joins the smallest one with respondents (Spanish, 3).
    expect(language?.merged).toEqual([
      { categories: ["Vietnamese", "Spanish"], into: "Spanish (with Vietnamese)" },
    ]);
    expect(language?.categories.map((c) => [c.category, c.target])).toEqual([
      ["English only", 250 / 1100],
      ["Spanish (with Vietnamese)", 850 / 1100],
    ]);
    const total = [...result.weights.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(7, 10);
  });

  it("rakes on area by ZIP code when ZCTA counts are given", () => {
    const people = [
      response({ zip: "94110" }, { id: "a" }),
      response({ zip: "94110" }, { id: "b" }),
      response({ zip: "94112-1234" }, { id: "c" }),
      response({ zip: "" }, { id: "d" }),
    ];
    const result = rakingWeights(codebook, people, {
      area: [
        { category: "94110", count: 500 },
        { category: "94112", count: 500 },
      ],
    });
    // Known 3: 94110 has 2 → 0.5·3/2 = 0.75 each; 94112 → 1.5; d keeps 1. Σ = 4.
    expect(Object.fromEntries(result.weights)).toEqual({ a: 0.75, b: 0.75, c: 1.5, d: 1 });
  });

  it("says why no weighting is possible", () => {
    expect(() => rakingWeights(codebook, respondents, {})).toThrow(
      /no raking variable can be used: age: no community age data/,
    );
  });
});

describe("age bands", () => {
  it("reads the survey's age codes as intervals", () => {
    expect(surveyAgeInterval("under_18")).toEqual({ lo: 0, hi: 17 });
    expect(surveyAgeInterval("18_24")).toEqual({ lo: 18, hi: 24 });
    expect(surveyAgeInterval("75_plus")).toEqual({ lo: 75, hi: null });
    expect(surveyAgeInterval("prefer_not")).toBeNull();
  });

  it("re-bands two sets of age bands to their finest common partition", () => {
    const survey = [
      { lo: 0, hi: 17 },
      { lo: 18, hi: 24 },
      { lo: 25, hi: 34 },
      { lo: 35, hi: null },
    ];
    const census = [
      { lo: 0, hi: 9 },
      { lo: 10, hi: 19 },
      { lo: 20, hi: 34 },
      { lo: 35, hi: 64 },
      { lo: 65, hi: null },
    ];
    expect(commonAgePartition(survey, census)).toEqual([
      { lo: 0, hi: 34 },
      { lo: 35, hi: null },
    ]);
  });
});
