import { describe, expect, it } from "vitest";
import { raoScottChiSquare } from "../../server/analysis/rao-scott-chi-square.ts";
import { rankChoicesAmongNonUsers } from "../../server/results/barriers.ts";
import { describeSurvey } from "../../server/results/describe-survey.ts";
import { crafted } from "./crafted.ts";
import { ALL_TYPES_FILE, readDefinition } from "./helpers.ts";

const codebook = describeSurvey(readDefinition(ALL_TYPES_FILE), "en");

describe("rankChoicesAmongNonUsers", () => {
  const ranked = rankChoicesAmongNonUsers(codebook, crafted);

  it("ranks barriers by non-users' shares and shows users' shares beside them", () => {
    // Non-users who answered: r3 (distance, other), r4 (nothing) → 2. Users who answered:
    // r1 (hours, fees), r2 (hours), r5 (hours, distance, fees) → 3. Ties sort by code.
    expect(ranked.nonUsersAnswered).toBe(2);
    expect(ranked.usersAnswered).toBe(3);
    expect(
      ranked.choices.map((c) => [c.code, c.nonUsers.count, c.nonUsers.share, c.users.share]),
    ).toEqual([
      ["distance", 1, 0.5, 1 / 3],
      ["nothing", 1, 0.5, 0],
      ["other", 1, 0.5, 0],
      ["fees", 0, 0, 2 / 3],
      ["hours", 0, 0, 1],
    ]);
    expect(ranked.choices[0]?.difference).toBeCloseTo(0.5 - 1 / 3, 12);
  });

  it("tests each barrier with Fisher's exact test when the table is small", () => {
    // hours: non-users 0 of 2, users 3 of 3 → [[0, 2], [3, 0]]. With margins 2, 3 and 3 chosen,
    // P(x) for x = 0, 1, 2 non-users choosing is 1/10, 6/10, 3/10; two-sided p = 0.1.
    const hours = ranked.choices.find((c) => c.code === "hours");
    if (!hours || "insufficient" in hours.test) throw new Error("no test for hours");
    expect(hours.test.method).toBe("fisher-exact");
    expect(hours.test.pValue).toBeCloseTo(0.1, 12);
  });

  it("tests a weighted barrier with the Rao–Scott test on the weighted cells, never Fisher's (issue 12)", () => {
    // Weights 1, 2, 3, … by response order. "distance": non-users r3 (chose it, w 3) and r4
    // (not, w 4); users r1 (not, w 1), r2 (not, w 2), r5 (chose it, w 5). Cells built here by
    // a plain loop over those five respondents.
    const weights = new Map(crafted.map((response, index) => [response.id, index + 1]));
    const ranked = rankChoicesAmongNonUsers(codebook, crafted, { weights });
    const distance = ranked.choices.find((c) => c.code === "distance");
    if (!distance || "insufficient" in distance.test) throw new Error("no test for distance");
    const groups = { nonUsers: ["r3", "r4"], users: ["r1", "r2", "r5"] };
    const cells = [groups.nonUsers, groups.users].map((ids) =>
      [true, false].map((chosen) => {
        let count = 0;
        let weight = 0;
        let weightSquares = 0;
        for (const response of crafted) {
          if (!ids.includes(response.id)) continue;
          const barriers = response.data.barriers as string[];
          if (barriers.includes("distance") !== chosen) continue;
          const w = weights.get(response.id) ?? 0;
          count++;
          weight += w;
          weightSquares += w * w;
        }
        return { count, weight, weightSquares };
      }),
    );
    const expected = raoScottChiSquare(cells);
    expect(distance.test.method).toBe("rao-scott");
    expect(distance.test.fisherPValue).toBeNull();
    expect(distance.test.pValue).toBeCloseTo(expected.pValue, 12);
    expect(distance.test.statistic).toBeCloseTo(expected.statistic, 12);
  });

  it("needs a multi-select question and a use rule", () => {
    expect(() => rankChoicesAmongNonUsers(codebook, crafted, { question: "use" })).toThrow(
      /not a multi-select question/,
    );
    const noRule = { ...codebook, useStatus: undefined };
    expect(() => rankChoicesAmongNonUsers(noRule, crafted)).toThrow(/no library-use question/);
  });
});
