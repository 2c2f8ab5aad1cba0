// The demo county's model: 40 census tracts of neighbourhood types (mostly English-speaking
// suburbs, Latino and Vietnamese neighbourhoods, mixed tracts, a college area), each with its
// population by age, sex and language spoken at home, and its branch service area. The census
// files and the patron export are both drawn from it.
//
// What the numbers are based on (U.S. Census Bureau, ACS 2018–2022 5-year estimates, United
// States; rounded):
//  - age (DP05 / B01001): under 5 5.7%, 5–9 6.0%, 10–14 6.5%, 15–19 6.6%, 20–24 6.6%, 25–34
//    13.7%, 35–44 12.9%, 45–54 12.4%, 55–59 6.5%, 60–64 6.4%, 65–74 9.8%, 75–84 4.7%, 85+ 1.9%;
//    men a little over half below 45, a growing minority above (about 36% at 85+);
//  - language spoken at home (C16001, population 5+): English only 78.3%; of those speaking
//    another language, Spanish 61.1%, Chinese 5.1%, Tagalog 2.5% (Census Bureau release of
//    7 December 2023); the smaller groups' shares (Vietnamese 2.3%, Arabic 1.9%, French/Haitian/
//    Cajun 1.9%, Korean 1.6%, Slavic 2.6%, West Germanic 1.3%, other Indo-European 10.5%, other
//    Asian and Pacific Island 5.5%, other 3.7%) are approximate;
//  - poverty (B17001): 12.5% below the poverty level nationally, higher for children and young
//    adults.
// Tracts are given neighbourhood types (mostly English-speaking suburbs, Latino and Vietnamese
// neighbourhoods, mixed tracts, a college area) that tilt these national shares, so the county
// is more diverse than the nation (about a fifth speak Spanish at home), as a metropolitan county
// is.

import {
  allocate,
  DEMO_COUNTY,
  DEMO_COUNTY_NAME,
  DEMO_SEED,
  DEMO_STATE_NAME,
  mulberry32,
  shuffle,
} from "./demo-data.ts";
import { ACS_LANGUAGE_GROUPS, type LanguageGroup } from "./languages.ts";

/** B01001's 23 age rows with national shares (2018–2022 ACS, rounded) and the male share. */
export const AGE_ROWS: readonly {
  label: string;
  lo: number;
  hi: number;
  share: number;
  male: number;
}[] = [
  { label: "Under 5 years", lo: 0, hi: 4, share: 5.7, male: 0.511 },
  { label: "5 to 9 years", lo: 5, hi: 9, share: 6.0, male: 0.511 },
  { label: "10 to 14 years", lo: 10, hi: 14, share: 6.5, male: 0.511 },
  { label: "15 to 17 years", lo: 15, hi: 17, share: 6.6 * 0.6, male: 0.512 },
  { label: "18 and 19 years", lo: 18, hi: 19, share: 6.6 * 0.4, male: 0.512 },
  { label: "20 years", lo: 20, hi: 20, share: 6.6 * 0.2, male: 0.51 },
  { label: "21 years", lo: 21, hi: 21, share: 6.6 * 0.2, male: 0.51 },
  { label: "22 to 24 years", lo: 22, hi: 24, share: 6.6 * 0.6, male: 0.51 },
  { label: "25 to 29 years", lo: 25, hi: 29, share: 13.7 / 2, male: 0.506 },
  { label: "30 to 34 years", lo: 30, hi: 34, share: 13.7 / 2, male: 0.504 },
  { label: "35 to 39 years", lo: 35, hi: 39, share: 12.9 / 2, male: 0.501 },
  { label: "40 to 44 years", lo: 40, hi: 44, share: 12.9 / 2, male: 0.499 },
  { label: "45 to 49 years", lo: 45, hi: 49, share: 12.4 / 2, male: 0.496 },
  { label: "50 to 54 years", lo: 50, hi: 54, share: 12.4 / 2, male: 0.494 },
  { label: "55 to 59 years", lo: 55, hi: 59, share: 6.5, male: 0.49 },
  { label: "60 and 61 years", lo: 60, hi: 61, share: 6.4 * 0.4, male: 0.482 },
  { label: "62 to 64 years", lo: 62, hi: 64, share: 6.4 * 0.6, male: 0.478 },
  { label: "65 and 66 years", lo: 65, hi: 66, share: 9.8 * 0.23, male: 0.472 },
  { label: "67 to 69 years", lo: 67, hi: 69, share: 9.8 * 0.33, male: 0.466 },
  { label: "70 to 74 years", lo: 70, hi: 74, share: 9.8 * 0.44, male: 0.455 },
  { label: "75 to 79 years", lo: 75, hi: 79, share: 4.7 * 0.6, male: 0.44 },
  { label: "80 to 84 years", lo: 80, hi: 84, share: 4.7 * 0.4, male: 0.41 },
  { label: "85 years and over", lo: 85, hi: 96, share: 1.9, male: 0.36 },
];

/** Shares among speakers of a language other than English (2018–2022 ACS, see the header). */
const OTHER_LANGUAGE_SHARES: Record<Exclude<LanguageGroup, "English only">, number> = {
  Spanish: 0.611,
  "French, Haitian, or Cajun": 0.019,
  "German or other West Germanic": 0.013,
  "Russian, Polish, or other Slavic": 0.026,
  "Other Indo-European": 0.105,
  Korean: 0.016,
  "Chinese (incl. Mandarin, Cantonese)": 0.051,
  Vietnamese: 0.023,
  "Tagalog (incl. Filipino)": 0.025,
  "Other Asian and Pacific Island": 0.055,
  Arabic: 0.019,
  "Other and unspecified": 0.037,
};

/** Share of each group's speakers who speak English "very well" (rounded ACS figures). */
const VERY_WELL: Partial<Record<LanguageGroup, number>> = {
  Spanish: 0.61,
  "Chinese (incl. Mandarin, Cantonese)": 0.48,
  Vietnamese: 0.4,
  Korean: 0.48,
  "Tagalog (incl. Filipino)": 0.7,
};

type TractType = "suburb" | "latino" | "vietnamese" | "mixed" | "college";

const TYPE_AGE_TILT: Record<TractType, (lo: number) => number> = {
  suburb: (lo) => (lo >= 65 ? 1.1 : 1),
  latino: (lo) => (lo < 18 ? 1.25 : lo < 45 ? 1.1 : lo >= 65 ? 0.7 : 1),
  vietnamese: (lo) => (lo >= 65 ? 1.1 : 1),
  mixed: () => 1,
  college: (lo) =>
    lo >= 18 && lo < 25
      ? 3
      : lo >= 25 && lo < 30
        ? 1.8
        : lo >= 30 && lo < 35
          ? 1.3
          : lo < 18 || lo >= 65
            ? 0.6
            : 1,
};

function languageMix(type: TractType): Record<LanguageGroup, number> {
  const national = { ...OTHER_LANGUAGE_SHARES };
  const scale = (boosts: Partial<Record<keyof typeof national, number>>) => {
    for (const [k, v] of Object.entries(boosts)) national[k as keyof typeof national] *= v;
  };
  let english = 0.783;
  if (type === "suburb") english = 0.88;
  if (type === "latino") {
    english = 0.45;
    scale({ Spanish: 4.7 });
  }
  if (type === "vietnamese") {
    english = 0.5;
    scale({
      Vietnamese: 60,
      "Chinese (incl. Mandarin, Cantonese)": 6,
      "Tagalog (incl. Filipino)": 8,
      Korean: 8,
      "Other Asian and Pacific Island": 4,
      Spanish: 0.4,
    });
  }
  if (type === "college") {
    english = 0.75;
    scale({ "Chinese (incl. Mandarin, Cantonese)": 3, Korean: 3, "Other Indo-European": 2 });
  }
  const otherTotal = Object.values(national).reduce((s, v) => s + v, 0);
  const mix = { "English only": english } as Record<LanguageGroup, number>;
  for (const [k, v] of Object.entries(national))
    mix[k as LanguageGroup] = ((1 - english) * v) / otherTotal;
  return mix;
}

export interface DemoTract {
  geoid: string;
  name: string;
  type: TractType;
  area: string;
  population: number;
  /** Count per AGE_ROWS row, male and female. */
  male: number[];
  female: number[];
  /** Population 5+ by language group, with "very well" split. */
  language: Record<LanguageGroup, { total: number; veryWell: number }>;
  low: boolean;
}

const TYPES: readonly TractType[] = [
  ...Array<TractType>(14).fill("suburb"),
  ...Array<TractType>(9).fill("latino"),
  ...Array<TractType>(6).fill("vietnamese"),
  ...Array<TractType>(8).fill("mixed"),
  ...Array<TractType>(3).fill("college"),
];

/** Branch service areas: code, name. */
export const DEMO_AREAS = [
  ["CTR", "Central Library service area"],
  ["EST", "Eastside Branch service area"],
  ["WST", "Westside Branch service area"],
  ["NTH", "Northgate Branch service area"],
  ["STH", "Southport Branch service area"],
] as const;

/** Tract numbers ("5.01" style) of the 40 tracts. */
const TRACT_NUMBERS = Array.from({ length: 40 }, (_, i) => {
  const n = i + 1;
  if (n === 5 || n === 6)
    return { code: `0005${n === 5 ? "01" : "02"}`, label: n === 5 ? "5.01" : "5.02" };
  if (n === 21 || n === 22)
    return { code: `0021${n === 21 ? "01" : "02"}`, label: n === 21 ? "21.01" : "21.02" };
  return { code: String(n * 100).padStart(6, "0"), label: String(n) };
});

/** Indexes (0-based) of the tracts with planted low penetration: ordinary mixed/suburban tracts. */
const LOW_TRACT_INDEXES = [9, 31, 36];

export function demoCounty(): DemoTract[] {
  const random = mulberry32(DEMO_SEED);
  const types = shuffle([...TYPES], random);
  // Keep the low-penetration tracts ordinary in composition.
  const ordinary: TractType[] = ["suburb", "mixed", "mixed"];
  LOW_TRACT_INDEXES.forEach((index, k) => {
    const swap = types.findIndex((t, i) => t === ordinary[k] && !LOW_TRACT_INDEXES.includes(i));
    [types[index], types[swap]] = [types[swap] as TractType, types[index] as TractType];
  });
  return TRACT_NUMBERS.map(({ code, label }, i) => {
    const type = types[i] as TractType;
    const population = 2400 + Math.floor(random() * 4200);
    const tilt = TYPE_AGE_TILT[type];
    const weights = AGE_ROWS.map((row) => row.share * tilt(row.lo) * (0.9 + 0.2 * random()));
    const perRow = allocate(population, weights);
    const male = perRow.map((n, r) => Math.round(n * (AGE_ROWS[r]?.male ?? 0.5)));
    const female = perRow.map((n, r) => n - (male[r] ?? 0));
    const fivePlus = population - (perRow[0] ?? 0);
    const mix = languageMix(type);
    const groupWeights = ACS_LANGUAGE_GROUPS.map(
      (g) => mix[g] * (g === "English only" ? 1 : 0.85 + 0.3 * random()),
    );
    const totals = allocate(fivePlus, groupWeights);
    const language = {} as DemoTract["language"];
    ACS_LANGUAGE_GROUPS.forEach((g, k) => {
      const total = totals[k] ?? 0;
      language[g] = { total, veryWell: Math.round(total * (VERY_WELL[g] ?? 0.6)) };
    });
    return {
      geoid: `${DEMO_COUNTY}${code}`,
      name: `Census Tract ${label}; ${DEMO_COUNTY_NAME}; ${DEMO_STATE_NAME}`,
      type,
      area: DEMO_AREAS[Math.floor((i * DEMO_AREAS.length) / 40)]?.[0] ?? "CTR",
      population,
      male,
      female,
      language,
      low: LOW_TRACT_INDEXES.includes(i),
    };
  });
}

export const DEMO_LOW_TRACTS = LOW_TRACT_INDEXES.map(
  (i) => `${DEMO_COUNTY}${TRACT_NUMBERS[i]?.code}`,
);
