// Age bands shared by the census side (ACS B01001) and the patron side (ages derived from
// birth dates, birth years or ages in years), so both partition age the same way.
//
// The bands are B01001's age rows with its finest splits merged where they only split a
// five-year band (20 / 21 / 22–24 → 20 to 24; 60–61 / 62–64 → 60 to 64; 65–66 / 67–69 → 65 to 69).
// 15–17 and 18–19 stay apart so that "under 18" (children's services) is a band boundary.
// Labels are canonical ("Under 5 years", "15 to 17 years", "85 years and over") and parse back
// with parseAgeLabel.

export interface AgeBand {
  label: string;
  lo: number;
  /** Last year of age in the band; null for the open-ended top band. */
  hi: number | null;
}

/** Upper bounds of the bands (inclusive); the last band is open-ended. */
const BAND_EDGES: readonly (readonly [number, number | null])[] = [
  [0, 4],
  [5, 9],
  [10, 14],
  [15, 17],
  [18, 19],
  [20, 24],
  [25, 29],
  [30, 34],
  [35, 39],
  [40, 44],
  [45, 49],
  [50, 54],
  [55, 59],
  [60, 64],
  [65, 69],
  [70, 74],
  [75, 79],
  [80, 84],
  [85, null],
];

/** The canonical label of an age interval: "Under 5 years", "5 to 9 years", "65 years and over", "20 years". */
export function formatAgeBand(lo: number, hi: number | null): string {
  if (hi === null) return `${lo} years and over`;
  if (lo === 0) return `Under ${hi + 1} ${hi === 0 ? "year" : "years"}`;
  if (lo === hi) return `${lo} ${lo === 1 ? "year" : "years"}`;
  return `${lo} to ${hi} years`;
}

export const AGE_BANDS: readonly AgeBand[] = BAND_EDGES.map(([lo, hi]) => ({
  label: formatAgeBand(lo, hi),
  lo,
  hi,
}));

/** Oldest age accepted from a birth date or age; older values are treated as unknown. */
export const MAX_PLAUSIBLE_AGE = 110;

const BAND_INDEX_BY_AGE: readonly number[] = (() => {
  const table: number[] = [];
  for (let age = 0; age <= MAX_PLAUSIBLE_AGE; age++) {
    table.push(AGE_BANDS.findIndex((b) => age >= b.lo && (b.hi === null || age <= b.hi)));
  }
  return table;
})();

/** Index into AGE_BANDS of a whole age in years (0…MAX_PLAUSIBLE_AGE), or -1 outside it. */
export function ageBandIndex(age: number): number {
  return age >= 0 && age <= MAX_PLAUSIBLE_AGE ? (BAND_INDEX_BY_AGE[age] ?? -1) : -1;
}

const RANGE_PATTERNS: readonly [RegExp, (m: RegExpMatchArray) => [number, number | null]][] = [
  // "Under 5", "under 5 years", "< 5", "less than 5 years"
  [/^(?:under|less than|<)\s*(\d{1,3})(?:\s*years?)?$/, (m) => [0, Number(m[1]) - 1]],
  // "65+", "65 +", "65 and over", "85 years and over", "65 or older", ">= 65", "65 years or more"
  [
    /^(\d{1,3})\s*(?:years?\s*)?(?:\+|and (?:over|older)|or (?:over|older|more))$/,
    (m) => [Number(m[1]), null],
  ],
  [/^(?:>=|≥)\s*(\d{1,3})(?:\s*years?)?$/, (m) => [Number(m[1]), null]],
  // "10 to 19 years", "18-24", "18–24", "0 - 4 yrs", "18 and 19 years", "18 through 24"
  [
    /^(\d{1,3})\s*(?:-|–|—|to|through|and)\s*(\d{1,3})(?:\s*(?:years?|yrs?))?(?:\s*old)?$/,
    (m) => [Number(m[1]), Number(m[2])],
  ],
  // "20 years", "20"
  [/^(\d{1,3})(?:\s*(?:years?|yrs?))?(?:\s*old)?$/, (m) => [Number(m[1]), Number(m[1])]],
];

/**
 * Parses an age-range label into an interval of whole years: "Under 5" → [0, 4],
 * "10 to 19 years" → [10, 19], "18-24" → [18, 24], "65+" → [65, null], "85 years and over" →
 * [85, null]. Returns null for anything else (the caller reports it).
 */
export function parseAgeLabel(label: string): { lo: number; hi: number | null } | null {
  const text = label.trim().toLowerCase().replace(/\s+/g, " ").replace(/:$/, "");
  for (const [pattern, toRange] of RANGE_PATTERNS) {
    const match = text.match(pattern);
    if (!match) continue;
    const [lo, hi] = toRange(match);
    if (hi !== null && (hi < lo || hi > 130)) return null;
    if (lo > 130) return null;
    return { lo, hi };
  }
  return null;
}
