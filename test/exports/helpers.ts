// Reading exports back: a stream to text, and CSV text to rows with csv-parse.
import type { Readable } from "node:stream";
import { parse } from "csv-parse/sync";

export async function streamText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** Rows of a CSV text (a BOM, if any, is dropped first). */
export function parseCsv(text: string): string[][] {
  return parse(text.replace(/^\uFEFF/, ""), { relax_column_count: false }) as string[][];
}

/** Rows as objects keyed by the header. */
export function records(rows: string[][]): Record<string, string>[] {
  const [header = [], ...body] = rows;
  return body.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""])));
}
