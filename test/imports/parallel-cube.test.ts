// Large exports are read by several worker threads, each on a part of the file cut on a record
// boundary; the merged cube, counts and line numbers must be exactly those of a single pass,
// quoted fields with commas, quotes and line breaks included.
import { describe, expect, it } from "vitest";
import { buildPatronCube } from "../../server/imports/circulation.ts";
import { parseMapping } from "../../server/imports/mapping.ts";
import type { CubeResult } from "../../server/imports/patron-cube.ts";
import { AS_OF, tempFile } from "./helpers.ts";

const mapping = parseMapping({
  geography: { column: "ZIP", kind: "zip" },
  age: { column: "Birth Date", as: "birthDate" },
  language: { column: "Language" },
  patronType: { column: "Type" },
  branch: { column: "Branch" },
  activity: { column: "Last Activity", as: "date" },
  checkouts: { column: "Checkouts" },
  exclude: [{ column: "Type", in: ["STAFF"] }],
});

/** 3,000 patrons; every 37th has a multi-line quoted address, every 101st a bad date, … */
function exportText(): string {
  const lines = ["ID,Name,Address,Birth Date,ZIP,Language,Type,Branch,Last Activity,Checkouts"];
  for (let i = 0; i < 3000; i++) {
    const address =
      i % 37 === 0 ? `"${i} Main St\nApt ""${i % 9}"", rear"` : `"${i} Oak Ave, Unit ${i % 7}"`;
    const birth =
      i % 101 === 0
        ? "1980-02-30"
        : `${1930 + (i % 90)}-${String(1 + (i % 12)).padStart(2, "0")}-15`;
    const zip =
      i % 53 === 0 ? "" : i % 29 === 0 ? "99999" : `9411${i % 3}${i % 4 === 0 ? "-1234" : ""}`;
    const language = ["eng", "spa", "vie", "", "klingon"][i % 5];
    const type = i % 97 === 0 ? "STAFF" : ["ADULT", "JUVENILE", "SENIOR"][i % 3];
    const activity =
      i % 211 === 0
        ? "2024-05-01"
        : `${2021 + (i % 4)}-${String(1 + (i % 12)).padStart(2, "0")}-01`;
    const fields =
      i % 389 === 0
        ? "too,few"
        : `${i},"Name ${i}",${address},${birth},${zip},${language},${type},B${i % 4},${activity},${i % 50}`;
    lines.push(fields);
  }
  return `${lines.join("\n")}\n`;
}

const knownGeoids = new Set(["94110", "94111", "94112"]);
const sortCells = (result: CubeResult) => result.cells.map((c) => JSON.stringify(c)).sort();

describe("reading an export in parallel parts", () => {
  it("gives exactly the single pass's cube, counts, unknown areas and rejected line numbers", async () => {
    const file = tempFile("patrons.csv", exportText());
    const single = await buildPatronCube(file, { mapping, asOf: AS_OF, knownGeoids, parts: 1 });
    const parallel = await buildPatronCube(file, {
      mapping,
      asOf: AS_OF,
      knownGeoids,
      parts: 3,
      parallelFromBytes: 0,
    });
    expect(single.rowsRead).toBe(3000);
    expect(Object.keys(single.rejections.reasons).sort()).toEqual([
      "activity after the as-of date",
      "bad birth date",
      "wrong number of fields",
    ]);
    expect(parallel.rowsRead).toBe(single.rowsRead);
    expect(parallel.rowsAccepted).toBe(single.rowsAccepted);
    expect(parallel.rowsActive).toBe(single.rowsActive);
    expect(parallel.rowsExcluded).toBe(single.rowsExcluded);
    expect(parallel.excluded).toEqual(single.excluded);
    expect(parallel.unknownArea).toEqual(single.unknownArea);
    expect(parallel.unknownCategories).toEqual(single.unknownCategories);
    expect(parallel.rejections.reasons).toEqual(single.rejections.reasons);
    expect(parallel.rejections.total).toBe(single.rejections.total);
    expect(sortCells(parallel)).toEqual(sortCells(single));
    expect(parallel.categoryColumns).toEqual(single.categoryColumns);
  }, 60_000);

  it("names the file's own line of a broken quote found by a later part", async () => {
    const text = exportText().replace('"2999 Oak Ave, Unit 3"', '"2999 Oak Ave, Unit 3');
    const file = tempFile("broken.csv", text);
    const single = await buildPatronCube(file, {
      mapping,
      asOf: AS_OF,
      knownGeoids,
      parts: 1,
    }).catch((e: unknown) => e);
    const parallel = await buildPatronCube(file, {
      mapping,
      asOf: AS_OF,
      knownGeoids,
      parts: 2,
      parallelFromBytes: 0,
    }).catch((e: unknown) => e);
    expect(String(parallel)).toMatch(/a quoted field starts here and is never closed/);
    // Patron 2999's line, where the open quote starts: the header, 2,999 rows before it and the
    // second lines of the 81 two-line addresses (every 37th patron's but patron 0's, "too,few").
    expect((single as { where: { line?: number } }).where).toMatchObject({
      line: 1 + 2999 + 81 + 1,
      column: 3,
      field: "Address",
    });
    expect((parallel as { where: unknown }).where).toEqual((single as { where: unknown }).where);
  }, 60_000);
});
