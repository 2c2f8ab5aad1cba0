// --suggest-map guesses a mapping from the column names ILSs use and from sample values.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMapping } from "../../server/imports/mapping.ts";
import { sampleCsv, suggestMapping } from "../../server/imports/suggest-map.ts";
import { fixture } from "./helpers.ts";

const suggest = (name: string) => {
  const { header, rows } = sampleCsv(`${readFileSync(fixture(name), "utf8")}\n`);
  return suggestMapping(header, rows);
};

describe("suggestMapping", () => {
  it("recognises a Sierra export, excludes staff-looking types only when seen, and lists identifying columns", () => {
    const { mapping, notes } = suggest("sierra-patrons.csv");
    expect(mapping).toMatchObject({
      geography: { column: "ZIP", kind: "zip" },
      age: { column: "BIRTH DATE", as: "birthDate" },
      language: { column: "LANG PREF" },
      patronType: { column: "P TYPE" },
      branch: { column: "HOME LIBR" },
      activity: { column: "CIRCACTIVE", as: "date" },
      checkouts: { column: "TOT CHKOUT" },
      registered: { column: "CREATED", as: "date" },
    });
    expect(notes.join("\n")).toMatch(
      /never read.*"RECORD #\(PATRON\)".*"PATRN NAME".*"ADDRESS".*"EMAIL ADDR"/,
    );
    expect(() => parseMapping(mapping)).not.toThrow();
  });

  it("recognises Koha's borrowers table and excludes STAFF and ILL categories", () => {
    const { mapping } = suggest("koha-borrowers.csv");
    expect(mapping).toMatchObject({
      geography: { column: "zipcode", kind: "zip" },
      age: { column: "dateofbirth", as: "birthDate" },
      language: { column: "lang" },
      patronType: { column: "categorycode" },
      branch: { column: "branchcode" },
      activity: { column: "lastseen", as: "date" },
      registered: { column: "dateenrolled", as: "date" },
      exclude: [{ column: "categorycode", in: ["STAFF", "ILL"] }],
    });
  });

  it("recognises a Polaris report with age groups and year + month activity, and a tract column", () => {
    const { mapping } = suggest("polaris-age-groups.csv");
    expect(mapping).toMatchObject({
      geography: { column: "Census Tract", kind: "tract" },
      age: { column: "Age Group", as: "range" },
      patronType: { column: "Patron Code" },
      branch: { column: "Registered Branch" },
      activity: { column: "Last Active Year", as: "year", monthColumn: "Last Active Month" },
      language: { column: "Language" },
    });
  });

  it("recognises Evergreen's column names, a birth-year column and an active flag", () => {
    const { mapping, notes } = suggest("evergreen-flags.csv");
    expect(mapping).toMatchObject({
      geography: { column: "post_code", kind: "zip" },
      age: { column: "usr.dob", as: "birthYear" },
      patronType: { column: "profile" },
      branch: { column: "home_ou" },
      activity: { column: "active", as: "flag", activeValues: ["t"] },
      exclude: [{ column: "profile", in: ["Staff"] }],
    });
    expect(notes.join("\n")).toMatch(/looks like a flag/);
  });

  it("guesses day-first dates and says when no activity column was found", () => {
    const { mapping, notes } = suggestMapping(
      ["Postal Code", "Birth Date", "Created"],
      [["94110", "31/01/1980", "25/12/2019"]],
    );
    expect(mapping.dateOrder).toBe("dmy");
    expect(mapping.activity.column).toBe("");
    expect(notes.join("\n")).toMatch(/no activity column found/);
  });

  it("recognises Polaris, Symphony and Alma column names", () => {
    const polaris = suggestMapping(
      [
        "Patron ID",
        "Birth Date",
        "Postal Code",
        "Patron Code",
        "Registered Branch",
        "Last Activity Date",
        "Registration Date",
      ],
      [["1", "01/02/1980", "94110", "Adult", "Main", "03/01/2024", "01/01/2000"]],
    ).mapping;
    expect(polaris).toMatchObject({
      geography: { column: "Postal Code" },
      age: { column: "Birth Date" },
      patronType: { column: "Patron Code" },
      branch: { column: "Registered Branch" },
      activity: { column: "Last Activity Date", as: "date" },
      registered: { column: "Registration Date" },
    });
    const symphony = suggestMapping(
      [
        "USER_ID",
        "USER_PROFILE",
        "USER_LIBRARY",
        "USER_BIRTH_DATE",
        "ZIP",
        "DATE_LAST_ACTIVITY",
        "DATE_PRIVILEGE_GRANTED",
      ],
      [["1", "ADULT", "MAIN", "19800102", "94110", "20240301", "20000101"]],
    ).mapping;
    expect(symphony).toMatchObject({
      patronType: { column: "USER_PROFILE" },
      branch: { column: "USER_LIBRARY" },
      age: { column: "USER_BIRTH_DATE", as: "birthDate" },
      activity: { column: "DATE_LAST_ACTIVITY", as: "date" },
      registered: { column: "DATE_PRIVILEGE_GRANTED" },
    });
    const alma = suggestMapping(
      [
        "Primary Identifier",
        "User Group",
        "Campus",
        "Birth Date",
        "Postal Code",
        "Preferred Language",
        "Last Activity Date",
        "Creation Date",
      ],
      [["1", "Patron", "Main", "1980-01-02", "94110", "en", "2024-03-01", "2000-01-01"]],
    ).mapping;
    expect(alma).toMatchObject({
      patronType: { column: "User Group" },
      branch: { column: "Campus" },
      language: { column: "Preferred Language" },
      registered: { column: "Creation Date" },
    });
  });
});
