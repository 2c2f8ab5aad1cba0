import { describe, expect, it } from "vitest";
import { rankChoicesAmongNonUsers } from "../../server/results/barriers.ts";
import { describeSurvey } from "../../server/results/describe-survey.ts";
import { groupTests } from "../../server/results/group-tests.ts";
import { tabulateResponses } from "../../server/results/tabulate.ts";
import { crafted } from "./crafted.ts";
import { ALL_TYPES_FILE, readDefinition } from "./helpers.ts";

const codebook = describeSurvey(readDefinition(ALL_TYPES_FILE), "en");

describe("groupTests", () => {
  it("tests a weighted multi-select choice across groups with Rao–Scott, from the same cells as the barrier ranking (issue 12)", () => {
    // Both build the chosen / not-chosen × users / non-users table of "distance"; group tests
    // recover the not-chosen cell's Σw² from the table's base, the ranking sums it directly.
    const weights = new Map(crafted.map((response, index) => [response.id, index + 1]));
    const results = tabulateResponses(codebook, crafted, { groupBy: "useStatus", weights });
    const test = groupTests(results).find(
      (t) => t.question === "barriers" && t.choice === "distance",
    )?.test;
    const ranked = rankChoicesAmongNonUsers(codebook, crafted, { weights });
    const barrier = ranked.choices.find((c) => c.code === "distance")?.test;
    if (!test || "insufficient" in test || !barrier || "insufficient" in barrier) {
      throw new Error("no test for distance");
    }
    expect(test.method).toBe("rao-scott");
    expect(test.pValue).toBeCloseTo(barrier.pValue, 12);
    expect(test.denominatorDf).toBeCloseTo(barrier.denominatorDf ?? Number.NaN, 9);
  });

  it("keeps Pearson's chi-square or Fisher's exact test for unweighted results", () => {
    const results = tabulateResponses(codebook, crafted, { groupBy: "useStatus" });
    const methods = new Set(
      groupTests(results).flatMap((t) => ("insufficient" in t.test ? [] : [t.test.method])),
    );
    expect(methods.has("rao-scott")).toBe(false);
    expect(methods.size).toBeGreaterThan(0);
  });
});
