// The cube's two insert paths (JSON on SQLite, multi-row VALUES elsewhere) store the same rows,
// including more cells than one statement of either takes (20,000 and 2,500).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import type { PatronCell } from "../../server/queries/patrons.ts";
import {
  insertPatronCountsAsJson,
  insertPatronCountsAsValues,
} from "../../server/queries/patrons.ts";
import { freshDb } from "./helpers.ts";

let db: Db;
beforeEach(async () => {
  db = await freshDb();
  await db("imports").insert([
    { id: 1, kind: "circulation", file_name: "a.csv", file_sha256: "a" },
    { id: 2, kind: "circulation", file_name: "b.csv", file_sha256: "b" },
  ]);
});
afterEach(async () => {
  await db.destroy();
});

const cells: PatronCell[] = Array.from({ length: 20_001 }, (_, i) => ({
  geoid: i % 7 === 0 ? null : `0${String(6075000000 + (i % 300))}`,
  ageBand: i % 11 === 0 ? null : "20 to 24 years",
  ageLo: i % 11 === 0 ? null : 20,
  ageHi: i % 11 === 0 ? null : 24,
  language: i % 3 === 0 ? "Chinese (incl. Mandarin, Cantonese)" : 'it\'s "quoted", with commas',
  patronType: String(i % 16),
  branch: i % 5 === 0 ? null : "ctr",
  active: i % 2 === 0,
  count: 1 + (i % 9),
  checkouts: i % 13 === 0 ? null : i * 3,
}));

describe("storing the cube", () => {
  it("stores the same rows through JSON and through VALUES", async () => {
    await insertPatronCountsAsJson(db, 1, cells);
    await insertPatronCountsAsValues(db, 2, cells);
    const read = async (importId: number) =>
      (
        await db("patron_counts")
          .select(
            "geoid",
            "age_band",
            "age_lo",
            "age_hi",
            "language",
            "patron_type",
            "branch",
            "active",
            "count",
            "checkouts",
          )
          .where({ import_id: importId })
          .orderBy("id")
      ).map((r: Record<string, unknown>) => ({ ...r, active: Boolean(r.active) }));
    const viaJson = await read(1);
    expect(viaJson).toHaveLength(cells.length);
    expect(viaJson[1]).toEqual({
      geoid: "06075000001",
      age_band: "20 to 24 years",
      age_lo: 20,
      age_hi: 24,
      language: 'it\'s "quoted", with commas',
      patron_type: "1",
      branch: "ctr",
      active: false,
      count: 2,
      checkouts: 3,
    });
    expect(await read(2)).toEqual(viaJson);
  });
});
