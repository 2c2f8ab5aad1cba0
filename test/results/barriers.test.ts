import { describe, expect, it } from "vitest";
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

  it("needs a multi-select question and a use rule", () => {
    expect(() => rankChoicesAmongNonUsers(codebook, crafted, { question: "use" })).toThrow(
      /not a multi-select question/,
    );
    const noRule = { ...codebook, useStatus: undefined };
    expect(() => rankChoicesAmongNonUsers(noRule, crafted)).toThrow(/no library-use question/);
  });
});
