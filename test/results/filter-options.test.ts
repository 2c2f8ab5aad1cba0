// One parser for the response filters of the results pages and `npm run export` (issue 16: the
// web silently dropped a bad date or an unknown value, so a page showed every response as if
// filtered, while the command line refused them).
import { describe, expect, it } from "vitest";
import { InputError } from "../../server/errors.ts";
import { parseFilterOptions, splitList } from "../../server/results/filter-options.ts";

describe("parseFilterOptions", () => {
  it("reads lists repeated or comma-separated, days as UTC midnights with `to` included", () => {
    expect(
      parseFilterOptions({
        language: ["es,vi", "zh"],
        channel: ["kiosk"],
        location: ["main-branch", "-"],
        use: ["non-user"],
        from: "2026-03-01",
        to: "2026-03-31",
      }),
    ).toEqual({
      languages: ["es", "vi", "zh"],
      channels: ["kiosk"],
      locations: ["main-branch", ""],
      useStatus: ["non-user"],
      from: new Date("2026-03-01T00:00:00Z"),
      to: new Date("2026-04-01T00:00:00Z"),
    });
  });

  it("treats blank fields (a form left empty) as no filter", () => {
    expect(parseFilterOptions({ language: [""], from: "", to: " " })).toEqual({
      languages: undefined,
      channels: undefined,
      locations: undefined,
      useStatus: undefined,
      from: undefined,
      to: undefined,
    });
    expect(splitList([" a , ,b"])).toEqual(["a", "b"]);
  });

  it("refuses a value that can never match, naming the option", () => {
    const refusal = (options: Parameters<typeof parseFilterOptions>[0]) => {
      try {
        parseFilterOptions(options, (field) => `--${field}`);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return `${(error as InputError).where.field}: ${(error as InputError).detail}`;
      }
      return "accepted";
    };
    expect(refusal({ from: "2026-02-30" })).toBe(
      'from: must be a date as YYYY-MM-DD (got "2026-02-30")',
    );
    expect(refusal({ to: "31/03/2026" })).toBe(
      'to: must be a date as YYYY-MM-DD (got "31/03/2026")',
    );
    expect(refusal({ from: "2026-04-02", to: "2026-04-01" })).toBe("from: must not be after --to");
    expect(refusal({ channel: ["pigeon"] })).toMatch(/^channel: takes .*\(got "pigeon"\)$/);
    expect(refusal({ language: ["xx"] })).toMatch(/^language: takes en, es, .*\(got "xx"\)$/);
    expect(refusal({ use: ["sometimes"] })).toBe(
      'use: takes user, non-user, unknown (got "sometimes")',
    );
    expect(refusal({ location: ["main branch"] })).toMatch(/^location: takes location ids/);
    expect(refusal({ from: "2026-04-01", to: "2026-04-01" })).toBe("accepted");
  });
});
