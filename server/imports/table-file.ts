// The one reader of imported tables (census tables, crosswalks, patron exports): the encoding
// (detected from a sample of the file's start, or given) is decoded as a stream, every line break
// (CRLF, LF or CR, mixed as they may be) becomes "\n", the delimiter is detected from the header
// line (or given), and csv-parse reads records with exact line numbers. The Census API's JSON
// array of arrays is read here too. Every error names the file, line, column and field.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { CsvError, type Options as CsvOptions, type Parser, parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { InputError, type Translatable } from "../errors.ts";
import { parseJsonText } from "../json-text.ts";
import {
  canonicalEncoding,
  DecodeStream,
  decodeSample,
  detectEncoding,
  type EncodingChoice,
  givenEncoding,
  SAMPLE_BYTES,
} from "./text-encoding.ts";

export interface Row {
  cells: string[];
  /** Line of the file where the record starts (1 = first line). */
  line: number;
}

/** What a person may say about a file: its encoding and delimiter (default: detected). */
export interface ReadOptions {
  encoding?: string;
  delimiter?: string;
}

/** How a file is read, as found by sniffTable. */
export interface TableFormat {
  encoding: EncodingChoice;
  delimiter: string;
  delimiterSource: "detected" | "given";
  /** The Census API's JSON array of arrays rather than CSV. */
  json: boolean;
  /** The first line of the decoded text (the header). */
  firstLine: string;
}

const DELIMITER_NAMES: Record<string, string> = {
  ",": "comma",
  ";": "semicolon",
  "\t": "tab",
  "|": "vertical bar",
};
const DELIMITER_WORDS: Record<string, string> = {
  comma: ",",
  semicolon: ";",
  tab: "\t",
  "\\t": "\t",
  pipe: "|",
  bar: "|",
};

/** The delimiter a person gave (",", ";", "tab", "\t", "|"…), or null when it is not one character. */
export function parseDelimiter(text: string): string | null {
  const word = DELIMITER_WORDS[text.trim().toLowerCase()];
  if (word) return word;
  return [...text].length === 1 && !/["\r\n]/.test(text) ? text : null;
}

/** Checks the encoding and delimiter a person gave (CLI flags, form fields: errors name the field). */
export function checkReadOptions(options: ReadOptions): ReadOptions {
  const checked: ReadOptions = {};
  if (options.encoding !== undefined && options.encoding.trim() !== "") {
    const encoding = canonicalEncoding(options.encoding);
    if (!encoding)
      throw new InputError(
        `unknown encoding "${options.encoding}": use utf-8, utf-16le, utf-16be or windows-1252 (Latin-1)`,
        { field: "encoding" },
        { key: "imports.error.unknownEncoding", params: { name: options.encoding } },
      );
    checked.encoding = encoding;
  }
  if (options.delimiter !== undefined && options.delimiter !== "") {
    const delimiter = parseDelimiter(options.delimiter);
    if (!delimiter)
      throw new InputError(
        `the delimiter must be one character: a comma, a semicolon, "tab" or "|" (got "${options.delimiter}")`,
        { field: "delimiter" },
        { key: "imports.error.badDelimiter" },
      );
    checked.delimiter = delimiter;
  }
  return checked;
}

/** SHA-256 of a file's bytes, hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The first bytes of a file. */
export async function readPrefix(file: string, bytes = SAMPLE_BYTES): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new InputError(
      `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      { file },
    );
  }
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The delimiter of a header line: the most frequent of , ; tab | outside quotes (comma on a tie). */
function detectDelimiter(line: string): string {
  const counts = new Map<string, number>();
  let inQuote = false;
  for (const char of line) {
    if (char === '"') inQuote = !inQuote;
    else if (!inQuote && char in DELIMITER_NAMES) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ",";
  for (const [char, n] of counts) if (n > (counts.get(best) ?? 0)) best = char;
  return best;
}

/** How to read a file: its encoding, delimiter and kind, from a sample of its start. */
export async function sniffTable(file: string, options: ReadOptions = {}): Promise<TableFormat> {
  const bytes = await readPrefix(file);
  const given = checkReadOptions(options);
  let encoding: EncodingChoice;
  try {
    encoding = given.encoding
      ? givenEncoding(given.encoding, bytes)
      : detectEncoding(bytes, { cut: bytes.length === SAMPLE_BYTES });
  } catch (error) {
    throw readError(error, { file });
  }
  const text = decodeSample(bytes, encoding);
  const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? "";
  return {
    encoding,
    delimiter: given.delimiter ?? detectDelimiter(firstLine),
    delimiterSource: given.delimiter ? "given" : "detected",
    json: text.trimStart().startsWith("["),
    firstLine,
  };
}

/** The encoding and delimiter used, for the import report. */
export function describeFormat(format: TableFormat): Record<string, string> {
  const facts: Record<string, string> = {
    encoding: `${format.encoding.encoding}${format.encoding.bomLength ? " with byte-order mark" : ""} (${format.encoding.source})`,
  };
  if (!format.json)
    facts.delimiter = `${DELIMITER_NAMES[format.delimiter] ?? `"${format.delimiter}"`} (${format.delimiterSource})`;
  return facts;
}

/**
 * A byte range of a file (the whole file by default), decoded to UTF-8 with "\n" line breaks;
 * `onBytes` hears of each chunk of the file read (progress).
 */
export function decodedStream(
  file: string,
  format: TableFormat,
  options: { range?: { start: number; end: number }; onBytes?: (bytes: number) => void } = {},
): DecodeStream {
  const { range, onBytes } = options;
  const decoder = new DecodeStream({
    choice: format.encoding,
    atFileStart: (range?.start ?? 0) === 0,
    delimiter: format.delimiter,
  });
  const input = createReadStream(file, {
    highWaterMark: 1 << 20,
    ...(range ? { start: range.start, end: range.end - 1 } : {}),
  });
  input.on("error", (error) => decoder.destroy(error));
  if (onBytes) input.on("data", (chunk) => onBytes((chunk as Buffer).length));
  return input.pipe(decoder);
}

/** csv-parse's options for a decoded stream of this format. */
export function csvOptions(format: TableFormat): CsvOptions {
  return {
    delimiter: format.delimiter,
    record_delimiter: "\n",
    relax_column_count: true,
    skip_empty_lines: true,
  };
}

/** The header names on a format's first line (without checking them). */
function headerOf(format: TableFormat): string[] {
  if (format.json) return [];
  try {
    const [record = []] = parseSync(format.firstLine, {
      delimiter: format.delimiter,
      relax_column_count: true,
      relax_quotes: true,
    }) as string[][];
    return record.map((h) => h.trim());
  } catch {
    return []; // a header with an open quote: the failure is reported without field names
  }
}

/**
 * Trims a header's names; refuses one with a name twice (a mapping could not tell them apart),
 * and a header read as one column that holds another delimiter (the delimiter given is wrong).
 */
export function checkHeader(cells: readonly string[], file: string, delimiter?: string): string[] {
  const header = cells.map((h) => h.trim());
  const only = header.length === 1 ? (header[0] as string) : "";
  const found = delimiter ? detectDelimiter(only) : ",";
  if (delimiter && found !== delimiter && only.includes(found)) {
    const name = (d: string) => DELIMITER_NAMES[d] ?? `"${d}"`;
    throw new InputError(
      `the header is one column, "${only.slice(0, 60)}": its delimiter looks like a ${name(found)}, not a ${name(delimiter)}; give the right delimiter or let it be detected`,
      { file, line: 1 },
      { key: "imports.error.wrongDelimiter", params: { header: only.slice(0, 60) } },
    );
  }
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === "") return;
    const first = seen.get(name);
    if (first !== undefined)
      throw new InputError(
        `the header has the column name "${name}" twice (columns ${first + 1} and ${i + 1}): rename one of them`,
        { file, line: 1, column: i + 1, field: name },
        { key: "imports.error.duplicateHeader", params: { name, first: first + 1, second: i + 1 } },
      );
    seen.set(name, i);
  });
  return header;
}

export const emptyFileError = (file: string) =>
  new InputError(
    "the file is empty: expected a header line and data rows",
    { file },
    { key: "imports.error.empty" },
  );

export const headerOnlyError = (file: string) =>
  new InputError(
    "the file has a header line but no data rows",
    { file, line: 2 },
    { key: "imports.error.headerOnly" },
  );

const QUOTE_ERRORS: Record<string, { detail: string; translation: Translatable }> = {
  CSV_QUOTE_NOT_CLOSED: {
    detail: 'a quoted field starts here and is never closed: a closing quote (") is missing',
    translation: { key: "imports.error.unclosedQuote" },
  },
  INVALID_OPENING_QUOTE: {
    detail:
      'a quote (") inside a field that does not start with one: quote the whole field and double the quotes in it',
    translation: { key: "imports.error.strayQuote" },
  },
  CSV_INVALID_CLOSING_QUOTE: {
    detail:
      'a quoted field starts here and its closing quote is followed by other text: a closing quote is missing, or a quote inside the field is not doubled ("")',
    translation: { key: "imports.error.badClosingQuote" },
  },
};

/**
 * A read failure as an InputError naming file, line, column (field number) and field (header
 * name): a csv-parse error, or the decoder's (lines counted from the stream's start). An
 * unclosed quote is placed on the line where the quoted field starts, not at the end of the file.
 * `lineOffset`: lines before the stream's first (a part of a file read on its own).
 */
export function readError(
  error: unknown,
  context: {
    file: string;
    /** The header read; default: the format's first line (a failure may come before it is read). */
    header?: readonly string[];
    format?: TableFormat;
    parser?: Parser;
    lineOffset?: number;
  },
): Error {
  const { file } = context;
  const header = context.header ?? (context.format && headerOf(context.format));
  const offset = context.lineOffset ?? 0;
  const fieldName = (column: number | undefined) =>
    column === undefined ? undefined : header?.[column - 1] || undefined;
  if (error instanceof CsvError) {
    const e = error as CsvError & { lines?: number; column?: number | string | null };
    const column = typeof e.column === "number" ? e.column + 1 : undefined;
    let line = e.lines;
    const open = e.code === "CSV_QUOTE_NOT_CLOSED";
    if ((open || e.code === "CSV_INVALID_CLOSING_QUOTE") && line !== undefined && context.parser) {
      // The quoted field holds everything from its opening quote on (to the end of the file when
      // it is never closed, where a last line break ends no line): its line breaks lead back to
      // the line it starts on, where the mistake usually is.
      const { state } = context.parser as unknown as {
        state: { field: { toString(encoding: BufferEncoding): string } };
      };
      const field = state.field.toString("utf8");
      let breaks = 0;
      for (let at = field.indexOf("\n"); at >= 0; at = field.indexOf("\n", at + 1)) breaks++;
      if (open && field.endsWith("\n")) breaks--;
      line -= breaks;
    }
    const known = QUOTE_ERRORS[e.code];
    const detail =
      known?.detail ??
      `not a readable CSV file: ${error.message.replace(/^Invalid [A-Za-z ]+: /, "")}`;
    return new InputError(
      detail,
      {
        file,
        line: line === undefined ? undefined : line + offset,
        column,
        field: fieldName(column),
      },
      known?.translation,
    );
  }
  if (error instanceof InputError) {
    const { line, column, field } = error.where;
    const number = typeof column === "number" ? column : undefined;
    return new InputError(
      error.detail,
      {
        file: error.where.file ?? file,
        line: line === undefined ? undefined : line + offset,
        column,
        field: field ?? fieldName(number),
      },
      error.translation,
    );
  }
  if ((error as NodeJS.ErrnoException).code)
    return new InputError(`cannot read the file (${(error as NodeJS.ErrnoException).code})`, {
      file,
    });
  return error instanceof Error ? error : new Error(String(error));
}

async function* csvRows(file: string, format: TableFormat): AsyncGenerator<Row> {
  const decoder = decodedStream(file, format);
  const parser = parse({ ...csvOptions(format), info: true });
  decoder.on("error", (error) => parser.destroy(error));
  decoder.pipe(parser);
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      // info.lines is the line the record ends on; a record with quoted line breaks starts earlier.
      if (!header) header = checkHeader(record, file, format.delimiter);
      yield { cells: record, line: info.lines };
    }
  } catch (error) {
    throw readError(error, { file, header, format, parser });
  } finally {
    decoder.destroy();
  }
}

async function* jsonRows(file: string, format: TableFormat): AsyncGenerator<Row> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of decodedStream(file, format)) chunks.push(chunk as Buffer);
  } catch (error) {
    throw readError(error, { file, format });
  }
  const json = parseJsonText(Buffer.concat(chunks).toString("utf8"), file);
  if (!Array.isArray(json) || !json.every((row) => Array.isArray(row))) {
    throw new InputError("expected the Census API's JSON shape: an array of arrays, header first", {
      file,
      line: 1,
    });
  }
  // The API writes one array per line: the header on line 1, rows on the following lines.
  let line = 0;
  for (const row of json as unknown[][]) {
    line++;
    const cells = row.map((cell) => (cell === null ? "null" : String(cell)));
    if (line === 1) checkHeader(cells, file);
    yield { cells, line };
  }
}

/**
 * Rows of a CSV or Census-API JSON file, header included, each with its line number. A file with
 * no rows, or with a header and nothing after it, is an error.
 */
export async function* readRows(file: string, format: TableFormat): AsyncGenerator<Row> {
  let rows = 0;
  for await (const row of format.json ? jsonRows(file, format) : csvRows(file, format)) {
    rows++;
    yield row;
  }
  if (rows === 0) throw emptyFileError(file);
  if (rows === 1) throw headerOnlyError(file);
}
