// Turns rows (an iterable or async iterable of arrays) into a CSV byte stream, every cell passed
// through csvCell. Rows are pulled only while the reader wants more (a pull-based Readable), so a
// file of any size streams with flat memory; an error in the rows destroys the stream with it,
// and a reader that stops early (a closed download) ends the rows' iterator.
//
// The format is csv-stringify's with the options Open Door used before (comma, CRLF after every
// record, a cell quoted when it holds a comma, a double quote, CR or LF, quotes doubled);
// test/exports/csv-stream.test.ts checks the two agree on arbitrary cells. Writing it here,
// text batched into chunks of about 64 KB, costs a fraction of csv-stringify's per-record
// object-mode transform (bench/export: issue 21).
import { Readable } from "node:stream";
import { csvCell } from "./csv-safe.ts";

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark, so Excel opens the file as UTF-8. */
  bom?: boolean;
}

/** Characters that make a cell need quotes. */
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;
/** Characters of text gathered before they are handed to the reader as one chunk. */
const CHUNK_CHARACTERS = 64 * 1024;

/** One cell as CSV text (already made inert by csvCell). */
function csvField(value: unknown): string {
  const cell = csvCell(value);
  if (typeof cell === "number") return `${cell}`;
  return NEEDS_QUOTES.test(cell) ? `"${cell.replace(QUOTES, '""')}"` : cell;
}

/**
 * One record as CSV text, with its CRLF.
 *
 * @example
 * csvRecord(["a,b", 1, "=2"]); // => '"a,b",1,\'=2\r\n'
 */
export function csvRecord(row: readonly unknown[]): string {
  let line = "";
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += ",";
    line += csvField(row[i]);
  }
  return `${line}\r\n`;
}

/**
 * A readable CSV stream of `rows` (the first row is usually the header).
 *
 * @example
 * csvStream([["a", "b"], [1, "=2"]]).pipe(process.stdout); // a,b\r\n1,'=2\r\n
 */
export function csvStream(
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>,
  options: CsvOptions = {},
): Readable {
  const iterator =
    Symbol.asyncIterator in rows
      ? rows[Symbol.asyncIterator]()
      : (rows as Iterable<readonly unknown[]>)[Symbol.iterator]();
  let started = false;
  let pulling = false;
  let finished = false;
  return new Readable({
    // One chunk in hand is enough: the next is made while the reader writes this one.
    highWaterMark: CHUNK_CHARACTERS,
    async read() {
      if (pulling || finished) return;
      pulling = true;
      try {
        let text = "";
        while (text.length < CHUNK_CHARACTERS) {
          const next = await iterator.next();
          if (next.done) {
            finished = true;
            break;
          }
          // The byte-order mark comes with the first record (none for a file without records).
          if (!started && options.bom) text += "\uFEFF";
          text += csvRecord(next.value);
          // The first record (a header) goes out alone: a download starts before any query.
          if (!started) {
            started = true;
            break;
          }
        }
        pulling = false;
        if (text) this.push(text);
        if (finished) this.push(null);
      } catch (error) {
        finished = true;
        this.destroy(error as Error);
      }
    },
    destroy(error, callback) {
      // A reader gone early: let the rows' generator close what it holds (a database page loop).
      if (!finished) {
        finished = true;
        Promise.resolve(iterator.return?.()).then(
          () => callback(error),
          () => callback(error),
        );
      } else {
        callback(error);
      }
    },
  });
}
