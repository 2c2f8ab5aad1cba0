// The identifying-columns guard on its own: which values look identifying, which columns are
// refused and why, what the override lets through, and that its messages are translated.
import { describe, expect, it } from "vitest";
import { catalogues, translator } from "../../server/i18n/messages.ts";
import {
  type CategoryColumnProfile,
  checkCategoryColumns,
  describeFinding,
  IdentifyingColumnError,
  identifyingKind,
  judgeColumn,
  profileColumn,
} from "../../server/imports/identifying-columns.ts";

describe("identifyingKind", () => {
  it.each([
    ["janine.zyxwolski@example.org", "email"],
    ["O'Brien+library@mail.example.co.uk", "email"],
    ["(415) 555-0134", "phone"],
    ["415-555-0134", "phone"],
    ["+1 415 555 0134", "phone"],
    ["415.555.0134 ext. 12", "phone"],
    ["555-0134", "phone"],
    ["+44 20 7946 0958", "phone"],
    ["21234001234567", "card"],
    ["2 1234 00123 4567", "card"],
    ["12345678", "card"],
    ["742 Evergreen Terrace", "address"],
    ["221B Baker Street", "address"],
    ["4500 W. Oak Ave, Apt 3", "address"],
    ["12 Elm St Unit 4", "address"],
    ["P.O. Box 1234", "address"],
    ["1990-05-15", "date"],
    ["05/15/1990", "date"],
    ["15.05.1990", "date"],
    ["May 15, 1990", "date"],
    ["15 May 1990", "date"],
    ["05/15/90", "date"],
    ["19900515", "date"],
  ])("sees %s as %s", (value, kind) => {
    expect(identifyingKind(value)).toBe(kind);
  });

  it.each([
    "Main Library",
    "5th Street Branch",
    "125th Street Branch",
    "Oak Street Branch",
    "Bookmobile",
    "ADULT",
    "Juvenile",
    "Staff",
    "ILL Library",
    "Resident - Adult",
    "Non-resident",
    "2024-2025",
    "Class of 2025",
    "1",
    "15",
    "255",
    "MAIN01",
    "Spanish",
    "Chinese (Mandarin)",
    "Tagalog (incl. Filipino)",
    "18 to 24 years",
    "65+",
    "Under 5",
    "10-14",
    "2024",
    "",
  ])("leaves the category value %j alone", (value) => {
    expect(identifyingKind(value)).toBeNull();
  });
});

const profile = (
  values: [string, number][],
  extra: Partial<{ rows: number; overflowed: boolean }> = {},
  field: CategoryColumnProfile["field"] = "branch",
) =>
  profileColumn(field, "Home Branch", values, {
    rows: extra.rows ?? values.reduce((s, [, n]) => s + n, 0),
    overflowed: extra.overflowed ?? false,
  });

/** `n` values named by `name(i)`, each in `rows` rows. */
const values = (n: number, name: (i: number) => string, rows = 1): [string, number][] =>
  Array.from({ length: n }, (_, i) => [name(i), rows]);

describe("judgeColumn", () => {
  it("passes a real branch column (a dozen branches over many patrons)", () => {
    const branches = ["Main Library", "5th Street Branch", "Bookmobile", "Oak Street Branch"];
    expect(judgeColumn(profile(branches.map((b, i) => [b, 1000 * (i + 1)])))).toBeNull();
  });

  it("passes 200 branches, and 20 branches in a 300-patron file", () => {
    expect(judgeColumn(profile(values(200, (i) => `Branch ${i}`, 50)))).toBeNull();
    expect(judgeColumn(profile(values(20, (i) => `Branch ${i}`, 15)))).toBeNull();
  });

  it("refuses more than 200 different values", () => {
    expect(judgeColumn(profile(values(201, (i) => `Branch ${i}`, 50)))).toMatchObject({
      rule: "many",
      distinct: 201,
      total: 201 * 50,
    });
  });

  it("refuses more than 5% of the rows from 1,000 rows on, and not below", () => {
    expect(judgeColumn(profile(values(55, (i) => `Type ${i}`, 18)))).toBeNull(); // 990 rows
    expect(judgeColumn(profile(values(60, (i) => `Type ${i}`, 18)))).toMatchObject({
      rule: "share",
      distinct: 60,
      total: 1080,
    });
    // Exactly 5% is allowed.
    expect(judgeColumn(profile(values(50, (i) => `Type ${i}`, 20)))).toBeNull();
  });

  it("refuses a small file's column of names (most values occur once)", () => {
    const names = values(30, (i) => `Patron Name ${String.fromCharCode(65 + (i % 26))}${i}`);
    expect(judgeColumn(profile(names))).toMatchObject({
      rule: "unique",
      distinct: 30,
      singletons: 30,
    });
    // Fewer than 20 one-row values cannot be judged: a 19-patron file passes.
    expect(judgeColumn(profile(names.slice(0, 19)))).toBeNull();
  });

  it("refuses a column the import stopped keeping values of", () => {
    expect(
      judgeColumn(
        profile(
          values(150, (i) => `X${i}`, 100),
          { overflowed: true, rows: 20_000 },
        ),
      ),
    ).toMatchObject({ rule: "many", overflowed: true });
  });

  it("refuses one stored value that looks identifying, counting its rows", () => {
    const column = profile([
      ["Main Library", 900],
      ["someone@example.org", 2],
    ]);
    expect(judgeColumn(column)).toMatchObject({
      rule: "pattern",
      kind: "email",
      count: 2,
      total: 902,
    });
  });

  it("refuses a language column only when most of its (never stored) values look identifying", () => {
    const language = (unstored: number) =>
      profileColumn("language", "Language", [["Spanish", 100]], {
        rows: 100 + unstored,
        overflowed: false,
        unstored: { phone: unstored },
      });
    expect(judgeColumn(language(3))).toBeNull();
    expect(judgeColumn(language(100))).toMatchObject({ rule: "pattern", kind: "phone" });
  });
});

describe("checkCategoryColumns", () => {
  const emails = profile(values(300, (i) => `p${i}@example.org`));
  const many = profile(values(300, (i) => `Branch ${i}`, 40));

  it("refuses with a message that names the column and the reason and quotes no value", () => {
    let error: unknown;
    try {
      checkCategoryColumns([emails], [], "patrons.csv");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IdentifyingColumnError);
    const message = String(error);
    expect(message).toContain('patrons.csv: Column "Home Branch" (mapped as branch)');
    expect(message).toContain("300 of 300 values look like e-mail addresses");
    expect(message).toContain("cannot be overridden");
    expect(message).not.toContain("@example.org");
  });

  it("lets the override through for many values, and returns it to be audited", () => {
    expect(() => checkCategoryColumns([many], [], "patrons.csv")).toThrow(
      /it has 300 different values in 12,000 rows, more than the 200/,
    );
    expect(checkCategoryColumns([many], ["branch"], "patrons.csv")).toEqual([
      {
        field: "branch",
        column: "Home Branch",
        total: 12_000,
        rule: "many",
        distinct: 300,
        overflowed: false,
      },
    ]);
  });

  it("never lets the override through for values that look identifying", () => {
    expect(() => checkCategoryColumns([emails], ["branch"], "patrons.csv")).toThrow(
      /look like e-mail addresses/,
    );
  });

  it("names every refused column at once", () => {
    const types = profileColumn(
      "patronType",
      "Card Number",
      values(40, (i) => `2123400${i}000000`),
      {
        rows: 40,
        overflowed: false,
      },
    );
    expect(() => checkCategoryColumns([emails, types], [], "patrons.csv")).toThrow(
      /Column "Home Branch".*Column "Card Number" \(mapped as patronType\).*40 of 40 values look like library card or barcode numbers/,
    );
  });
});

describe("messages", () => {
  const keys = Object.keys(catalogues.get("en") ?? {}).filter(
    (k) =>
      k.startsWith("imports.identifying.") ||
      k.startsWith("imports.allowMany.") ||
      k.startsWith("imports.field."),
  );
  const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();

  it.each([...catalogues.keys()].filter((code) => code !== "en"))(
    "are all translated into %s with the same placeholders",
    (code) => {
      const english = catalogues.get("en") ?? {};
      const own = catalogues.get(code) ?? {};
      expect(keys.length).toBe(18);
      for (const key of keys) {
        expect(own[key], `${code}: ${key}`).toBeTruthy();
        expect(own[key], `${code}: ${key}`).not.toBe(english[key]);
        expect(placeholders(own[key] ?? ""), `${code}: ${key}`).toEqual(
          placeholders(english[key] ?? ""),
        );
      }
    },
  );

  it("reads in Spanish with Spanish number formatting", () => {
    const finding = judgeColumn(profile(values(1300, (i) => `p${i}@example.org`)));
    if (!finding) throw new Error("expected a finding");
    expect(describeFinding(finding, translator("es"), "es")).toContain(
      "1300 de 1300 valores parecen direcciones de correo electrónico",
    );
    expect(describeFinding(finding, translator("en"))).toContain(
      "1,300 of 1,300 values look like e-mail addresses",
    );
  });
});
