// Turns rows (an iterable or async iterable of arrays) into a CSV byte stream with
// csv-stringify, every cell passed through csvCell. Rows are pulled as the consumer reads, so a
// file of any size streams with flat memory; an error in the rows destroys the stream with it.
import { pipeline, Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { csvCell } from "./csv-safe.ts";

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark, so Excel opens the file as UTF-8. */
  bom?: boolean;
}

/**
 * A readable CSV stream of `rows` (the first row is usually the header).
 *
 * @example
 * csvStream([["a", "b"], [1, "=2"]]).pipe(process.stdout); // a,b\n1,'=2\n
 */
export function csvStream(
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>,
  options: CsvOptions = {},
): Readable {
  async function* cells() {
    for await (const row of rows) yield row.map(csvCell);
  }
  const stringifier = stringify({
    bom: options.bom ?? false,
    record_delimiter: "\r\n",
    // A lone \n or \r inside a cell is quoted too (csv-stringify quotes only the record delimiter),
    // so every reader sees it as part of the cell, not as the end of a line.
    quoted_match: /[\r\n]/,
  });
  pipeline(Readable.from(cells()), stringifier, () => {
    // Errors reach the consumer through the stringifier, which pipeline destroys with them.
  });
  return stringifier;
}
