// The demo's census files: three ACS tables (B01001 age by sex, C16001 language spoken at home,
// B17001 poverty by age and sex) in data.census.gov's CSV layout, with margins of error from a
// simple model of tract-level ACS margins (about 1.645·√(12·n), and 13 for a zero estimate), and
// the crosswalk of tracts into branch service areas.
import { AGE_ROWS, DEMO_AREAS, type DemoTract } from "./demo-county.ts";
import { DEMO_SEED, mulberry32 } from "./demo-data.ts";
import { ACS_LANGUAGE_GROUPS, type LanguageGroup } from "./languages.ts";

const moeOf = (n: number) => (n === 0 ? 13 : Math.round(1.645 * Math.sqrt(12 * n)));
const csvCell = (value: string | number) => `"${String(value).replace(/"/g, '""')}"`;
const csvLine = (cells: readonly (string | number)[]) => `${cells.map(csvCell).join(",")},\n`;

function acsFile(
  table: string,
  variables: readonly { label: string; value: (t: DemoTract) => number }[],
  tracts: readonly DemoTract[],
): string {
  const header: string[] = ["GEO_ID", "NAME"];
  const labels: string[] = ["Geography", "Geographic Area Name"];
  variables.forEach((v, i) => {
    const id = `${table}_${String(i + 1).padStart(3, "0")}`;
    header.push(`${id}E`, `${id}M`);
    labels.push(`Estimate!!${v.label}`, `Margin of Error!!${v.label}`);
  });
  let out = csvLine(header) + csvLine(labels);
  for (const t of tracts) {
    const cells: (string | number)[] = [`1400000US${t.geoid}`, t.name];
    for (const v of variables) {
      const n = v.value(t);
      cells.push(n, moeOf(n));
    }
    out += csvLine(cells);
  }
  return out;
}

export function b01001(tracts: readonly DemoTract[]): string {
  const sum = (xs: readonly number[]) => xs.reduce((s, n) => s + n, 0);
  const variables: { label: string; value: (t: DemoTract) => number }[] = [
    { label: "Total:", value: (t) => sum(t.male) + sum(t.female) },
    { label: "Total:!!Male:", value: (t) => sum(t.male) },
    ...AGE_ROWS.map((row, r) => ({
      label: `Total:!!Male:!!${row.label}`,
      value: (t: DemoTract) => t.male[r] ?? 0,
    })),
    { label: "Total:!!Female:", value: (t) => sum(t.female) },
    ...AGE_ROWS.map((row, r) => ({
      label: `Total:!!Female:!!${row.label}`,
      value: (t: DemoTract) => t.female[r] ?? 0,
    })),
  ];
  return acsFile("B01001", variables, tracts);
}

const C16001_LABELS: Record<LanguageGroup, string> = {
  "English only": "Speak only English",
  Spanish: "Spanish",
  "French, Haitian, or Cajun": "French, Haitian, or Cajun",
  "German or other West Germanic": "German or other West Germanic languages",
  "Russian, Polish, or other Slavic": "Russian, Polish, or other Slavic languages",
  "Other Indo-European": "Other Indo-European languages",
  Korean: "Korean",
  "Chinese (incl. Mandarin, Cantonese)": "Chinese (incl. Mandarin, Cantonese)",
  Vietnamese: "Vietnamese",
  "Tagalog (incl. Filipino)": "Tagalog (incl. Filipino)",
  "Other Asian and Pacific Island": "Other Asian and Pacific Island languages",
  Arabic: "Arabic",
  "Other and unspecified": "Other and unspecified languages",
};

export function c16001(tracts: readonly DemoTract[]): string {
  const variables: { label: string; value: (t: DemoTract) => number }[] = [
    {
      label: "Total:",
      value: (t) => ACS_LANGUAGE_GROUPS.reduce((s, g) => s + t.language[g].total, 0),
    },
    { label: "Total:!!Speak only English", value: (t) => t.language["English only"].total },
  ];
  for (const g of ACS_LANGUAGE_GROUPS.slice(1)) {
    const label = `Total:!!${C16001_LABELS[g]}:`;
    variables.push(
      { label, value: (t) => t.language[g].total },
      { label: `${label}!!Speak English "very well"`, value: (t) => t.language[g].veryWell },
      {
        label: `${label}!!Speak English less than "very well"`,
        value: (t) => t.language[g].total - t.language[g].veryWell,
      },
    );
  }
  return acsFile("C16001", variables, tracts);
}

/** Share below the poverty level by neighbourhood type. */
const POVERTY_RATE: Record<DemoTract["type"], number> = {
  suburb: 0.06,
  latino: 0.22,
  vietnamese: 0.18,
  mixed: 0.11,
  college: 0.26,
};

const POVERTY_AGES: readonly { label: string; rows: readonly [number, number][] }[] = [
  // [AGE_ROWS index, share of that row]
  { label: "Under 5 years", rows: [[0, 1]] },
  { label: "5 years", rows: [[1, 0.2]] },
  {
    label: "6 to 11 years",
    rows: [
      [1, 0.8],
      [2, 0.4],
    ],
  },
  { label: "12 to 14 years", rows: [[2, 0.6]] },
  { label: "15 years", rows: [[3, 1 / 3]] },
  { label: "16 and 17 years", rows: [[3, 2 / 3]] },
  {
    label: "18 to 24 years",
    rows: [
      [4, 1],
      [5, 1],
      [6, 1],
      [7, 1],
    ],
  },
  {
    label: "25 to 34 years",
    rows: [
      [8, 1],
      [9, 1],
    ],
  },
  {
    label: "35 to 44 years",
    rows: [
      [10, 1],
      [11, 1],
    ],
  },
  {
    label: "45 to 54 years",
    rows: [
      [12, 1],
      [13, 1],
    ],
  },
  {
    label: "55 to 64 years",
    rows: [
      [14, 1],
      [15, 1],
      [16, 1],
    ],
  },
  {
    label: "65 to 74 years",
    rows: [
      [17, 1],
      [18, 1],
      [19, 1],
    ],
  },
  {
    label: "75 years and over",
    rows: [
      [20, 1],
      [21, 1],
      [22, 1],
    ],
  },
];

/** Poverty relative to the tract's rate by age: higher for children and young adults. */
const POVERTY_AGE_FACTOR: Record<string, number> = {
  "Under 5 years": 1.3,
  "5 years": 1.3,
  "6 to 11 years": 1.3,
  "12 to 14 years": 1.3,
  "15 years": 1.3,
  "16 and 17 years": 1.3,
  "18 to 24 years": 1.5,
  "65 to 74 years": 0.8,
  "75 years and over": 0.8,
};

export function b17001(tracts: readonly DemoTract[]): string {
  const random = mulberry32(DEMO_SEED + 17001);
  // cells[tract][sex][age] = [below, above]
  const cells = tracts.map((t) => {
    const rate = POVERTY_RATE[t.type] * (0.75 + 0.5 * random());
    return [t.male, t.female].map((counts) =>
      POVERTY_AGES.map(({ label, rows }) => {
        let universe = Math.round(rows.reduce((s, [r, share]) => s + (counts[r] ?? 0) * share, 0));
        // Students in dormitories are outside the poverty universe.
        if (t.type === "college" && label === "18 to 24 years")
          universe = Math.round(universe * 0.65);
        const factor = POVERTY_AGE_FACTOR[label] ?? 0.9;
        const below = Math.min(universe, Math.round(universe * rate * factor));
        return [below, universe - below] as const;
      }),
    );
  });
  const byIndex = new Map(tracts.map((t, i) => [t.geoid, i]));
  const cell = (t: DemoTract) => cells[byIndex.get(t.geoid) ?? 0] ?? [];
  const sumOf = (t: DemoTract, status: 0 | 1, sex?: 0 | 1) =>
    cell(t)
      .filter((_, s) => sex === undefined || s === sex)
      .reduce((s, ages) => s + ages.reduce((a, pair) => a + pair[status], 0), 0);
  const variables: { label: string; value: (t: DemoTract) => number }[] = [
    { label: "Total:", value: (t) => sumOf(t, 0) + sumOf(t, 1) },
  ];
  const statuses = [
    "Income in the past 12 months below poverty level:",
    "Income in the past 12 months at or above poverty level:",
  ] as const;
  statuses.forEach((status, st) => {
    const s = st as 0 | 1;
    variables.push({ label: `Total:!!${status}`, value: (t) => sumOf(t, s) });
    (["Male:", "Female:"] as const).forEach((sex, sx) => {
      variables.push({
        label: `Total:!!${status}!!${sex}`,
        value: (t) => sumOf(t, s, sx as 0 | 1),
      });
      POVERTY_AGES.forEach(({ label }, a) => {
        variables.push({
          label: `Total:!!${status}!!${sex}!!${label}`,
          value: (t) => cell(t)[sx]?.[a]?.[s] ?? 0,
        });
      });
    });
  });
  return acsFile("B17001", variables, tracts);
}

export function crosswalk(tracts: readonly DemoTract[]): string {
  let out = "from,to,weight,to_name\n";
  const names = new Map<string, string>(DEMO_AREAS.map(([code, name]) => [code, name]));
  tracts.forEach((t, i) => {
    // Two tracts straddle a boundary: 60% in their own area, 40% in the next one.
    if (i === 7 || i === 23) {
      const next =
        DEMO_AREAS[(DEMO_AREAS.findIndex(([c]) => c === t.area) + 1) % DEMO_AREAS.length]?.[0] ??
        "CTR";
      out += `${t.geoid},${t.area},0.6,${names.get(t.area)}\n`;
      out += `${t.geoid},${next},0.4,${names.get(next)}\n`;
    } else {
      out += `${t.geoid},${t.area},1,${names.get(t.area)}\n`;
    }
  });
  return out;
}
