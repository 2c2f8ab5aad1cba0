// The one small-count test (issue 22: it was written three ways): 1 … threshold − 1 is small,
// 0 and the threshold itself are not (DESIGN.md, "Privacy and safety rules").
import { describe, expect, it } from "vitest";
import { isSmallCount } from "../../server/analysis/small-count.ts";

describe("isSmallCount", () => {
  it("calls 1 to threshold − 1 small, and neither 0 nor the threshold", () => {
    expect([0, 1, 9, 10, 11].map((n) => isSmallCount(n, 10))).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
  });
});
