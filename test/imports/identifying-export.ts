// A patron export shaped like a real ILS export, with the identifying columns a mapping can
// point at by mistake (name, e-mail, phone, card number, street address, birth date) beside the
// real categories (age group, language, patron type, home branch) and a consortium column of 300
// member libraries. Deterministic: row i always holds the same values.

const FIRST = [
  "Ana",
  "Bao",
  "Carmen",
  "Dmitri",
  "Esther",
  "Farid",
  "Grace",
  "Hiroshi",
  "Imani",
  "José",
  "Kim",
  "Lucia",
  "Mateo",
  "Nadia",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Samir",
  "Thu",
  "Ulises",
  "Vera",
  "Wen",
  "Ximena",
  "Yusuf",
  "Zoe",
  "Adele",
  "Bruno",
  "Chloe",
  "Diego",
  "Elif",
  "Finn",
  "Gita",
  "Hugo",
  "Ines",
  "Jamal",
  "Kenji",
  "Leila",
  "Marco",
  "Nia",
];
const LAST = [
  "Alvarez",
  "Brown",
  "Chen",
  "Duong",
  "Evans",
  "Fischer",
  "Garcia",
  "Haddad",
  "Ito",
  "Johnson",
];
const STREETS = ["Oak", "Mission", "Valencia", "Geary", "Evergreen"];
const SUFFIXES = ["Street", "Avenue", "Blvd", "Terrace"];
const AGE_GROUPS = [
  "Under 5",
  "5 to 9 years",
  "10 to 19 years",
  "20 to 24 years",
  "25 to 34 years",
  "35 to 44 years",
  "45 to 54 years",
  "55 to 64 years",
  "65+",
];
const LANGUAGES = [
  "English",
  "Spanish",
  "Chinese",
  "Vietnamese",
  "Tagalog",
  "Korean",
  "Arabic",
  "",
];
const TYPES = ["Adult", "Juvenile", "Senior", "Student", "Teacher", "Non-resident"];
const BRANCHES = [
  "Main Library",
  "5th Street Branch",
  "Oak Street Branch",
  "Bookmobile",
  "Eastside",
  "Chinatown Branch",
  "Mission Bay",
];

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** `rows` patrons; every name is different up to 4,000 rows. */
export function identifyingExport(rows: number): string {
  const lines = [
    "Patron ID,Name,Email,Phone,Card Number,Street,Birth Date,ZIP,Age Group,Language,Patron Type,Home Branch,Consortium Library,Last Activity,Checkouts",
  ];
  for (let i = 0; i < rows; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}${
      i >= FIRST.length * LAST.length ? `-${LAST[Math.floor(i / 400) % LAST.length]}` : ""
    }`;
    lines.push(
      [
        `P${pad(i, 6)}`,
        name,
        `p${i}@example.org`,
        `(415) 555-${pad(i % 10_000, 4)}`,
        `2123400${pad(i, 7)}`,
        `${100 + i} ${STREETS[i % STREETS.length]} ${SUFFIXES[i % SUFFIXES.length]}`,
        `${1940 + (i % 70)}-${pad(1 + (i % 12), 2)}-${pad(1 + (i % 28), 2)}`,
        `9411${i % 4}`,
        AGE_GROUPS[i % AGE_GROUPS.length],
        LANGUAGES[i % LANGUAGES.length],
        TYPES[i % TYPES.length],
        BRANCHES[i % BRANCHES.length],
        `Member Library ${(i % 300) + 1}`,
        `2023-${pad(1 + (i % 12), 2)}-15`,
        String(i % 40),
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The right mapping of that export. */
export const REAL_MAPPING = {
  geography: { column: "ZIP", kind: "zip" },
  age: { column: "Age Group", as: "range" },
  language: { column: "Language" },
  patronType: { column: "Patron Type" },
  branch: { column: "Home Branch" },
  activity: { column: "Last Activity", as: "date" },
  checkouts: { column: "Checkouts" },
} as const;
