import { describe, expect, it } from "vitest";
import { describeSurvey } from "../../server/results/describe-survey.ts";
import { rakingWeights } from "../../server/results/weighting.ts";
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

  it("rakes on the question the survey names in openDoor.profile, the one mapping raking and the fieldwork guide share", () => {
    const definition = readDefinition(COMMUNITY_NEEDS_FILE);
    const pages = structuredClone(definition.pages) as { elements: { name: string }[] }[];
    for (const page of pages) {
      for (const element of page.elements)
        if (element.name === "age_band") element.name = "age_group";
    }
    const renamed = describeSurvey(
      {
        ...definition,
        pages,
        openDoor: { ...(definition.openDoor as object), profile: { age: "age_group" } },
      },
      "en",
    );
    const answers = respondents.map((r) => {
      const { age_band, ...rest } = r.data;
      return { ...r, data: { ...rest, age_group: age_band } };
    });
    const result = rakingWeights(renamed, answers, margins);
    expect(result.dimensions.find((d) => d.dimension === "age")?.question).toBe("age_group");
    expect(Object.fromEntries(result.weights).A1S).toBeCloseTo(2.625, 12);
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
  it("re-bands survey and census ages over the ages the survey asks, never raking to children it did not sample (issue 12)", () => {
    // Survey edges 18, 25, 35, 45, 55, 65, 75 ("Under 18" has no youngest age, so it is not
    // raked); census edges 0, 10, 20, 35, 65. "Under 10" lies below 18 and is dropped; "10 to
    // 19" is split at 18: 100 · 2/10 = 20 people aged 18–19. Shared edges 18, 35, 65 give
    // [18, 35) = 20 + 300 = 320, [35, 65) = 300 and [65, ∞) = 200; nobody is 65 or over, so
    // that cell merges with its younger neighbour: targets 320/820 and 500/820.
    const people = [
      response({ age_band: "18_24" }, { id: "young" }),
      response({ age_band: "45_54" }, { id: "old" }),
      response({ age_band: "under_18" }, { id: "teen" }),
    ];
    const result = rakingWeights(codebook, people, {
      age: [
        { category: "Under 10 years", count: 100 },
        { category: "10 to 19 years", count: 100 },
        { category: "20 to 34 years", count: 300 },
        { category: "35 to 64 years", count: 300 },
        { category: "65 years and over", count: 200 },
      ],
    });
    const age = result.dimensions[0];
    expect(age?.categories.map((c) => [c.category, c.target, c.respondents])).toEqual([
      ["18 to 34 years", 320 / 820, 1],
      ["35 years and over", 500 / 820, 1],
    ]);
    expect(age?.unknown).toBe(1);
    expect(age?.notes.join(" ")).toMatch(
      /restricted to the ages the survey asks \(18 years and over\)/,
    );
    expect(age?.notes.join(" ")).toMatch(/"Under 18" does not say how young/);
    expect(age?.notes.join(" ")).toMatch(/"10 to 19 years" → "18 to 19 years"/);
  });

  it("leaves census ages the survey does not ask about out of the targets", () => {
    // Census from 0, survey from 18 only (a survey of adults): the 0–17 population is no target.
    const adultsOnly = {
      ...codebook,
      questions: codebook.questions.map((q) =>
        q.name === "age_band" && q.kind === "single"
          ? { ...q, choices: q.choices.filter((c) => c.code !== "under_18") }
          : q,
      ),
    };
    const people = [
      response({ age_band: "18_24" }, { id: "a" }),
      response({ age_band: "25_34" }, { id: "b" }),
      response({ age_band: "25_34" }, { id: "c" }),
      response({ age_band: "45_54" }, { id: "d" }),
    ];
    const result = rakingWeights(adultsOnly, people, {
      age: [
        { category: "Under 18 years", count: 1000 },
        { category: "18 to 24 years", count: 100 },
        { category: "25 to 34 years", count: 100 },
        { category: "35 years and over", count: 100 },
      ],
    });
    expect(result.dimensions[0]?.categories.map((c) => [c.category, c.target])).toEqual([
      ["18 to 24 years", 1 / 3],
      ["25 to 34 years", 1 / 3],
      ["35 years and over", 1 / 3],
    ]);
    // Four respondents: 18–24 has 1 → (1/3)·4/1 = 4/3; 25–34 has 2 → 2/3 each; 35+ has 1 → 4/3.
    expect(Object.fromEntries(result.weights)).toEqual({
      a: expect.closeTo(4 / 3, 12),
      b: expect.closeTo(2 / 3, 12),
      c: expect.closeTo(2 / 3, 12),
      d: expect.closeTo(4 / 3, 12),
    });
  });
});
