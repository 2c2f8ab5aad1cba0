// One parser for cross-tab variables (issue 22): the web wrote `q:barriers:hours`, the command line
// `barriers:hours`; both now read the command line's syntax, and the web's old prefix still works.
import { describe, expect, it } from "vitest";
import { InputError } from "../../server/errors.ts";
import {
  crossTabVariableText,
  parseCrossTabVariable,
} from "../../server/results/cross-tab-variable.ts";

const errorOf = (text: string | undefined, option = "rows") => {
  try {
    parseCrossTabVariable(text, option);
  } catch (error) {
    if (error instanceof InputError) return { field: error.where.field, detail: error.detail };
    throw error;
  }
  throw new Error(`"${text}" was accepted`);
};

describe("parseCrossTabVariable", () => {
  it("reads a question, a question's choice or row, and a group", () => {
    expect(parseCrossTabVariable("feel_welcome", "rows")).toEqual({ question: "feel_welcome" });
    expect(parseCrossTabVariable("barriers:hours", "rows")).toEqual({
      question: "barriers",
      choice: "hours",
      row: "hours",
    });
    expect(parseCrossTabVariable("group:useStatus", "columns")).toEqual({ group: "useStatus" });
  });

  it("reads the web's old q: prefix as the same variable, so saved links keep working", () => {
    expect(parseCrossTabVariable("q:barriers:hours", "rows")).toEqual(
      parseCrossTabVariable("barriers:hours", "rows"),
    );
    expect(parseCrossTabVariable("q:feel_welcome", "rows")).toEqual({ question: "feel_welcome" });
  });

  it("writes back the text it reads", () => {
    for (const text of ["feel_welcome", "barriers:hours", "group:month"])
      expect(crossTabVariableText(parseCrossTabVariable(text, "rows"))).toBe(text);
    expect(crossTabVariableText({ question: "visits", row: "weekday" })).toBe("visits:weekday");
  });

  it("names the option and what it takes for an empty, unknown-group or malformed value", () => {
    expect(errorOf(undefined, "columns")).toEqual({
      field: "columns",
      detail: "needs a variable: QUESTION, QUESTION:CHOICE, QUESTION:ROW or group:DIMENSION",
    });
    expect(errorOf("group:shoe")).toEqual({
      field: "rows",
      detail: 'group:DIMENSION takes language, channel, location, useStatus, month (got "shoe")',
    });
    expect(errorOf("a:b:c").detail).toBe(
      'takes QUESTION, QUESTION:CHOICE, QUESTION:ROW or group:DIMENSION (got "a:b:c")',
    );
    expect(errorOf("barriers:").field).toBe("rows");
    expect(errorOf(":hours").field).toBe("rows");
  });
});
