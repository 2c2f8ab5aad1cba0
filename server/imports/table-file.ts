// Reading the small tabular files of community and crosswalk imports: CSV (streamed with
// csv-parse, with exact line numbers) or the Census API's JSON array of arrays.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { CsvError, parse } from "csv-parse";
import { InputError } from "../errors.ts";

export interface Row {
  cells: string[];
  /** Line of the file where the record starts (1 = first line). */
  line: number;
}

/** SHA-256 of a file's bytes, hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The first bytes of a file as text (to sniff its format). */
export async function peek(file: string, bytes = 4096): Promise<string> {
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
    return buffer
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
  } finally {
    await handle.close();
  }
}

/** Explains a csv-parse error with the file and line it happened at. */
export function csvError(error: unknown, file: string): InputError {
  if (error instanceof CsvError) {
    const context = error as CsvError & { lines?: number; column?: string | number };
    const message = error.message.replace(/^Invalid [A-Za-z ]+: /, "");
    return new InputError(`not a readable CSV file: ${message}`, {
      file,
      line: context.lines,
    });
  }
  return error instanceof InputError ? error : new InputError((error as Error).message, { file });
}

async function* csvRows(file: string): AsyncGenerator<Row> {
  const parser = createReadStream(file).pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; raw?: string };
    }>) {
      // info.lines is the line the record ends on; a record with quoted line breaks starts earlier.
      yield { cells: record, line: info.lines };
    }
  } catch (error) {
    throw csvError(error, file);
  }
}

async function* jsonRows(file: string): AsyncGenerator<Row> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file)) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not valid JSON (${(error as Error).message})`, { file });
  }
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
    yield { cells: row.map((cell) => (cell === null ? "null" : String(cell))), line };
  }
}

/** Whether a file looks like a JSON array (the Census API's response) rather than CSV. */
export async function isJsonArrayFile(file: string): Promise<boolean> {
  return (await peek(file, 64)).trimStart().startsWith("[");
}

/** Rows of a CSV or Census-API JSON file, header included, each with its line number. */
export async function* readRows(file: string): AsyncGenerator<Row> {
  if (await isJsonArrayFile(file)) yield* jsonRows(file);
  else yield* csvRows(file);
}
