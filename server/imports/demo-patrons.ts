// The demo's Sierra-style patron export: the county's residents who hold a card, active or not, in
// the proportions the planted gaps set (DEMO_WEIGHTS), plus non-resident cards, accounts with no
// census tract, and staff, institutional and interlibrary-loan accounts the mapping excludes. Names,
// addresses and e-mail addresses are made up, as identifying columns the import must never read;
// a few rows carry the faults real exports have (a mistyped date, a 1900 placeholder birth date).
import { AGE_BANDS } from "./age-bands.ts";
import { ageOn, type CalendarDate, windowStart } from "./dates.ts";
import { AGE_ROWS, type DemoTract } from "./demo-county.ts";
import {
  allocate,
  DEMO_AS_OF,
  DEMO_SEED,
  DEMO_WEIGHTS,
  mulberry32,
  pick,
  shuffle,
} from "./demo-data.ts";
import { ACS_LANGUAGE_GROUPS, type LanguageGroup } from "./languages.ts";

const FIRST = [
  "Maria",
  "James",
  "Linh",
  "Jose",
  "Emily",
  "Wei",
  "Ana",
  "David",
  "Thao",
  "Michael",
  "Sofia",
  "Minh",
  "Sarah",
  "Luis",
  "Grace",
  "Daniel",
  "Mei",
  "Carmen",
  "Robert",
  "Aisha",
  "Juan",
  "Hana",
  "Kevin",
  "Rosa",
  "Omar",
  "Lily",
  "Anh",
  "Chris",
  "Elena",
  "Joseph",
];
const LAST = [
  "Garcia",
  "Nguyen",
  "Smith",
  "Hernandez",
  "Tran",
  "Johnson",
  "Lopez",
  "Le",
  "Williams",
  "Martinez",
  "Pham",
  "Brown",
  "Gonzalez",
  "Chen",
  "Davis",
  "Rodriguez",
  "Kim",
  "Wilson",
  "Santos",
  "Lee",
  "Miller",
  "Reyes",
  "Huynh",
  "Taylor",
  "Flores",
  "Wang",
  "Anderson",
  "Cruz",
  "Park",
  "Thomas",
];
const STREETS = [
  "Oak St",
  "River Rd",
  "Maple Ave",
  "Mission Blvd",
  "Cedar Ln",
  "Hillside Dr",
  "Park Ave",
  "Elm St",
  "Lakeview Ct",
  "Main St",
];

/** MARC language codes an ILS's language field would hold, per group. */
const LANGUAGE_CODES: Record<LanguageGroup, readonly string[]> = {
  "English only": ["eng"],
  Spanish: ["spa"],
  "French, Haitian, or Cajun": ["fre", "hat"],
  "German or other West Germanic": ["ger"],
  "Russian, Polish, or other Slavic": ["rus", "pol", "ukr"],
  "Other Indo-European": ["hin", "por", "per", "guj"],
  Korean: ["kor"],
  "Chinese (incl. Mandarin, Cantonese)": ["chi"],
  Vietnamese: ["vie"],
  "Tagalog (incl. Filipino)": ["tgl"],
  "Other Asian and Pacific Island": ["jpn", "hmn", "khm"],
  Arabic: ["ara"],
  "Other and unspecified": ["amh", "som", "heb"],
};

const BRANCH_CODES: Record<string, string> = {
  CTR: "ctr",
  EST: "est",
  WST: "wst",
  NTH: "nth",
  STH: "sth",
};

const pad2 = (n: number) => String(n).padStart(2, "0");
/** Sierra writes dates MM-DD-YYYY, and "  -  -    " when there is none. */
const sierraDate = (d: CalendarDate | null) =>
  d ? `${pad2(d.month)}-${pad2(d.day)}-${d.year}` : "  -  -    ";

function dateFromDay(day: number): CalendarDate {
  const d = new Date(day * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
const dayOf = (d: CalendarDate) => Math.floor(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);

interface Patron {
  tract: DemoTract | null;
  geography: string;
  ageRow: number;
  language: LanguageGroup | null;
  active: boolean;
  type: string;
}

function agePatronType(age: number): string {
  if (age < 13) return "1";
  if (age < 18) return "2";
  if (age >= 65) return "3";
  return "0";
}

/** Integer counts per category ∝ population × weight, adding up to `total`. */
function weighted(
  total: number,
  populations: readonly number[],
  weights: readonly number[],
): number[] {
  return allocate(
    total,
    populations.map((p, i) => p * (weights[i] ?? 1)),
  );
}

function patronsOfTract(t: DemoTract, active: boolean, n: number, random: () => number): Patron[] {
  const ageWeights = AGE_ROWS.map(
    (row) =>
      DEMO_WEIGHTS.age[
        AGE_BANDS.find((b) => row.lo >= b.lo && (b.hi === null || row.lo <= b.hi))?.label ?? ""
      ] ?? 1,
  );
  const ages = weighted(
    n,
    AGE_ROWS.map((_, r) => (t.male[r] ?? 0) + (t.female[r] ?? 0)),
    ageWeights,
  );
  const languages = weighted(
    n,
    ACS_LANGUAGE_GROUPS.map((g) => t.language[g].total),
    ACS_LANGUAGE_GROUPS.map((g) => DEMO_WEIGHTS.language[g] ?? 1),
  );
  const ageList = shuffle(
    ages.flatMap((count, r) => Array<number>(count).fill(r)),
    random,
  );
  const languageList = shuffle(
    languages.flatMap((count, k) =>
      Array<LanguageGroup>(count).fill(ACS_LANGUAGE_GROUPS[k] as LanguageGroup),
    ),
    random,
  );
  return ageList.map((ageRow, k) => ({
    tract: t,
    geography: t.geoid,
    ageRow,
    language: languageList[k] ?? null,
    active,
    type: "",
  }));
}

export function patronExport(tracts: readonly DemoTract[]): string {
  const random = mulberry32(DEMO_SEED + 1);
  const asOf = DEMO_AS_OF;
  const windowFrom = windowStart(asOf, 12);
  const asOfDay = dayOf(asOf);
  const windowDay = dayOf(windowFrom);
  const patrons: Patron[] = [];
  for (const t of tracts) {
    const active = Math.round(
      t.population * DEMO_WEIGHTS.activeRate * (t.low ? DEMO_WEIGHTS.lowTractFactor : 1),
    );
    const registered = Math.round(active * DEMO_WEIGHTS.registeredPerActive);
    patrons.push(...patronsOfTract(t, true, active, random));
    patrons.push(...patronsOfTract(t, false, registered - active, random));
  }
  // Patrons living outside the county (non-resident cards) or with no census tract on file: drawn
  // from the county's own patrons' mix, so they do not change any group's share.
  const county = [...patrons];
  const outside = Math.round(county.length * 0.03);
  for (let i = 0; i < outside; i++) {
    const like = pick(county, random);
    const blank = i % 3 === 0;
    patrons.push({
      ...like,
      tract: null,
      geography: blank
        ? ""
        : `99003${String(100 + Math.floor(random() * 40) * 100).padStart(6, "0")}`,
      type: "10",
    });
  }
  // Staff, institutional and interlibrary-loan accounts, excluded by the mapping.
  const special = [
    ...Array<string>(140).fill("15"),
    ...Array<string>(25).fill("20"),
    ...Array<string>(18).fill("30"),
  ];
  for (const type of special) patrons.push({ ...pick(county, random), type });
  shuffle(patrons, random);

  const header = [
    "RECORD #(PATRON)",
    "P TYPE",
    "HOME LIBR",
    "PATRN NAME",
    "ADDRESS",
    "ZIP",
    "CENSUS",
    "BIRTH DATE",
    "LANG PREF",
    "CREATED",
    "CIRCACTIVE",
    "TOT CHKOUT",
    "EMAIL ADDR",
  ];
  let out = `${header.map((h) => `"${h}"`).join(",")}\n`;
  const zipOf = (t: DemoTract | null) =>
    t ? `0010${(Number(t.geoid.slice(-4, -2)) % 5) + 1}` : "00299";
  patrons.forEach((p, index) => {
    const row = AGE_ROWS[p.ageRow] ?? AGE_ROWS[10];
    const age = (row?.lo ?? 30) + Math.floor(random() * ((row?.hi ?? 30) - (row?.lo ?? 30) + 1));
    // A birth date that makes the patron `age` on the as-of date.
    const birthYear = asOf.year - age - 1;
    const birthStart = dayOf({ year: birthYear, month: asOf.month, day: asOf.day }) + 1;
    let birth = dateFromDay(birthStart + Math.floor(random() * 365));
    if (ageOn(birth, asOf) !== age) birth = dateFromDay(birthStart + 1);
    const activeDay = p.active
      ? windowDay + Math.floor(random() * (asOfDay - windowDay + 1))
      : random() < 0.2
        ? null
        : windowDay - 1 - Math.floor(random() * 365 * 8);
    const firstDay = Math.min(activeDay ?? windowDay - 1, windowDay - 1);
    const created =
      p.active && random() < 0.12
        ? dateFromDay(windowDay + Math.floor(random() * (asOfDay - windowDay + 1)))
        : dateFromDay(firstDay - Math.floor(random() * 365 * 10));
    const lastActive = activeDay === null ? null : dateFromDay(Math.max(activeDay, dayOf(created)));
    const checkouts = p.active
      ? Math.floor(-Math.log(1 - random()) * 28) + 1
      : Math.floor(random() * 12);
    const type = p.type || agePatronType(age);
    const branch =
      p.tract && random() < 0.8
        ? BRANCH_CODES[p.tract.area]
        : pick(Object.values(BRANCH_CODES), random);
    const languageCode =
      p.language === null || random() < 0.12 ? "" : pick(LANGUAGE_CODES[p.language], random);
    const first = pick(FIRST, random);
    const last = pick(LAST, random);
    let birthText = sierraDate(birth);
    let activeText = sierraDate(lastActive);
    // A few rows as real exports have them: a mistyped date, a 1900 placeholder birth date.
    if (index % 997 === 13) birthText = `13-${pad2(birth.day)}-${birth.year}`;
    if (index % 1499 === 7) activeText = "02-30-2024";
    if (index % 1201 === 5) birthText = "01-01-1900";
    const cells = [
      `p${String(1_000_000 + index * 7).padStart(7, "0")}`,
      type,
      branch ?? "ctr",
      `${last.toUpperCase()}, ${first.toUpperCase()}`,
      `${100 + Math.floor(random() * 9800)} ${pick(STREETS, random)}`,
      p.tract ? zipOf(p.tract) : p.geography ? "00299" : "",
      p.geography,
      birthText,
      languageCode,
      sierraDate(created),
      activeText,
      String(checkouts),
      `${first.toLowerCase()}.${last.toLowerCase()}${index % 100}@example.org`,
    ];
    out += `${cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",")}\n`;
  });
  return out;
}
