import { describe, expect, it } from "vitest";
import { InsufficientDataError } from "../../server/analysis/insufficient-data-error.ts";

describe("InsufficientDataError", () => {
  it("names the function and keeps the reason readable on its own", () => {
    const error = new InsufficientDataError("pearson", "x is constant");
    expect(error).toBeInstanceOf(RangeError);
    expect(error.name).toBe("InsufficientDataError");
    expect(error.message).toBe("pearson: insufficient data: x is constant");
    expect(error.functionName).toBe("pearson");
    expect(error.reason).toBe("x is constant");
  });
});
