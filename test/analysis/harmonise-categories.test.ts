import { describe, expect, it } from "vitest";
import { harmoniseCategories } from "../../server/analysis/harmonise-categories.ts";

describe("harmoniseCategories", () => {
  it("re-bands age to the finest common partition", () => {
    const result = harmoniseCategories(
      "age",
      ["10 to 14 years", "15 to 17 years", "18 and 19 years", "20 to 24 years", "25 to 29 years"],
      ["10-19", "20-29"],
    );
    expect(result.method).toBe("age-intervals");
    expect(result.categories).toEqual(["10 to 19 years", "20 to 29 years"]);
    expect(result.populationCategory.get("15 to 17 years")).toBe("10 to 19 years");
    expect(result.userCategory.get("20-29")).toBe("20 to 29 years");
    expect(result.notes).toEqual([]);
  });

  it("maps languages to ACS groups in C16001 order and names the values it cannot map", () => {
    const result = harmoniseCategories(
      "language",
      ["Spanish:", "Speak only English"],
      ["spa", "eng", "kor", "xx"],
    );
    expect(result.method).toBe("language-groups");
    expect(result.categories).toEqual(["English only", "Spanish", "Korean"]);
    expect(result.userCategory.get("xx")).toBeNull();
    expect(result.notes[0]).toBe(
      'Language values in the library data that match no ACS language group are counted as unknown: "xx".',
    );
    expect(result.notes).toContain(
      "Census language counts (table C16001) cover residents aged 5 and over.",
    );
  });

  it("matches other dimensions' labels ignoring case and spaces, keeping the census spelling", () => {
    const result = harmoniseCategories(
      "tenure",
      ["Renter occupied", "Owner occupied"],
      [" renter OCCUPIED", "", "Other"],
    );
    expect(result.method).toBe("labels");
    expect(result.categories).toEqual(["Renter occupied", "Owner occupied", "Other"]);
    expect(result.userCategory.get(" renter OCCUPIED")).toBe("Renter occupied");
    expect(result.userCategory.get("")).toBeNull();
  });
});
