import { describe, expect, it } from "vitest";
import { describeGroup } from "../../server/analysis/describe-group.ts";

describe("describeGroup", () => {
  it.each([
    ["age", "20 to 34 years", "Residents aged 20 to 34", "more residents are aged 20 to 34"],
    ["age", "Under 5 years", "Residents aged under 5", "more residents are aged under 5"],
    [
      "age",
      "65 years and over",
      "Residents aged 65 and over",
      "more residents are aged 65 and over",
    ],
    ["age", "20 years", "Residents aged 20", "more residents are aged 20"],
    [
      "language",
      "Spanish",
      "Residents who speak Spanish at home",
      "more residents speak Spanish at home",
    ],
    [
      "language",
      "English only",
      "Residents who speak only English at home",
      "more residents speak only English at home",
    ],
    [
      "language",
      "Other Indo-European",
      "Residents who speak another Indo-European language at home",
      "more residents speak another Indo-European language at home",
    ],
    [
      "language",
      "German or other West Germanic",
      "Residents who speak German or other West Germanic languages at home",
      "more residents speak German or other West Germanic languages at home",
    ],
    [
      "poverty",
      "Below poverty level",
      "Residents in the group “Below poverty level” (poverty)",
      "more residents are in the group “Below poverty level” (poverty)",
    ],
  ])("names %s / %j in plain words", (dimension, category, residents, more) => {
    expect(describeGroup(dimension, category)).toEqual({ residents, more });
  });
});
