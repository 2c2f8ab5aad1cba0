// Reads one part of a patron export (a byte range that starts and ends on record boundaries)
// into a cube: in a worker thread (patron-worker.ts) or on the main thread (parallel-cube.ts).
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { CsvError } from "csv-parse";
import { InputError } from "../errors.ts";
import type { CalendarDate } from "./dates.ts";
import type { Mapping } from "./mapping.ts";
import { type PartialCube, PatronCube } from "./patron-cube.ts";
import { RecordSink } from "./record-sink.ts";

export interface PartInput {
  file: string;
  /** Byte range [start, end) of the part. */
  start: number;
  end: number;
  header: string[];
  mapping: Mapping;
  asOf: CalendarDate;
  knownGeoids: string[] | null;
}

export interface PartResult {
  partial: PartialCube;
  /** Line breaks in the part, to shift the next part's line numbers. */
  newlines: number;
}

/** A part's failure, with its line counted from the part's first line. */
export interface PartFailure {
  message: string;
  line?: number;
  column?: string | number;
  /** True for bad input (a CSV error, an InputError); false for a bug. */
  input: boolean;
}

export function describeFailure(error: unknown): PartFailure {
  const e = error as Error & { lines?: number };
  return {
    message: e.message,
    line: error instanceof InputError ? error.where.line : e.lines,
    column: error instanceof InputError ? error.where.column : undefined,
    input: error instanceof InputError || error instanceof CsvError,
  };
}

export async function readPart(
  input: PartInput,
  onBytes: (bytes: number) => void,
): Promise<PartResult> {
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
    onBytes(buffer.length);
  });
  await pipeline(stream, sink);
  return { partial: cube.partial(), newlines };
}
