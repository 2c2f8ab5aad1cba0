// Reading real-world files (issue 15, "Files"): mixed line endings, encodings, delimiters, quotes
// and the shapes of a broken file. Each test feeds the exact bytes and counts what was read; each
// refusal names file, line, column and field, and leaves the database as it was.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { InputError } from "../../server/errors.ts";
import { buildPatronCube, importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { importCrosswalk } from "../../server/imports/crosswalk.ts";
import { loadMapping, parseMapping } from "../../server/imports/mapping.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { AS_OF, fixture, freshDb, tempDir, tempFile } from "./helpers.ts";

let db: Db;
beforeEach(async () => {
  db = await freshDb();
});
afterEach(async () => {
  await db.destroy();
});

/** Joins lines with line breaks that cycle through CRLF, LF and CR (files edited or concatenated). */
const mixed = (lines: readonly string[]) =>
  lines.map((line, i) => line + ["\r\n", "\n", "\r"][i % 3]).join("");

/** Writes bytes to a file named `name` in a new temporary folder. */
const bytesFile = (name: string, bytes: Buffer) => {
  const file = path.join(tempDir(), name);
  writeFileSync(file, bytes);
  return file;
};

/** Rows of every table an import writes to, to show a refused import changed nothing. */
async function snapshot(): Promise<unknown[]> {
  const tables = ["imports", "geographies", "community_population", "crosswalk", "patron_counts"];
  return Promise.all(tables.map((table) => db(table).select()));
}

const patronMapping = parseMapping({
  geography: { column: "ZIP", kind: "zip" },
  language: { column: "Language" },
  patronType: { column: "Type" },
  activity: { column: "Last Activity", as: "date" },
});

/** A patron export of `n` rows (its header first), every 7th with a two-line quoted note. */
function patronLines(n: number, language = (i: number) => ["Spanish", "English", ""][i % 3]) {
  const lines = ["ID,ZIP,Language,Type,Note,Last Activity"];
  for (let i = 0; i < n; i++) {
    const note = i % 7 === 0 ? `"first line\nsecond, with a comma"` : `"note ${i}"`;
    lines.push(
      `${i},9411${i % 3},${language(i)},${["ADULT", "CHILD"][i % 2]},${note},2024-0${1 + (i % 3)}-01`,
    );
  }
  return lines;
}

describe("mixed line endings (the bug: rows after a change of line ending were merged or lost)", () => {
  it("reads every row of a tidy community CSV", async () => {
    const lines = ["geoid,name,kind,dimension,category,count"];
    for (let i = 0; i < 30; i++) lines.push(`N${i},Area ${i},custom,tenure,Renter,${i + 1}`);
    const report = await importCommunity(db, {
      by: commandLine(),
      file: tempFile("tidy.csv", mixed(lines)),
    });
    expect(report.rowsRead).toBe(30);
    expect(report.rowsAccepted).toBe(30);
    expect(await db("community_population").count({ n: "*" })).toEqual([{ n: 30 }]);
  });

  it("reads every row of an ACS table as downloaded from data.census.gov", async () => {
    const name = "ACSDT5Y2022.B01001-Data.csv";
    const original = readFileSync(fixture(name), "utf8");
    const lines = original.split(/\r?\n/).filter((line) => line !== "");
    const expected = await importCommunity(await freshDb(), {
      by: commandLine(),
      file: fixture(name),
    });
    const report = await importCommunity(db, {
      by: commandLine(),
      file: tempFile(name, mixed(lines)),
    });
    expect(lines.length).toBe(6); // header, label row, 4 geographies
    expect(report.rowsRead).toBe(4);
    expect(report.rowsAccepted).toBe(expected.rowsAccepted);
    expect(report.details.rowsStored).toBe(expected.details.rowsStored);
  });

  it("reads every row of a crosswalk", async () => {
    const lines = ["from,to,weight"];
    for (let i = 0; i < 25; i++) lines.push(`060750${String(i).padStart(5, "0")},AREA${i % 4},1`);
    const report = await importCrosswalk(db, {
      by: commandLine(),
      file: tempFile("crosswalk.csv", mixed(lines)),
    });
    expect(report.rowsRead).toBe(25);
    expect(report.rowsAccepted).toBe(25);
  });

  it("reads every row of a patron export, in one pass and in parts on worker threads", async () => {
    const lines = patronLines(3000);
    // A bad date on the last row: its line number must be the file's in both readings.
    lines[lines.length - 1] = (lines.at(-1) as string).replace(/2024-0\d-01$/, "2024-13-45");
    const file = tempFile("patrons.csv", mixed(lines));
    const options = { mapping: patronMapping, asOf: AS_OF, knownGeoids: null };
    const single = await buildPatronCube(file, { ...options, parts: 1 });
    const parallel = await buildPatronCube(file, { ...options, parts: 3, parallelFromBytes: 0 });
    expect(single.rowsRead).toBe(3000);
    expect(parallel.rowsRead).toBe(3000);
    // Header, 3,000 rows, and the second lines of the 429 two-line notes (every 7th row).
    const lastLine = 1 + 3000 + Math.ceil(3000 / 7);
    expect(single.rejections.reasons["bad activity date"]?.lines).toEqual([lastLine]);
    expect(parallel.rejections.reasons).toEqual(single.rejections.reasons);
  }, 60_000);
});

describe("encodings (the bug: Latin-1 'Español' was stored as 'Espa\\uFFFDol')", () => {
  const text = [
    "geoid,name,kind,dimension,category,count",
    "N01,Año Nuevo,custom,origin,Español,10",
    "N02,Château,custom,origin,Français,20",
    "N03,Plain,custom,origin,English,30",
  ].join("\r\n");
  const categories = async () =>
    (await db("community_population").select("category").orderBy("category")).map(
      (r: { category: string }) => r.category,
    );

  it.each([
    ["utf-8", Buffer.from(text), "utf-8 (detected)"],
    [
      "utf-8 with a BOM",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      "utf-8 with byte-order mark (detected)",
    ],
    [
      "utf-16le with a BOM",
      iconv.encode(text, "utf-16le", { addBOM: true }),
      "utf-16le with byte-order mark (detected)",
    ],
    [
      "utf-16be with a BOM",
      iconv.encode(text, "utf-16be", { addBOM: true }),
      "utf-16be with byte-order mark (detected)",
    ],
    ["windows-1252", iconv.encode(text, "windows-1252"), "windows-1252 (detected)"],
  ])("reads %s and says which encoding it used", async (_name, bytes, used) => {
    const report = await importCommunity(db, {
      by: commandLine(),
      file: bytesFile("origins.csv", bytes),
    });
    expect(report.rowsAccepted).toBe(3);
    expect(report.details.encoding).toBe(used);
    expect(await categories()).toEqual(["English", "Español", "Français"]);
    const names = await db("geographies").select("name").orderBy("geoid");
    expect(names.map((r: { name: string }) => r.name)).toEqual(["Año Nuevo", "Château", "Plain"]);
  });

  it("reads a plain ASCII file as UTF-8", async () => {
    const ascii = "geoid,dimension,category,count\nN01,tenure,Renter,5\n";
    const report = await importCommunity(db, {
      by: commandLine(),
      file: tempFile("ascii.csv", ascii),
    });
    expect(report.details.encoding).toBe("utf-8 (detected)");
  });

  it("imports Latin-1 as Windows-1252 when that is given, and says it was given", async () => {
    const file = bytesFile("origins.csv", iconv.encode(text, "latin1"));
    const report = await importCommunity(db, { by: commandLine(), file, encoding: "latin1" });
    expect(report.details.encoding).toBe("windows-1252 (given)");
    expect(await categories()).toEqual(["English", "Español", "Français"]);
  });

  it("refuses Latin-1 given as UTF-8, naming the first bad line and its field, and stores nothing", async () => {
    const file = bytesFile("origins.csv", iconv.encode(text, "latin1"));
    const before = await snapshot();
    const error = await importCommunity(db, { by: commandLine(), file, encoding: "utf-8" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    // "Año Nuevo" on line 2 holds the first byte that is not UTF-8 (ñ = 0xF1), in field 2.
    expect((error as InputError).where).toEqual({ file, line: 2, column: 2, field: "name" });
    expect((error as InputError).message).toMatch(/not valid UTF-8 \(byte 0xF1 after "A"\)/);
    expect(await snapshot()).toEqual(before);
  });

  it("checks UTF-8 while streaming: a bad byte past the detection sample names its line", async () => {
    // 5,000 ASCII rows (about 200 KB, past the 64 KB sample that detects UTF-8), then Latin-1.
    const lines = patronLines(5000, () => "English");
    const bad = lines.length;
    const body = Buffer.concat([
      Buffer.from(`${lines.join("\n")}\n`),
      iconv.encode("5000,94110,Español,ADULT,last,2024-01-01\n", "latin1"),
    ]);
    const file = bytesFile("patrons.csv", body);
    const before = await snapshot();
    const error = await importCirculation(db, {
      by: commandLine(),
      file,
      mapping: patronMapping,
      asOf: AS_OF,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    // Its line: the header, the rows before it and the 715 second lines of two-line notes.
    expect((error as InputError).where).toMatchObject({
      file,
      line: bad + 1 + Math.ceil(5000 / 7),
      column: 3,
      field: "Language",
    });
    expect(String(error)).toMatch(/looked like UTF-8 but this line is not/);
    expect(await snapshot()).toEqual(before);
    // Read in parts on worker threads, the bad byte is in the last part: same line, same field.
    const parallel = await buildPatronCube(file, {
      mapping: patronMapping,
      asOf: AS_OF,
      knownGeoids: null,
      parts: 3,
      parallelFromBytes: 0,
    }).catch((e: unknown) => e);
    expect((parallel as InputError).where).toEqual((error as InputError).where);
  }, 60_000);

  it("reads a Windows-1252 patron export alike in one pass and in parts", async () => {
    const lines = patronLines(2000, (i) => ["Español", "Français", "English"][i % 3] as string);
    const file = bytesFile("patrons.csv", iconv.encode(mixed(lines), "windows-1252"));
    const utf8 = tempFile("patrons-utf8.csv", mixed(lines));
    const options = { mapping: patronMapping, asOf: AS_OF, knownGeoids: null };
    const single = await buildPatronCube(file, { ...options, parts: 1 });
    const parallel = await buildPatronCube(file, { ...options, parts: 2, parallelFromBytes: 0 });
    const reference = await buildPatronCube(utf8, { ...options, parts: 1 });
    expect(single.rowsRead).toBe(2000);
    // Every language recognised ("Espa\uFFFDol" would be an unknown category).
    expect(single.unknownCategories.language).toBeUndefined();
    const cells = (result: typeof single) => result.cells.map((c) => JSON.stringify(c)).sort();
    expect(cells(single)).toEqual(cells(reference));
    expect(cells(parallel)).toEqual(cells(reference));
  }, 60_000);

  it("refuses an encoding given that contradicts the file's byte-order mark", async () => {
    const file = bytesFile("origins.csv", iconv.encode(text, "utf-16le", { addBOM: true }));
    const before = await snapshot();
    await expect(
      importCommunity(db, { by: commandLine(), file, encoding: "windows-1252" }),
    ).rejects.toThrow(
      `${file}: the file starts with the byte-order mark of utf-16le, but windows-1252 was given`,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an encoding it does not know, naming it", async () => {
    const file = tempFile("t.csv", "geoid,dimension,category,count\nN01,tenure,Renter,5\n");
    await expect(
      importCommunity(db, { by: commandLine(), file, encoding: "klingon-8" }),
    ).rejects.toThrow(/unknown encoding "klingon-8"/);
  });
});

describe("quotes", () => {
  it("names the line where an unclosed quoted field starts, with its column and field", async () => {
    const lines = [
      "geoid,name,kind,dimension,category,count",
      "N01,North,custom,tenure,Renter,10",
      'N02,"South,custom,tenure,Renter,20',
      "N03,East,custom,tenure,Renter,30",
      "N04,West,custom,tenure,Renter,40",
    ];
    const file = tempFile("open-quote.csv", `${lines.join("\r\n")}\r\n`);
    const error = await importCommunity(db, { by: commandLine(), file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where).toEqual({ file, line: 3, column: 2, field: "name" });
    expect((error as InputError).message).toMatch(/quoted field starts here and is never closed/);
  });

  it("names the line, column and field of a quote in the middle of a field", async () => {
    const text = 'from,to,weight\n06075010101,EAST,1\n06075010102,NO"RTH,1\n';
    const file = tempFile("crosswalk.csv", text);
    await expect(importCrosswalk(db, { by: commandLine(), file })).rejects.toMatchObject({
      where: { file, line: 3, column: 2, field: "to" },
    });
  });

  it("names the start line of an unclosed quote in a patron export", async () => {
    const lines = patronLines(100);
    lines[41] = (lines[41] as string).replace('"note 40"', '"note 40');
    const file = tempFile("patrons.csv", lines.join("\n"));
    const error = await importCirculation(db, {
      by: commandLine(),
      file,
      mapping: patronMapping,
      asOf: AS_OF,
    }).catch((e: unknown) => e);
    // Row 40 starts on line 2 + 40 + the 6 two-line notes before it (rows 0, 7, …, 35).
    expect((error as InputError).where).toEqual({ file, line: 48, column: 5, field: "Note" });
  });
});

describe("file shapes", () => {
  it.each([
    ["a community file", (file: string) => importCommunity(db, { by: commandLine(), file })],
    ["a crosswalk", (file: string) => importCrosswalk(db, { by: commandLine(), file })],
    [
      "a patron export",
      (file: string) =>
        importCirculation(db, { by: commandLine(), file, mapping: patronMapping, asOf: AS_OF }),
    ],
  ])("refuses %s that is empty, or holds only a header, saying which", async (_kind, run) => {
    const before = await snapshot();
    for (const content of ["", "\uFEFF", "\r\n\n"]) {
      await expect(run(tempFile("empty.csv", content))).rejects.toThrow(/the file is empty/);
    }
    const header = tempFile(
      "header.csv",
      "geoid,from,to,dimension,category,count,ID,ZIP,Language,Type,Last Activity\r\n",
    );
    await expect(run(header)).rejects.toThrow(/has a header line but no data rows/);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an ACS table with its header and label row but no geography", async () => {
    const [header, labels] = readFileSync(fixture("ACSDT5Y2022.B01001-Data.csv"), "utf8").split(
      "\n",
    );
    const file = tempFile("ACSDT5Y2022.B01001-Data.csv", `${header}\n${labels}\n`);
    await expect(importCommunity(db, { by: commandLine(), file })).rejects.toThrow(/no data rows/);
  });

  it.each([
    // Tidy files and crosswalks match column names ignoring case: "count" and "Count" are one.
    [
      "a community file",
      "geoid,dimension,category,count,Count,x",
      '"count" twice (columns 4 and 5)',
      (file: string) => importCommunity(db, { by: commandLine(), file }),
    ],
    [
      "a crosswalk",
      "from,to,weight,To,x,y",
      '"to" twice (columns 2 and 4)',
      (file: string) => importCrosswalk(db, { by: commandLine(), file }),
    ],
    [
      "a patron export",
      "ID,ZIP,Language,Type,ZIP,Last Activity",
      '"ZIP" twice (columns 2 and 5)',
      (file: string) =>
        importCirculation(db, { by: commandLine(), file, mapping: patronMapping, asOf: AS_OF }),
    ],
  ])("refuses %s whose header names a column twice", async (_kind, header, message, run) => {
    const file = tempFile("twice.csv", `${header}\n1,2,3,4,5,6\n`);
    const before = await snapshot();
    const error = await run(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).where).toMatchObject({ file, line: 1 });
    expect((error as InputError).message).toContain(message);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["tab", "\t"],
    ["semicolon", ";"],
  ])("detects a %s delimiter from the header line and says so", async (name, delimiter) => {
    const text = ["geoid", "dimension", "category", "count"].join(delimiter);
    const row = ["N01", "tenure", "Renter, private", "5"].join(delimiter);
    const report = await importCommunity(db, {
      by: commandLine(),
      file: tempFile("t.csv", `${text}\n${row}\n`),
    });
    expect(report.details.delimiter).toBe(`${name} (detected)`);
    expect(await db("community_population").select("category")).toEqual([
      { category: "Renter, private" },
    ]);
  });

  it("takes a delimiter given, and reads a patron export with it", async () => {
    const lines = patronLines(50).map((line) => line.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, "|"));
    const file = tempFile("patrons.txt", lines.join("\n"));
    const report = await importCirculation(db, {
      by: commandLine(),
      file,
      mapping: patronMapping,
      asOf: AS_OF,
      delimiter: "|",
    });
    expect(report.rowsRead).toBe(50);
    expect(report.details.delimiter).toBe("vertical bar (given)");
  });
});

describe("a delimiter given that is not the file's", () => {
  it.each([
    [
      "a community file",
      ";",
      (file: string, delimiter: string) =>
        importCommunity(db, { by: commandLine(), file, delimiter }),
    ],
    [
      "a patron export",
      "tab",
      (file: string, delimiter: string) =>
        importCirculation(db, {
          by: commandLine(),
          file,
          delimiter,
          mapping: patronMapping,
          asOf: AS_OF,
        }),
    ],
  ])(
    "is refused for %s whose header then reads as one column, saying so",
    async (_kind, given, run) => {
      const text =
        "geoid,dimension,category,count,ZIP,Language,Type,Last Activity\nN01,tenure,Renter,5,94110,Spanish,ADULT,2024-01-01\n";
      const file = tempFile("comma.csv", text);
      const error = await run(file, given).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).where).toEqual({ file, line: 1 });
      expect((error as InputError).message).toMatch(
        /its delimiter looks like a comma, not a (semicolon|tab)/,
      );
    },
  );
});

describe("the mapping file", () => {
  it("names the file, line and column of a JSON syntax error", async () => {
    const broken = tempFile(
      "map.json",
      '{\n  "activity": { "column": "x" },\n  "age": { "column" "y" }\n}',
    );
    await expect(loadMapping(broken)).rejects.toMatchObject({
      where: { file: broken, line: 3, column: 21 },
    });
  });
});
