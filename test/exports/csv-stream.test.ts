// csvStream writes CSV itself since issue 21 (csv-stringify's object-mode transform was a third of
// the wide export's time). These tests hold it to the bytes csv-stringify wrote with the options
// Open Door used (comma, CRLF record ends, quotes for commas, quotes, CR and LF), on arbitrary
// cells, and check that it streams: pulled as read, stopped when the reader goes.
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvCell } from "../../server/csv-safe.ts";
import { csvStream } from "../../server/csv-stream.ts";
import { streamText } from "./helpers.ts";

/** What csvStream wrote before issue 21: csv-stringify over csvCell'd rows. */
function stringifyReference(rows: readonly (readonly unknown[])[], bom: boolean): string {
  if (rows.length === 0) return "";
  const text = stringify(
    rows.map((row) => row.map(csvCell)),
    { bom: false, record_delimiter: "\r\n", quoted_match: /[\r\n]/ },
  );
  return bom ? `\uFEFF${text}` : text;
}

const awkwardText = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      ",",
      '"',
      "\r",
      "\n",
      "=",
      "+",
      "-",
      "@",
      "\t",
      "'",
      " ",
      "a",
      "é",
      "中",
      "📚",
    ),
  }),
  fc.string({ unit: "grapheme" }),
  fc.string(),
);
const cell = fc.oneof(
  awkwardText,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

describe("csvStream", () => {
  it("writes the bytes csv-stringify wrote for any cells", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 6 }),
        fc.boolean(),
        async (rows, bom) => {
          const written = await streamText(csvStream(rows, { bom }));
          expect(written).toBe(stringifyReference(rows, bom));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("writes a file larger than one chunk whole and in order", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [i, `row, ${i}`, "=x"]);
    expect(await streamText(csvStream(rows, { bom: true }))).toBe(stringifyReference(rows, true));
  });

  it("pulls rows only as the reader reads, and closes the rows when the reader stops", async () => {
    let made = 0;
    let closed = false;
    async function* rows() {
      try {
        for (;;) {
          made++;
          yield [made, "x".repeat(100)];
        }
      } finally {
        closed = true;
      }
    }
    const stream = csvStream(rows());
    let received = 0;
    const reader = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        // Stop after about 1 MB: an endless source must not have been drained.
        done(received > 1_000_000 ? new Error("enough") : null);
      },
    });
    await expect(pipeline(stream, reader)).rejects.toThrow("enough");
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
    // Rows made: what was read plus at most a few chunks of read-ahead (~600 rows a chunk).
    expect(made).toBeLessThan(received / 100 + 4 * 600);
  });

  it("passes an error in the rows on to the reader", async () => {
    async function* failing() {
      yield ["ok"];
      throw new Error("database went away");
    }
    await expect(streamText(csvStream(failing()))).rejects.toThrow(/database went away/);
    expect(await streamText(Readable.from([]))).toBe("");
  });
});
