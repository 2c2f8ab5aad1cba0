// One parser per import option (issue 22): the command line and the /staff/imports forms read the
// census year, a community file's format, the as-of date and the "many different values" fields
// alike. The web used to take "2022.0" as a year and drop an unknown category field silently.
import { describe, expect, it } from "vitest";
import { InputError } from "../../server/errors.ts";
import {
  parseAllowManyCategories,
  parseAsOfDate,
  parseCensusYear,
  parseCommunityFormat,
} from "../../server/imports/import-options.ts";

const refusal = (parse: () => unknown) => {
  try {
    parse();
  } catch (error) {
    if (error instanceof InputError) return `${error.where.field}: ${error.detail}`;
    throw error;
  }
  throw new Error("accepted");
};

describe("import options", () => {
  it("read blank as not given", () => {
    expect(parseCensusYear(" ")).toBeUndefined();
    expect(parseCommunityFormat("")).toBeUndefined();
    expect(parseAsOfDate(undefined)).toBeUndefined();
    expect(parseAllowManyCategories([""])).toEqual([]);
  });

  it("read a year, a format, a date and category fields (repeated or comma-separated)", () => {
    expect(parseCensusYear("2022")).toBe(2022);
    expect(parseCommunityFormat("tidy")).toBe("tidy");
    expect(parseAsOfDate("2024-06-30")).toEqual({ year: 2024, month: 6, day: 30 });
    expect(parseAllowManyCategories(["branch,language", "branch"])).toEqual(["language", "branch"]);
  });

  it("refuse a bad value naming the option and what it takes", () => {
    expect(refusal(() => parseCensusYear("2022.0"))).toBe(
      'year: must be a four-digit year (got "2022.0")',
    );
    expect(refusal(() => parseCensusYear("1890"))).toBe(
      'year: must be a year from 1990 to 2100 (got "1890")',
    );
    expect(refusal(() => parseCommunityFormat("xml"))).toBe(
      'format: must be acs or tidy (got "xml")',
    );
    expect(refusal(() => parseAsOfDate("2024-02-30"))).toBe(
      'as-of: must be a date YYYY-MM-DD (got "2024-02-30")',
    );
    expect(refusal(() => parseAllowManyCategories(["shoeSize"]))).toBe(
      'allow-many-categories: takes language, patronType, branch (got "shoeSize")',
    );
  });
});
