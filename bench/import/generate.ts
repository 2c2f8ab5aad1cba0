// Writes the circulation benchmark's input into a folder (bench/out by default, git-ignored):
// a patron export of N rows in the shape of an ILS export (id, name, birth date, ZIP+4, language,
// patron type, home branch, last activity, checkouts, e-mail; ISO dates), its mapping, and the
// community geographies (ZCTAs, tidy format) the patrons' ZIPs are matched against.
// Seeded, so every run reads the same bytes.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { mulberry32 } from "../../server/imports/demo-data.ts";

export const BENCH_AS_OF = "2024-06-30";
export const BENCH_WINDOW_START = "2023-07-01";
export const ZIP_COUNT = 60;

export interface BenchFiles {
  patrons: string;
  mapping: string;
  community: string;
}

const LANGUAGES: readonly [string, number][] = [
  ["eng", 0.62],
  ["", 0.14],
  ["spa", 0.12],
  ["chi", 0.02],
  ["vie", 0.02],
  ["tgl", 0.01],
  ["kor", 0.01],
  ["ara", 0.01],
  ["rus", 0.01],
  ["hin", 0.01],
  ["fre", 0.01],
  ["jpn", 0.01],
  ["som", 0.01],
];
const TYPES: readonly [string, number][] = [
  ["ADULT", 0.6],
  ["JUVENILE", 0.18],
  ["YOUNG ADULT", 0.08],
  ["SENIOR", 0.12],
  ["STAFF", 0.01],
  ["ILL", 0.01],
];
const BRANCHES = ["CEN", "EAS", "WES", "NOR", "SOU", "RIV", "HIL", "LAK"];
const FIRST = ["Maria", "James", "Linh", "Jose", "Emily", "Wei", "Ana", "David", "Thao", "Michael"];
const LAST = [
  "Garcia",
  "Nguyen",
  "Smith",
  "Hernandez",
  "Tran",
  "Johnson",
  "Lopez",
  "Le",
  "Chen",
  "Kim",
];

function chooser(weights: readonly [string, number][], random: () => number): () => string {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  return () => {
    let x = random() * total;
    for (const [value, w] of weights) {
      x -= w;
      if (x < 0) return value;
    }
    return weights[weights.length - 1]?.[0] ?? "";
  };
}

const zipOf = (i: number) => String(90001 + i * 7).padStart(5, "0");
const pad2 = (n: number) => String(n).padStart(2, "0");

export async function generateBenchFiles(dir: string, rows: number): Promise<BenchFiles> {
  await mkdir(dir, { recursive: true });
  const random = mulberry32(1_000_000 + rows);
  const language = chooser(LANGUAGES, random);
  const type = chooser(TYPES, random);
  const files: BenchFiles = {
    patrons: path.join(dir, `patrons-${rows}.csv`),
    mapping: path.join(dir, "patrons-mapping.json"),
    community: path.join(dir, "zctas.csv"),
  };
  const community = ["geoid,name,kind,dimension,category,count,moe"];
  for (let z = 0; z < ZIP_COUNT; z++)
    community.push(`${zipOf(z)},ZCTA5 ${zipOf(z)},zcta,age,Under 5 years,${300 + z},50`);
  await writeFile(files.community, `${community.join("\n")}\n`);
  await writeFile(
    files.mapping,
    `${JSON.stringify(
      {
        geography: { column: "ZIP", kind: "zip" },
        age: { column: "Birth Date", as: "birthDate" },
        language: { column: "Language" },
        patronType: { column: "Patron Type" },
        branch: { column: "Home Branch" },
        activity: { column: "Last Activity", as: "date" },
        checkouts: { column: "Checkouts" },
        exclude: [{ column: "Patron Type", in: ["STAFF", "ILL"] }],
        activeWithinMonths: 12,
      },
      null,
      2,
    )}\n`,
  );

  const out = createWriteStream(files.patrons);
  out.write(
    "Patron ID,Name,Birth Date,ZIP,Language,Patron Type,Home Branch,Last Activity,Checkouts,Email\n",
  );
  let buffer = "";
  for (let i = 0; i < rows; i++) {
    const birth = `${1925 + Math.floor(random() * 99)}-${pad2(1 + Math.floor(random() * 12))}-${pad2(1 + Math.floor(random() * 28))}`;
    // 3% of patrons live outside the imported ZIPs; 1% have none on file.
    const r = random();
    const zip =
      r < 0.01
        ? ""
        : r < 0.04
          ? zipOf(ZIP_COUNT + Math.floor(random() * 20))
          : zipOf(Math.floor(random() * ZIP_COUNT));
    const plus4 =
      zip && random() < 0.3 ? `-${String(Math.floor(random() * 10000)).padStart(4, "0")}` : "";
    const last =
      random() < 0.1
        ? ""
        : `${2015 + Math.floor(random() * 10) - (random() < 0.5 ? 0 : 1)}-${pad2(1 + Math.floor(random() * 12))}-${pad2(1 + Math.floor(random() * 28))}`;
    const activity = last > BENCH_AS_OF ? `2024-${pad2(1 + Math.floor(random() * 6))}-15` : last;
    const first = FIRST[Math.floor(random() * FIRST.length)] ?? "";
    const family = LAST[Math.floor(random() * LAST.length)] ?? "";
    buffer += `${100000 + i},"${family}, ${first}",${birth},${zip}${plus4},${language()},${type()},${BRANCHES[Math.floor(random() * BRANCHES.length)]},${activity},${Math.floor(-Math.log(1 - random()) * 20)},${first.toLowerCase()}.${family.toLowerCase()}${i}@example.org\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
  return files;
}
