// Geography identifiers: the Census Bureau's GEO_ID ("1400000US06075010101"), the API's
// geography columns (state, county, tract…), and the values found in patron exports (ZIP+4,
// tract GEOIDs). A geoid is always text: leading zeros are part of it.
//
// GEO_ID = 3-digit summary level + 2-digit component + "00" + "US" + GEOID, e.g. 1400000US…
// (tract), 1500000US… (block group), 860Z200US… (ZCTA, 2020 vintage; 8600000US… before),
// 1600000US… (place), 0500000US… (county). Source: U.S. Census Bureau, "Understanding Geographic
// Identifiers (GEOIDs)" and the summary level list in the ACS Summary File technical
// documentation.

import type { GeographyKind } from "../queries/community.ts";

const KIND_BY_SUMMARY_LEVEL: Record<string, GeographyKind> = {
  "010": "nation",
  "040": "state",
  "050": "county",
  "060": "cousub",
  "140": "tract",
  "150": "blockgroup",
  "160": "place",
  "500": "congressional",
  "795": "puma",
  "860": "zcta",
  "950": "schooldistrict",
  "960": "schooldistrict",
  "970": "schooldistrict",
};

/** Number of digits of each kind's GEOID, where fixed. */
const GEOID_DIGITS: Partial<Record<GeographyKind, number>> = {
  state: 2,
  county: 5,
  cousub: 10,
  place: 7,
  tract: 11,
  blockgroup: 12,
  zcta: 5,
  zip: 5,
  puma: 7,
  schooldistrict: 7,
  congressional: 4,
};

export interface ParsedGeoId {
  geoid: string;
  kind: GeographyKind;
}

/** Reads a data.census.gov GEO_ID. Returns null when the text is not one. */
export function parseGeoId(text: string): ParsedGeoId | null {
  const match = text.trim().match(/^(\d{3})[0-9A-Z]{4}US([0-9A-Za-z]*)$/);
  if (!match?.[1]) return null;
  const kind = KIND_BY_SUMMARY_LEVEL[match[1]];
  if (!kind) return null;
  const geoid = match[2] ?? "";
  if (kind === "nation") return { geoid: "US", kind };
  const digits = GEOID_DIGITS[kind];
  if (digits !== undefined && (geoid.length !== digits || !/^\d+$/.test(geoid))) return null;
  return { geoid, kind };
}

/** Summary levels Open Door reads, for error messages. */
export const KNOWN_SUMMARY_LEVELS = Object.entries(KIND_BY_SUMMARY_LEVEL)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([level, kind]) => `${level} ${kind}`)
  .join(", ");

/**
 * The Census API names geographies by columns ("state", "county", "tract", "block group",
 * "zip code tabulation area", …) instead of a GEO_ID. These are the column sets, most specific
 * first, and how their values compose a GEOID.
 */
export const API_GEOGRAPHY_COLUMNS: readonly { kind: GeographyKind; columns: readonly string[] }[] =
  [
    { kind: "blockgroup", columns: ["state", "county", "tract", "block group"] },
    { kind: "tract", columns: ["state", "county", "tract"] },
    { kind: "cousub", columns: ["state", "county", "county subdivision"] },
    { kind: "county", columns: ["state", "county"] },
    { kind: "place", columns: ["state", "place"] },
    { kind: "zcta", columns: ["zip code tabulation area"] },
    { kind: "puma", columns: ["state", "public use microdata area"] },
    { kind: "schooldistrict", columns: ["state", "school district (unified)"] },
    { kind: "state", columns: ["state"] },
    { kind: "nation", columns: ["us"] },
  ];

/** Patron exports name their geography by one of these kinds. */
export const PATRON_GEOGRAPHY_KINDS = [
  "zip",
  "zcta",
  "tract",
  "blockgroup",
  "place",
  "county",
  "custom",
] as const;
export type PatronGeographyKind = (typeof PATRON_GEOGRAPHY_KINDS)[number];

/** The imported geography kinds a patron geography of this kind may match. */
export function matchingKinds(kind: PatronGeographyKind): readonly GeographyKind[] | null {
  switch (kind) {
    case "zip":
    case "zcta":
      return ["zcta", "zip"];
    case "custom":
      return null; // any kind: the value must equal an imported geoid
    default:
      return [kind];
  }
}

/**
 * Reads a patron's geography value as a geoid of the given kind: ZIP+4 → 5-digit ZIP, a ZIP
 * that lost its leading zero in a spreadsheet ("2134") → "02134", a tract or block group GEOID
 * with or without its "1400000US" prefix; a block group GEOID given for a tract → its tract.
 * Returns "" for a blank value and null for a value that cannot be one of this kind.
 */
export function normalisePatronGeography(value: string, kind: PatronGeographyKind): string | null {
  const text = value.trim();
  if (text === "") return "";
  if (kind === "custom") return text;
  const unprefixed = text.replace(/^\d{3}[0-9A-Z]{4}US/, "");
  if (kind === "zip" || kind === "zcta") {
    const match = unprefixed.match(/^(\d{3,5})(?:[- ]?\d{4})?$/);
    if (!match?.[1]) return null;
    return match[1].padStart(5, "0");
  }
  const digits = GEOID_DIGITS[kind];
  if (!/^\d+$/.test(unprefixed) || digits === undefined) return null;
  if (unprefixed.length === digits) return unprefixed;
  if (kind === "tract" && unprefixed.length === 12) return unprefixed.slice(0, 11);
  return null;
}
