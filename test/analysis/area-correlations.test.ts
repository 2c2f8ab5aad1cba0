import { describe, expect, it } from "vitest";
import { areaCorrelations } from "../../server/analysis/area-correlations.ts";
import { linearRegression } from "../../server/analysis/linear-regression.ts";
import { pearson } from "../../server/analysis/pearson.ts";

// Six areas where use falls as the Spanish-speaking share rises (made-up, hand-checkable):
// x̄ = 0.2667, ȳ = 127.5, Sxy = −36.5, Sxx = 0.15673 → slope −232.9 per unit share, i.e. about
// 23 fewer users per 1,000 for each 10 points; SciPy's pearsonr gives r = −0.9725, p = 0.0011.
const shares = [0.05, 0.12, 0.2, 0.31, 0.4, 0.52];
const penetration = [180, 150, 160, 110, 95, 70];
const geoids = ["a", "b", "c", "d", "e", "f"];
const penetrationByArea = new Map(geoids.map((geoid, index) => [geoid, penetration[index] ?? 0]));

describe("areaCorrelations", () => {
  it("relates penetration to composition with Pearson, Spearman and a slope in plain words", () => {
    const [entry] = areaCorrelations(penetrationByArea, [
      {
        dimension: "language",
        category: "Spanish",
        shareByArea: new Map(geoids.map((geoid, index) => [geoid, shares[index] ?? 0])),
      },
    ]);
    const expected = pearson(shares, penetration);
    expect(entry?.n).toBe(6);
    expect(entry?.pearson?.r).toBeCloseTo(expected.r, 12);
    expect(entry?.spearman?.r).toBeCloseTo(-0.9428571, 6); // Σd² = 2 → 1 − 12/210
    expect(entry?.slopePer10Points).toBeCloseTo(
      linearRegression(shares, penetration).slope / 10,
      10,
    );
    expect(entry?.insufficientData).toBeNull();
    expect(entry?.summary).toBe(
      "Across 6 areas, library use is lower where more residents speak Spanish at home (Pearson r = −0.97, 95% interval −1.00 to −0.76, p = 0.001; Spearman ρ = −0.94): a strong association; each 10-point higher share goes with 23 fewer active users per 1,000 residents.",
    );
  });

  it("says 'no clear relationship' when p ≥ 0.05", () => {
    const [entry] = areaCorrelations(penetrationByArea, [
      {
        dimension: "age",
        category: "Under 18 years",
        shareByArea: new Map([
          ["a", 0.2],
          ["b", 0.3],
          ["c", 0.1],
          ["d", 0.25],
          ["e", 0.15],
          ["f", 0.22],
        ]),
      },
    ]);
    expect(entry?.summary).toMatch(
      /^Across 6 areas, library use shows no clear relationship with how many residents are aged under 18 \(Pearson r = /,
    );
  });

  it("reports insufficient data for fewer than 3 areas or a share that does not vary, never NaN", () => {
    const [few, flat] = areaCorrelations(new Map([["a", 120]]), [
      { dimension: "language", category: "Spanish", shareByArea: new Map([["a", 0.3]]) },
      { dimension: "language", category: "Korean", shareByArea: new Map([["a", 0]]) },
    ]);
    expect(few).toMatchObject({ n: 1, pearson: null, spearman: null, slopePer10Points: null });
    expect(few?.insufficientData).toBe("1 area with data, at least 3 are needed");
    expect(few?.summary).toBe(
      "Not enough data to relate library use to how many residents speak Spanish at home: 1 area with data, at least 3 are needed.",
    );
    expect(flat?.pearson).toBeNull();

    const [constant] = areaCorrelations(penetrationByArea, [
      {
        dimension: "language",
        category: "Korean",
        shareByArea: new Map(geoids.map((geoid) => [geoid, 0])),
      },
    ]);
    expect(constant?.insufficientData).toBe("the share is the same in every area");
  });
});
