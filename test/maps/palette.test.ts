// WCAG 2.1 1.4.11: neighbouring map classes differ by 3:1 contrast or by a pattern.
import { describe, expect, it } from "vitest";
import {
  classStyles,
  contrastRatio,
  MAX_CLASSES,
  NO_DATA,
  SUPPRESSED_HATCH,
} from "../../server/maps/palette.ts";

describe("the map palette", () => {
  it("computes WCAG contrast ratios (white on black is 21:1, #767676 on white 4.54:1)", () => {
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
  });

  for (let classes = 2; classes <= MAX_CLASSES; classes++) {
    it(`tells every pair of neighbouring classes apart with ${classes} classes`, () => {
      const styles = classStyles(classes);
      for (let i = 1; i < styles.length; i++) {
        const [a, b] = [styles[i - 1], styles[i]] as [
          (typeof styles)[number],
          (typeof styles)[number],
        ];
        const patternDiffers = (a.dots === null) !== (b.dots === null);
        expect(patternDiffers || contrastRatio(a.colour, b.colour) >= 3).toBe(true);
      }
    });
  }

  it("draws dots with at least 3:1 contrast on their class colour", () => {
    for (const style of classStyles(MAX_CLASSES).filter((s) => s.dots)) {
      expect(contrastRatio(style.colour, style.dots as string)).toBeGreaterThanOrEqual(3);
    }
  });

  it("hatches suppressed areas in black on white, unlike any class colour or the no-value grey", () => {
    expect(contrastRatio(SUPPRESSED_HATCH.background, SUPPRESSED_HATCH.lines)).toBe(21);
    const colours = classStyles(MAX_CLASSES).map((s) => s.colour);
    expect(colours).not.toContain(SUPPRESSED_HATCH.background);
    expect(colours).not.toContain(NO_DATA);
  });
});
