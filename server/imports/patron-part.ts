// Reads one part of a patron export (a byte range that starts and ends on record boundaries)
// into a cube: in a worker thread (patron-worker.ts) or on the main thread (parallel-cube.ts).
import { pipeline } from "node:stream/promises";
import { InputError, type Translatable } from "../errors.ts";
import type { CalendarDate } from "./dates.ts";
import type { Mapping } from "./mapping.ts";
import { type PartialCube, PatronCube } from "./patron-cube.ts";
import { RecordSink } from "./record-sink.ts";
import { decodedStream, readError, type TableFormat } from "./table-file.ts";

export interface PartInput {
  file: string;
  format: TableFormat;
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
  field?: string;
  translation?: Translatable;
  /** True for bad input (an InputError); false for a bug. */
  input: boolean;
}

export function describeFailure(error: unknown): PartFailure {
  if (error instanceof InputError) {
    const { line, column, field } = error.where;
    return {
      message: error.detail,
      line,
      column,
      field,
      translation: error.translation,
      input: true,
    };
  }
  return { message: (error as Error).message, input: false };
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
  const { file, format, header } = input;
  const sink = new RecordSink({ file, format, header }, (record, line) => cube.add(record, line));
  sink.resume();
  const decoder = decodedStream(file, format, {
    range: { start: input.start, end: input.end },
    onBytes,
  });
  try {
    await pipeline(decoder, sink);
  } catch (error) {
    throw readError(error, { file, header });
  }
  return { partial: cube.partial(), newlines: decoder.lineBreaks };
}
