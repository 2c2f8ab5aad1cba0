// Writes the usage-gap benchmark's input into a folder (bench/out/analyze by default, git-ignored):
// census data for 1,000 tracts (tidy format: 19 age bands, 13 ACS language groups, poverty) and a
// patron export of N rows over those tracts with its mapping. The export has the shape of the
// import benchmark's (bench/import/generate.ts: id, name, birth date, geography, language, patron
// type, home branch, last activity, checkouts, e-mail; ISO dates) and the same seeded PRNG; that
// generator spreads patrons over 60 ZIP codes, too few areas for this benchmark, so here the
// geography is a tract id. Tracts differ in size, composition and use (a random factor per tract),
// so the analysis has real work: flags, priority areas, correlations.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { LANGUAGE_GROUPS } from "../../server/analysis/language-group.ts";
import { AGE_BANDS } from "../../server/imports/age-bands.ts";
import { mulberry32 } from "../../server/imports/demo-data.ts";

export const BENCH_AS_OF = "2024-06-30";

export interface AnalyzeBenchFiles {
  community: string;
  patrons: string;
  mapping: string;
}

/** Rough national age shares per band of AGE_BANDS (ACS 2018–2022, rounded). */
const AGE_SHARES = [
  5.7, 6.0, 6.5, 4.0, 2.6, 6.6, 6.9, 6.8, 6.5, 6.4, 6.2, 6.2, 6.5, 6.4, 5.5, 4.3, 2.8, 1.9, 1.9,
];
/** A MARC code an ILS would hold for each ACS language group, in LANGUAGE_GROUPS order. */
const LANGUAGE_CODES = [
  "eng",
  "spa",
  "fre",
  "ger",
  "rus",
  "hin",
  "kor",
  "chi",
  "vie",
  "tgl",
  "jpn",
  "ara",
  "amh",
];
/** National shares of each group among residents 5 and over (English only 78.3%, …). */
const LANGUAGE_SHARES = [78.3, 13.3, 0.4, 0.3, 0.6, 2.3, 0.3, 1.1, 0.5, 0.5, 1.2, 0.4, 0.8];
const TYPES = ["ADULT", "JUVENILE", "YOUNG ADULT", "SENIOR"];
const BRANCHES = ["CEN", "EAS", "WES", "NOR", "SOU", "RIV", "HIL", "LAK"];

export const tractGeoid = (i: number) =>
  `98${String(1 + Math.floor(i / 500)).padStart(3, "0")}${String(((i % 500) + 1) * 100).padStart(6, "0")}`;

const moe = (n: number) => (n === 0 ? 13 : Math.round(1.645 * Math.sqrt(12 * n)));
const pad2 = (n: number) => String(n).padStart(2, "0");

/** Index drawn from cumulative weights (binary search). */
function drawer(weights: readonly number[], random: () => number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (const weight of weights) {
    total += weight;
    cumulative.push(total);
  }
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

interface Tract {
  geoid: string;
  age: number[];
  language: number[];
  below: number;
  /** Relative chance of a resident holding a card. */
  use: number;
}

export async function generateAnalyzeBenchFiles(
  dir: string,
  rows: number,
  areas = 1000,
): Promise<AnalyzeBenchFiles> {
  await mkdir(dir, { recursive: true });
  const random = mulberry32(2_000_000 + rows + areas);
  const files: AnalyzeBenchFiles = {
    community: path.join(dir, `tracts-${areas}.csv`),
    patrons: path.join(dir, `patrons-${rows}-${areas}.csv`),
    mapping: path.join(dir, "patrons-mapping.json"),
  };

  const tracts: Tract[] = [];
  const census = ["geoid,name,kind,dimension,category,count,moe"];
  for (let i = 0; i < areas; i++) {
    const geoid = tractGeoid(i);
    const population = 1500 + Math.floor(random() * 6500);
    const age = AGE_SHARES.map((share) =>
      Math.round((population * share * (0.8 + 0.4 * random())) / 100),
    );
    const fivePlus = age.reduce((sum, n) => sum + n, 0) - (age[0] ?? 0);
    const spanishTilt = random() < 0.2 ? 3 + 2 * random() : 0.5 + random();
    const weights = LANGUAGE_SHARES.map((share, k) =>
      k === 1 ? share * spanishTilt : share * (0.5 + random()),
    );
    const weightTotal = weights.reduce((sum, w) => sum + w, 0);
    const language = weights.map((w) => Math.round((fivePlus * w) / weightTotal));
    const povertyTotal = Math.round(fivePlus * 0.97);
    const below = Math.round(
      povertyTotal * (0.04 + 0.2 * random() + 0.05 * (spanishTilt > 2 ? 1 : 0)),
    );
    tracts.push({ geoid, age, language, below, use: 0.5 + random() });
    const name = `Census Tract ${i + 1}`;
    AGE_BANDS.forEach((band, k) => {
      const n = age[k] ?? 0;
      census.push(`${geoid},${name},tract,age,${band.label},${n},${moe(n)}`);
    });
    LANGUAGE_GROUPS.forEach((group, k) => {
      const n = language[k] ?? 0;
      census.push(`${geoid},${name},tract,language,"${group}",${n},${moe(n)}`);
    });
    census.push(`${geoid},${name},tract,poverty,Below poverty level,${below},${moe(below)}`);
    census.push(
      `${geoid},${name},tract,poverty,At or above poverty level,${povertyTotal - below},${moe(povertyTotal - below)}`,
    );
  }
  await writeFile(files.community, `${census.join("\n")}\n`);
  await writeFile(
    files.mapping,
    `${JSON.stringify(
      {
        geography: { column: "Tract", kind: "tract" },
        age: { column: "Birth Date", as: "birthDate" },
        language: { column: "Language" },
        patronType: { column: "Patron Type" },
        branch: { column: "Home Branch" },
        activity: { column: "Last Activity", as: "date" },
        checkouts: { column: "Checkouts" },
        activeWithinMonths: 12,
      },
      null,
      2,
    )}\n`,
  );

  // Patrons: a tract ∝ population × use; within it, an age band and a language ∝ its residents,
  // with young adults and Spanish speakers holding cards less often (a gap to find).
  const pickTract = drawer(
    tracts.map((t) => t.age.reduce((sum, n) => sum + n, 0) * t.use),
    random,
  );
  const ageDraw = tracts.map((t) =>
    drawer(
      t.age.map((n, k) => n * (k >= 5 && k <= 7 ? 0.6 : 1)),
      random,
    ),
  );
  const languageDraw = tracts.map((t) =>
    drawer(
      t.language.map((n, k) => n * (k === 1 ? 0.6 : 1)),
      random,
    ),
  );
  const out = createWriteStream(files.patrons);
  out.write(
    "Patron ID,Name,Birth Date,Tract,Language,Patron Type,Home Branch,Last Activity,Checkouts,Email\n",
  );
  let buffer = "";
  for (let i = 0; i < rows; i++) {
    const t = pickTract();
    const tract = tracts[t] as Tract;
    const band = AGE_BANDS[(ageDraw[t] as () => number)()] ?? AGE_BANDS[8];
    const span = (band?.hi ?? (band?.lo ?? 30) + 10) - (band?.lo ?? 30) + 1;
    const age = (band?.lo ?? 30) + Math.floor(random() * span);
    // Born so as to be `age` on the as-of date (2024-06-30): before 1 July of (2024 − age).
    const birth = `${2024 - age - 1}-${pad2(7 + Math.floor(random() * 6))}-${pad2(1 + Math.floor(random() * 28))}`;
    const languageCode = random() < 0.12 ? "" : LANGUAGE_CODES[(languageDraw[t] as () => number)()];
    // 3% with no tract on file (the unknown area).
    const geography = random() < 0.03 ? "" : tract.geoid;
    // About 60% active (activity in the 12 months to the as-of date).
    const activity =
      random() < 0.6
        ? `${random() < 0.5 ? "2023-08" : "2024-03"}-${pad2(1 + Math.floor(random() * 28))}`
        : random() < 0.15
          ? ""
          : `${2015 + Math.floor(random() * 8)}-${pad2(1 + Math.floor(random() * 12))}-${pad2(1 + Math.floor(random() * 28))}`;
    const type = age < 13 ? TYPES[1] : age < 18 ? TYPES[2] : age >= 65 ? TYPES[3] : TYPES[0];
    buffer += `${100000 + i},"Patron ${i}",${birth},${geography},${languageCode},${type},${BRANCHES[t % BRANCHES.length]},${activity},${Math.floor(-Math.log(1 - random()) * 20)},patron${i}@example.org\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
  return files;
}
