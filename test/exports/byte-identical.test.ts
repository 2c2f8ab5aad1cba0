// Guards the speed work of issue 21 on the responses exports (reading, row layout, CSV writing):
// the bytes streamed must stay exactly those of the code before it, on responses full of awkward
// values. The expected files were written by test/fixtures/exports/make-expected.ts from the
// earlier code (see that script); any difference here is a changed export, not a faster one.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { exportResponses } from "../../server/exports/survey-exports.ts";
import { createTestDb } from "../helpers/app.ts";
import { streamText } from "./helpers.ts";
import { EXPORT_CASES, ODD_FIXTURES_DIR, storeOddResponses } from "./odd-responses.ts";

let db: Db;

beforeAll(async () => {
  db = await createTestDb();
  await storeOddResponses(db);
});

afterAll(async () => {
  await db.destroy();
});

async function exportedBytes(request: (typeof EXPORT_CASES)[number]["request"]) {
  const exported = await exportResponses(db, request);
  return Buffer.from(await streamText(exported.stream), "utf8");
}

describe("responses exports stay byte-identical to the code before the speed work", () => {
  for (const { file, request } of EXPORT_CASES) {
    it(`writes ${file} exactly as before`, async () => {
      const expected = await readFile(path.join(ODD_FIXTURES_DIR, file));
      const actual = await exportedBytes(request);
      // Compare as text first for a readable diff, then as bytes (a BOM or line end counts).
      expect(actual.toString("utf8")).toBe(expected.toString("utf8"));
      expect(actual.equals(expected)).toBe(true);
    });
  }
});
