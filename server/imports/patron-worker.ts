// A worker thread that reads one part of a patron export (a byte range that starts and ends on
// record boundaries) into a cube and hands the cube back to be merged (see circulation.ts).
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { parentPort, workerData } from "node:worker_threads";
import { CsvError } from "csv-parse";
import { InputError } from "../errors.ts";
import type { CalendarDate } from "./dates.ts";
import type { Mapping } from "./mapping.ts";
import { PatronCube } from "./patron-cube.ts";
import { RecordSink } from "./record-sink.ts";

export interface PatronWorkerInput {
  file: string;
  /** Byte range [start, end) of the part. */
  start: number;
  end: number;
  header: string[];
  mapping: Mapping;
  asOf: CalendarDate;
  knownGeoids: string[] | null;
}

export type PatronWorkerMessage =
  | { type: "progress"; bytes: number }
  | { type: "done"; partial: ReturnType<PatronCube["partial"]>; newlines: number }
  | { type: "error"; message: string; line?: number; column?: string | number; input: boolean };

const input = workerData as PatronWorkerInput;
const port = parentPort;
if (!port) throw new Error("patron-worker.ts runs as a worker thread");

const cube = new PatronCube({
  mapping: input.mapping,
  header: input.header,
  asOf: input.asOf,
  knownGeoids: input.knownGeoids ? new Set(input.knownGeoids) : null,
});
const sink = new RecordSink((record, line) => cube.add(record, line));
sink.resume();
let newlines = 0;
const stream = createReadStream(input.file, {
  start: input.start,
  end: input.end - 1,
  highWaterMark: 1 << 20,
});
stream.on("data", (chunk) => {
  const buffer = chunk as Buffer;
  for (let at = buffer.indexOf(10); at >= 0; at = buffer.indexOf(10, at + 1)) newlines++;
  port.postMessage({ type: "progress", bytes: buffer.length } satisfies PatronWorkerMessage);
});
try {
  await pipeline(stream, sink);
  const partial = cube.partial();
  const transfer = [
    partial.keys.buffer,
    partial.counts.buffer,
    partial.checkouts.buffer,
  ] as ArrayBuffer[];
  port.postMessage({ type: "done", partial, newlines } satisfies PatronWorkerMessage, transfer);
} catch (error) {
  const e = error as Error & { lines?: number };
  port.postMessage({
    type: "error",
    message: e.message,
    line: error instanceof InputError ? error.where.line : e.lines,
    column: error instanceof InputError ? error.where.column : undefined,
    input: error instanceof InputError || error instanceof CsvError,
  } satisfies PatronWorkerMessage);
}
