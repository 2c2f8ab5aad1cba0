// Fuzzing the CSV readers (issue 15, "Proof"): random files (quotes, delimiters, mixed line
// endings, encodings, stray bytes, cut short) fed to every importer. Whatever the bytes, an
// import either succeeds or fails with an InputError that names the file and says what is wrong,
// and a failed import leaves every table as it was.
import { writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { InputError } from "../../server/errors.ts";
import { buildPatronCube, importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { importCrosswalk } from "../../server/imports/crosswalk.ts";
import { parseMapping } from "../../server/imports/mapping.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { AS_OF, freshDb, tempDir, tempFile } from "./helpers.ts";

let db: Db;
const dir = tempDir();

const mapping = parseMapping({
  geography: { column: "ZIP", kind: "zip" },
  language: { column: "Language" },
  patronType: { column: "Type" },
  activity: { column: "Last Activity", as: "date" },
});

beforeAll(async () => {
  db = await freshDb();
  // Data already stored, which no rejected file may change.
  await importCommunity(db, {
    by: commandLine(),
    file: tempFile("seed.csv", "geoid,kind,dimension,category,count\n94110,zcta,tenure,Renter,5\n"),
  });
  await importCrosswalk(db, {
    by: commandLine(),
    file: tempFile("seed-crosswalk.csv", "from,to\n94110,EAST\n"),
  });
  await importCirculation(db, {
    by: commandLine(),
    file: tempFile(
      "seed-patrons.csv",
      "ZIP,Language,Type,Last Activity\n94110,Spanish,ADULT,2024-01-01\n",
    ),
    mapping,
    asOf: AS_OF,
  });
});
afterAll(async () => {
  await db.destroy();
});

async function snapshot(): Promise<unknown[]> {
  const tables = ["imports", "geographies", "community_population", "crosswalk", "patron_counts"];
  return Promise.all(tables.map((table) => db(table).select()));
}

/** Each importer's columns, with values it accepts in each. */
const KINDS = {
  community: {
    header: ["geoid", "kind", "dimension", "category", "count"],
    values: [
      ["N01", "N02", "N03"],
      ["custom", ""],
      ["tenure", "origin"],
      ["Renter", "Owner", "Español"],
      ["5", "12", "1,200"],
    ],
  },
  crosswalk: {
    header: ["from", "to", "weight"],
    values: [
      ["94110", "94111", "06075010101"],
      ["EAST", "WEST"],
      ["1", "0.5", ""],
    ],
  },
  circulation: {
    header: ["ZIP", "Language", "Type", "Last Activity"],
    values: [
      ["94110", "94112-1234", ""],
      ["Spanish", "Español", "English", ""],
      ["ADULT", "CHILD"],
      ["2024-01-01", "2023-12-31", ""],
    ],
  },
};
type Kind = keyof typeof KINDS;

/** What breaks CSV readers: quotes, delimiters, line breaks, other scripts, control characters. */
const tricky = fc.oneof(
  fc.constantFrom(
    '"',
    '""',
    '"quoted"',
    'a"b',
    ",",
    ";",
    "\t",
    "\r\n",
    "\n",
    "\r",
    "中文",
    "\u0000",
  ),
  fc.string({ maxLength: 6 }),
);

/** A value the column accepts, mostly; sometimes something tricky. */
const cellOf = (values: string[]) =>
  fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: tricky });

/** A file for an importer: its header (mostly) and rows (mostly as wide as the header), joined by
 * a delimiter (mostly a comma) and line breaks of every kind. */
const csvFile = (kind: Kind) => {
  const { header, values } = KINDS[kind];
  const row = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(...values.map(cellOf)) },
    { weight: 1, arbitrary: fc.array(tricky, { maxLength: 8 }) },
  );
  return fc
    .record({
      header: fc.oneof(
        { weight: 6, arbitrary: fc.constant(header) },
        {
          weight: 1,
          arbitrary: fc.array(fc.oneof(tricky, fc.constantFrom(...header)), { maxLength: 5 }),
        },
      ),
      rows: fc.array(row, { maxLength: 12 }),
      delimiter: fc.constantFrom(",", ",", ",", ";", "\t"),
      breaks: fc.array(fc.constantFrom("\r\n", "\n", "\r"), { minLength: 1, maxLength: 4 }),
      quoteAll: fc.boolean(),
    })
    .map(({ header, rows, delimiter, breaks, quoteAll }) =>
      [header, ...rows]
        .map((cells, i) => {
          const fields = cells.map((c) => (quoteAll ? `"${c.replace(/"/g, '""')}"` : c));
          return fields.join(delimiter) + breaks[i % breaks.length];
        })
        .join(""),
    );
};

/** Bytes of the file: in an encoding, maybe with a stray byte, maybe cut short. */
const fileBytes = (kind: Kind) =>
  fc
    .record({
      text: csvFile(kind),
      encoding: fc.constantFrom("utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252"),
      stray: fc.option(fc.tuple(fc.nat(), fc.constantFrom(0x80, 0xc3, 0xe9, 0xff)), {
        nil: null,
        freq: 4,
      }),
      cut: fc.option(fc.nat(), { nil: null, freq: 4 }),
    })
    .map(({ text, encoding, stray, cut }) => {
      let bytes =
        encoding === "utf-8"
          ? Buffer.from(text)
          : encoding === "utf-8-bom"
            ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
            : iconv.encode(text, encoding, { addBOM: encoding.startsWith("utf-16") });
      if (stray) {
        const at = stray[0] % (bytes.length + 1);
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([stray[1]]), bytes.subarray(at)]);
      }
      if (cut !== null) bytes = bytes.subarray(0, cut % (bytes.length + 1));
      return bytes;
    });

/** What a person may say about the file: nothing, or an encoding and a delimiter (right or wrong). */
const readOptions = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        encoding: fc.constantFrom("utf-8", "windows-1252", "utf-16le", "latin1"),
        delimiter: fc.constantFrom(",", ";", "tab"),
      },
      { requiredKeys: [] },
    ),
  },
);

type Importer = (
  file: string,
  options: { encoding?: string; delimiter?: string },
) => Promise<unknown>;
const IMPORTERS: [Kind, Importer][] = [
  ["community", (file, options) => importCommunity(db, { by: commandLine(), ...options, file })],
  ["crosswalk", (file, options) => importCrosswalk(db, { by: commandLine(), ...options, file })],
  [
    "circulation",
    (file, options) =>
      importCirculation(db, { by: commandLine(), ...options, file, mapping, asOf: AS_OF }),
  ],
];

let counter = 0;
const SEED = Number(process.env.FUZZ_SEED ?? 15);

describe("fuzzing the CSV readers", () => {
  for (const [kind, run] of IMPORTERS) {
    it(`${kind}: any file is imported or refused with an error that names the file and the problem, and a refusal changes nothing`, async () => {
      let refused = 0;
      let imported = 0;
      await fc.assert(
        fc.asyncProperty(fileBytes(kind), readOptions, async (bytes, options) => {
          const file = path.join(dir, `fuzz-${kind}-${counter++}.csv`);
          writeFileSync(file, bytes);
          const before = await snapshot();
          let error: unknown = null;
          try {
            await run(file, options);
          } catch (e) {
            error = e;
          }
          if (error === null) {
            imported++;
            return;
          }
          refused++;
          // Only bad input, never a crash (a TypeError, a RangeError, a database error).
          expect(error, String(error)).toBeInstanceOf(InputError);
          const input = error as InputError;
          expect(input.where.file).toBe(file);
          expect(input.message.startsWith(file)).toBe(true);
          expect(input.detail.length).toBeGreaterThan(10);
          expect(input.message).not.toMatch(/undefined|\[object Object\]|NaN/);
          if (input.where.line !== undefined) expect(input.where.line).toBeGreaterThanOrEqual(1);
          expect(await snapshot()).toEqual(before);
        }),
        // Seeded so that a run is reproducible; FUZZ_SEED=… explores other files.
        { numRuns: 150, seed: SEED },
      );
      // The generator makes good and bad files often enough for both paths to be tested.
      expect(refused).toBeGreaterThan(20);
      expect(imported).toBeGreaterThan(5);
    }, 120_000);
  }
});

describe("fuzzing the patron reader in parts on worker threads", () => {
  it("gives the single pass's cube, or its error with the same line, column and field", async () => {
    const options = { mapping, asOf: AS_OF, knownGeoids: null };
    // Files of some size (parts need room), with a stray byte or quote anywhere.
    const bigFile = fc
      .record({
        rows: fc.array(fc.tuple(...KINDS.circulation.values.map(cellOf)), {
          minLength: 200,
          maxLength: 400,
        }),
        breaks: fc.array(fc.constantFrom("\r\n", "\n", "\r"), { minLength: 1, maxLength: 3 }),
        encoding: fc.constantFrom("utf-8", "windows-1252"),
      })
      .map(({ rows, breaks, encoding }) => {
        const lines = [KINDS.circulation.header, ...rows].map(
          (cells, i) => cells.join(",") + breaks[i % breaks.length],
        );
        return iconv.encode(lines.join(""), encoding);
      });
    await fc.assert(
      fc.asyncProperty(bigFile, async (bytes) => {
        const file = path.join(dir, `fuzz-parts-${counter++}.csv`);
        writeFileSync(file, bytes);
        const outcome = (promise: Promise<{ cells: unknown[]; rowsRead: number }>) =>
          promise.then(
            (result) => ({
              cells: result.cells.map((c) => JSON.stringify(c)).sort(),
              rows: result.rowsRead,
            }),
            (error: unknown) => {
              expect(error, String(error)).toBeInstanceOf(InputError);
              return { where: (error as InputError).where, detail: (error as InputError).detail };
            },
          );
        const single = await outcome(buildPatronCube(file, { ...options, parts: 1 }));
        const parts = await outcome(
          buildPatronCube(file, { ...options, parts: 2, parallelFromBytes: 0 }),
        );
        expect(parts).toEqual(single);
      }),
      { numRuns: 6, seed: SEED },
    );
  }, 120_000);
});
