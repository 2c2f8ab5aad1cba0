// Privacy by construction: a patron export full of identities goes in, and none of its ids,
// names, addresses, birth dates or emails can be found anywhere in the database file's bytes
// (the main file and its write-ahead log) afterwards.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { loadMapping } from "../../server/imports/mapping.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { AS_OF, fixture, freshDb, tempDir } from "./helpers.ts";

// Every identifying value in test/fixtures/imports/sierra-patrons.csv, as written there and, for
// birth dates, also as ISO dates (in case a date were stored normalised).
const IDS = [
  "p9876543",
  "p9876550",
  "p9876568",
  "p9876571",
  "p9876592",
  "p9876604",
  "p9876617",
  "p9876623",
];
const NAMES = [
  "ZYXWOLSKI",
  "JANINE",
  "QUIMBLEFORD",
  "NGUYEN-FAIRWEATHER",
  "BLANKENSHIP",
  "OUTERLANDS",
  "BADDATE",
  "KLINGSWORTH",
  "PLACEHOLDER",
];
const ADDRESSES = [
  "742 Evergreen Terrace",
  "31 Spooner Street",
  "1640 Riverside Drive",
  "12 Grimmauld Place",
  "4 Privet Drive",
  "221B Baker Street",
  "9 Qonos Court",
  "1 Nowhere Lane",
];
const BIRTH_DATES = [
  "05-15-1990",
  "1990-05-15",
  "07-04-2016",
  "2016-07-04",
  "12-31-1999",
  "1999-12-31",
  "06-30-1985",
  "1985-06-30",
  "04-15-1988",
  "1988-04-15",
];
const EMAILS = [
  "janine.zyxwolski@example.org",
  "robin.quimbleford@example.org",
  "thao.nf@example.org",
  "ollie.b@example.org",
  "casey.outerlands@example.org",
  "kai.k@example.org",
  "@example.org",
];
const ZIP_PLUS_4 = ["94110-1234"];

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

function databaseBytes(file: string): Buffer {
  const parts = [file, `${file}-wal`, `${file}-journal`].filter((f) => existsSync(f));
  return Buffer.concat(parts.map((f) => readFileSync(f)));
}

describe("a patron export's identities never reach the database", () => {
  it("stores none of the ids, names, addresses, birth dates or emails (searched in the file bytes)", async () => {
    const file = path.join(tempDir(), "opendoor.sqlite");
    db = await freshDb(file);
    await importCommunity(db, { by: commandLine(), file: fixture("community-zcta.csv") });
    const report = await importCirculation(db, {
      by: commandLine(),
      file: fixture("sierra-patrons.csv"),
      mapping: await loadMapping(fixture("sierra-mapping.json")),
      asOf: AS_OF,
    });
    expect(report.rowsAccepted).toBe(7);
    // What is stored is there (the search works on these bytes) …
    const before = databaseBytes(file);
    expect(before.includes("Vietnamese")).toBe(true);
    expect(before.includes("sierra-patrons.csv")).toBe(true);
    // … what identifies a patron is not, in the live file or its log, before or after a checkpoint.
    await db.raw("PRAGMA wal_checkpoint(TRUNCATE)");
    for (const bytes of [before, databaseBytes(file)]) {
      for (const value of [
        ...IDS,
        ...NAMES,
        ...ADDRESSES,
        ...BIRTH_DATES,
        ...EMAILS,
        ...ZIP_PLUS_4,
      ]) {
        expect(bytes.includes(value), `"${value}" found in the database`).toBe(false);
        expect(bytes.includes(value.toLowerCase()), `"${value.toLowerCase()}" found`).toBe(false);
      }
    }
  });

  it("refuses a mis-mapped e-mail column as the language, and stores nothing of it", async () => {
    const file = path.join(tempDir(), "opendoor.sqlite");
    db = await freshDb(file);
    const mapping = await loadMapping(fixture("sierra-mapping.json"));
    // A mapping mistake: the email column named as the language. Its values are never stored
    // (they are not language names), and the import is refused as the wrong column.
    await expect(
      importCirculation(db, {
        by: commandLine(),
        file: fixture("sierra-patrons.csv"),
        mapping: { ...mapping, language: { column: "EMAIL ADDR" } },
        asOf: AS_OF,
      }),
    ).rejects.toThrow(/Column "EMAIL ADDR" \(mapped as language\).*7 of 7 values look like e-mail/);
    expect(await db("imports").count({ n: "*" })).toEqual([{ n: 0 }]);
    await db.raw("PRAGMA wal_checkpoint(TRUNCATE)");
    const bytes = databaseBytes(file);
    for (const email of EMAILS) expect(bytes.includes(email), `"${email}" found`).toBe(false);
  });
});
