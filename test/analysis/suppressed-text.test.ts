import { describe, expect, it } from "vitest";
import {
  suppressedText,
  suppressionLabels,
  withheldAreasLabel,
} from "../../server/analysis/suppressed-text.ts";
import { translator } from "../../server/i18n/messages.ts";

describe("how a hidden count reads", () => {
  it("reads <N, with the configured threshold, only for a count that is truly small", () => {
    expect(suppressedText("small", 10)).toBe("<10");
    expect(suppressedText("small", 5)).toBe("<5");
  });

  it("reads suppressed for a count hidden to protect a small one, whatever the threshold", () => {
    expect(suppressedText("complementary", 10)).toBe("suppressed");
    expect(suppressedText("complementary", 5)).toBe("suppressed");
  });

  it("reads the same in English from the message catalogue as without it", () => {
    expect(suppressionLabels(10, translator("en"))).toEqual(suppressionLabels(10));
  });

  it("reads the page's language when given its catalogue", () => {
    const labels = suppressionLabels(10, translator("es"));
    expect(suppressedText("small", 10, labels)).toBe(translator("es")("privacy.small", { n: 10 }));
    expect(suppressedText("complementary", 10, labels)).toBe(
      translator("es")("privacy.suppressed"),
    );
  });

  it("labels a map's hatched areas without calling a protecting count small", () => {
    expect(withheldAreasLabel(10)).toBe("Withheld: under 10, or hidden to protect one");
    expect(withheldAreasLabel(10)).not.toMatch(/^Under 10/);
  });
});
