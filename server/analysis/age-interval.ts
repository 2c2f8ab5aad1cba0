/**
 * An age band as a half-open interval of years [lo, hi): "5 to 9 years" is { lo: 5, hi: 10 },
 * "Under 5" is { lo: 0, hi: 5 }, "65+" is { lo: 65, hi: null } (no upper bound).
 */
export interface AgeInterval {
  lo: number;
  /** Exclusive upper bound in years; null for an open-ended band ("65 years and over"). */
  hi: number | null;
}

/** Oldest age a label may name; anything above is treated as unparseable. */
const MAX_AGE = 130;

const PATTERNS: readonly [RegExp, (match: RegExpMatchArray) => AgeInterval][] = [
  // "under 5", "under 18" (survey code under_18), "less than 5", "younger than 5", "< 5"
  [/^(?:under|less than|younger than|below|<)\s*(\d{1,3})$/, (m) => ({ lo: 0, hi: Number(m[1]) })],
  // "65+", "65 plus" (survey code 75_plus), "65 and over", "65 or older", "65 or more", "65 and up"
  [
    /^(\d{1,3})\s*(?:\+|plus|and over|and older|and up|or over|or older|or more)$/,
    (m) => ({ lo: Number(m[1]), hi: null }),
  ],
  // ">= 65", "≥ 65"
  [/^(?:>=|≥)\s*(\d{1,3})$/, (m) => ({ lo: Number(m[1]), hi: null })],
  // "5 to 9", "18-24", "18 through 24", "18 and 19" (inclusive ends in the label)
  [
    /^(\d{1,3})\s*(?:-|to|through|thru|and)\s*(\d{1,3})$/,
    (m) => ({ lo: Number(m[1]), hi: Number(m[2]) + 1 }),
  ],
  // "20" (a single year of age, "20 years")
  [/^(\d{1,3})$/, (m) => ({ lo: Number(m[1]), hi: Number(m[1]) + 1 })],
];

/**
 * Parses an age label, as written by the Census Bureau, an ILS export or a survey code, into a
 * half-open interval of whole years [lo, hi).
 *
 * Accepted forms (case-insensitive; "years", "year", "yrs", "old", a leading "age"/"ages" and a
 * trailing ":" are ignored; en/em dashes and underscores between numbers count as hyphens):
 *
 *     "Under 5 years", "Under 5", "under_18"         → [0, 5), [0, 5), [0, 18)
 *     "5 to 9 years", "10 to 19 years", "18 and 19"  → [5, 10), [10, 20), [18, 20)
 *     "18-24", "18–24", "18_24", "0-4"               → [18, 25), [18, 25), [18, 25), [0, 5)
 *     "20 years", "21 years"                          → [20, 21), [21, 22)
 *     "65+", "65 years and over", "75_plus"           → [65, ∞), [65, ∞), [75, ∞)
 *
 * Anything else ("Total", "Unknown", "", "24-18") gives null: the caller counts and reports it
 * as an unknown age rather than dropping it.
 *
 * Source: the age rows of ACS table B01001 (U.S. Census Bureau) and Open Door's survey codes.
 *
 * @param label the age label
 * @returns { lo, hi } with hi exclusive (null = open-ended), or null when unparseable
 * @example
 * parseAgeInterval("10 to 19 years"); // => { lo: 10, hi: 20 }
 * parseAgeInterval("65+");            // => { lo: 65, hi: null }
 * parseAgeInterval("Total");          // => null
 */
export function parseAgeInterval(label: string): AgeInterval | null {
  if (typeof label !== "string") return null;
  const text = label
    .normalize("NFKC")
    .toLowerCase()
    .replace(/(\d)\s*_\s*(\d)/g, "$1-$2")
    .replace(/_/g, " ")
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/:\s*$/, "")
    .replace(/\b(?:years?|yrs?|old)\b/g, " ")
    .replace(/^\s*(?:aged?|ages)\b/, " ")
    .replace(/\s+/g, " ")
    .trim();
  for (const [pattern, toInterval] of PATTERNS) {
    const match = text.match(pattern);
    if (!match) continue;
    const interval = toInterval(match);
    if (interval.lo > MAX_AGE) return null;
    if (interval.hi !== null && (interval.hi <= interval.lo || interval.hi > MAX_AGE + 1))
      return null;
    return interval;
  }
  return null;
}
