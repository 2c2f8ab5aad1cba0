// The colours and patterns of the map classes.
//
// Colours are five steps of viridis (light yellow = low, dark violet = high), a sequential scale
// designed to stay ordered for the common forms of colour blindness and in greyscale (van der
// Walt & Smith 2015, matplotlib's "viridis"). WCAG 2.1 (1.4.11, non-text contrast) asks that
// graphics telling things apart have 3:1 contrast; no scale of more than three colours can give
// 3:1 between every pair of neighbours (that would need 3⁴ = 81:1 across five classes, and
// white to black is 21:1). So neighbouring classes differ either by 3:1 contrast or by a
// pattern: the second and fourth of five classes carry dots. test/maps/palette.test.ts checks
// the rule for every number of classes.

export interface ClassStyle {
  colour: string;
  /** Dot colour when the class carries a dot pattern. */
  dots: string | null;
}

const YELLOW = "#fde725";
const GREEN = "#5ec962";
const TEAL = "#21918c";
const BLUE = "#3b528b";
const VIOLET = "#440154";

const plain = (colour: string): ClassStyle => ({ colour, dots: null });
const dotted = (colour: string, dots: string): ClassStyle => ({ colour, dots });

/** The styles for 1 … 5 classes, lowest class first. */
const STYLES: Record<number, ClassStyle[]> = {
  1: [plain(TEAL)],
  2: [plain(YELLOW), plain(VIOLET)],
  3: [plain(YELLOW), plain(TEAL), plain(VIOLET)],
  4: [plain(YELLOW), dotted(GREEN, "#000000"), plain(TEAL), plain(VIOLET)],
  5: [plain(YELLOW), dotted(GREEN, "#000000"), plain(TEAL), dotted(BLUE, "#ffffff"), plain(VIOLET)],
};

export const MAX_CLASSES = 5;

export function classStyles(classes: number): ClassStyle[] {
  const styles = STYLES[classes];
  if (!styles) throw new RangeError(`classStyles: 1 to ${MAX_CLASSES} classes, got ${classes}`);
  return styles;
}

/** Areas whose value is withheld (small counts): black hatching on white. */
export const SUPPRESSED_HATCH = { background: "#ffffff", lines: "#000000" } as const;
/** Areas with a shape but no value (no residents, not in the analysis). */
export const NO_DATA = "#d9d9d9";

/** WCAG 2.1 relative luminance of an sRGB colour "#rrggbb". */
export function relativeLuminance(hex: string): number {
  const channel = (offset: number) => {
    const c = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2.1 contrast ratio of two colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}
