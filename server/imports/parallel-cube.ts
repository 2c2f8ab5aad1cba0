// Reads a large patron export in parts on several cores (`--threads N`; off by default: measured
// on 2 shared cores, a second thread's start-up, tsx included, and the merge cost more CPU than
// it saves, see bench/README.md; with idle cores it shortens the wall time): the file is cut into
// byte ranges on record boundaries (a line break outside quotes, found by counting quote
// characters: a quoted field's own quotes are doubled, so an odd count means "inside a field"),
// the first part is read on this thread and each other part on a worker thread, each streaming
// its range through csv-parse into a cube, and the cubes are merged with their line numbers
// shifted to the file's. The result is the one a single pass gives; a file that cannot be cut
// (a header over 1 MB, no boundary found, UTF-16 whose bytes are not ASCII's, a header line
// ended by a lone CR) is left to the single pass. Each part is decoded and its line breaks made
// "\n" by the shared reader (table-file.ts), so parts and the single pass read alike.

import { open } from "node:fs/promises";
import { Worker } from "node:worker_threads";
import { parse } from "csv-parse/sync";
import { InputError } from "../errors.ts";
import type { CalendarDate } from "./dates.ts";
import { checkMappingAgainstHeader, type Mapping } from "./mapping.ts";
import { type CubeResult, PatronCube } from "./patron-cube.ts";
import {
  describeFailure,
  type PartFailure,
  type PartInput,
  type PartResult,
  readPart,
} from "./patron-part.ts";
import type { PatronWorkerMessage } from "./patron-worker.ts";
import { checkHeader, type TableFormat } from "./table-file.ts";
import { decodeSample } from "./text-encoding.ts";

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const HEADER_LIMIT = 1 << 20;
const SCAN_CHUNK = 4 << 20;
const MAX_PARTS = 16;

export interface ParallelOptions {
  format: TableFormat;
  mapping: Mapping;
  mappingFile?: string;
  asOf: CalendarDate;
  knownGeoids: ReadonlySet<string> | null;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Number of parts, each read on its own thread. */
  parts: number;
}

interface Layout {
  header: string[];
  headerLines: number;
  /** Part boundaries: [start, end) byte ranges covering the data. */
  ranges: [number, number][];
}

/** Finds the header and the part boundaries; null when the file cannot be cut. */
async function layout(
  file: string,
  size: number,
  parts: number,
  format: TableFormat,
): Promise<Layout | null> {
  // Quotes and line breaks are found as bytes: only in encodings where ASCII's bytes are ASCII.
  if (/^utf-?(16|32)/.test(format.encoding.encoding)) return null;
  const handle = await open(file, "r");
  try {
    const first = Buffer.alloc(Math.min(HEADER_LIMIT, size));
    await handle.read(first, 0, first.length, 0);
    const bom = format.encoding.bomLength;
    let inQuote = false;
    let headerEnd = -1;
    for (let i = bom; i < first.length; i++) {
      const c = first[i];
      if (c === QUOTE) inQuote = !inQuote;
      else if (c === NEWLINE && !inQuote) {
        headerEnd = i + 1;
        break;
      }
    }
    if (headerEnd < 0 || headerEnd >= size) return null;
    const headerBytes = first.subarray(bom, headerEnd);
    // A lone CR ends a line too: the header would then not be the first line.
    const cr = headerBytes.indexOf(CARRIAGE_RETURN);
    if (cr >= 0 && cr !== headerBytes.length - 2) return null;
    const [record] = parse(decodeSample(first.subarray(0, headerEnd), format.encoding), {
      delimiter: format.delimiter,
      relax_column_count: true,
      to: 1,
    }) as string[][];
    if (!record) return null;
    let headerLines = 0;
    for (let at = headerBytes.indexOf(NEWLINE); at >= 0; at = headerBytes.indexOf(NEWLINE, at + 1))
      headerLines++;

    // Walk the data counting quotes; at each target offset, cut after the next line break
    // that is outside quotes.
    const targets: number[] = [];
    for (let k = 1; k < parts; k++)
      targets.push(headerEnd + Math.floor(((size - headerEnd) * k) / parts));
    const cuts: number[] = [];
    const chunk = Buffer.alloc(SCAN_CHUNK);
    inQuote = false;
    let chunkStart = headerEnd;
    scan: while (chunkStart < size && cuts.length < targets.length) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, chunkStart);
      if (bytesRead === 0) break;
      const view = chunk.subarray(0, bytesRead);
      let i = 0;
      while (i < bytesRead) {
        const target = targets[cuts.length];
        if (target === undefined) break scan;
        const quote = view.indexOf(QUOTE, i);
        if (chunkStart + i >= target && !inQuote) {
          const newline = view.indexOf(NEWLINE, i);
          if (newline >= 0 && (quote < 0 || newline < quote)) {
            cuts.push(chunkStart + newline + 1);
            i = newline + 1;
            continue;
          }
        }
        const stop = chunkStart + i < target ? target - chunkStart : bytesRead;
        if (quote < 0 || quote >= stop) {
          i = Math.min(stop, bytesRead);
          continue;
        }
        inQuote = !inQuote;
        i = quote + 1;
      }
      chunkStart += bytesRead;
    }
    const bounds = [headerEnd, ...cuts.filter((c) => c < size), size];
    const ranges: [number, number][] = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const start = bounds[k] as number;
      const end = bounds[k + 1] as number;
      if (end > start) ranges.push([start, end]);
    }
    return ranges.length > 1
      ? { header: checkHeader(record, file, format.delimiter), headerLines, ranges }
      : null;
  } finally {
    await handle.close();
  }
}

/** Worker threads get a small young generation: their garbage is short-lived parse output. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16 };

function runWorker(input: PartInput, onBytes: (bytes: number) => void) {
  const worker = new Worker(new URL("./patron-worker-entry.mjs", import.meta.url), {
    workerData: input,
    resourceLimits: WORKER_LIMITS,
  });
  const done = new Promise<PartResult>((resolve, reject) => {
    worker.on("message", (message: PatronWorkerMessage) => {
      if (message.type === "progress") onBytes(message.bytes);
      else if (message.type === "done")
        resolve({ partial: message.partial, newlines: message.newlines });
      else reject(message);
    });
    worker.on("error", (error) => reject(describeFailure(error)));
    worker.on("exit", (code) => {
      if (code !== 0)
        reject({ message: `a patron worker stopped with exit code ${code}`, input: false });
    });
  });
  return { worker, done };
}

/**
 * Builds the cube in `parts` parts: the first on this thread, the others on worker threads.
 * Returns null when the file cannot be cut into parts (the caller then reads it in one pass).
 */
export async function buildPatronCubeInParallel(
  file: string,
  size: number,
  options: ParallelOptions,
): Promise<CubeResult | null> {
  const parts = Math.min(options.parts, MAX_PARTS);
  if (parts < 2) return null;
  const plan = await layout(file, size, parts, options.format);
  if (!plan) return null;
  checkMappingAgainstHeader(options.mapping, plan.header, {
    mapping: options.mappingFile ?? "mapping",
    data: file,
  });
  const knownGeoids = options.knownGeoids ? [...options.knownGeoids] : null;
  let bytesRead = 0;
  const onBytes = (bytes: number) => {
    bytesRead += bytes;
    options.onProgress?.(bytesRead, size);
  };
  const inputs = plan.ranges.map(
    ([start, end]): PartInput => ({
      file,
      format: options.format,
      start,
      end,
      header: plan.header,
      mapping: options.mapping,
      asOf: options.asOf,
      knownGeoids,
    }),
  );
  const workers = inputs.slice(1).map((input) => runWorker(input, onBytes));
  const local = readPart(inputs[0] as PartInput, onBytes).catch((error: unknown) => {
    throw describeFailure(error);
  });
  const pending = [local, ...workers.map((w) => w.done)];
  const settled = await Promise.allSettled(pending);
  const failed = settled.findIndex((s) => s.status === "rejected");
  if (failed >= 0) {
    await Promise.all(workers.map((w) => w.worker.terminate()));
    const failure = (settled[failed] as PromiseRejectedResult).reason as PartFailure;
    if (!failure.input) throw new Error(failure.message);
    // Name the line in the file's numbering.
    let offset = plan.headerLines;
    for (let k = 0; k < failed; k++) {
      const earlier = settled[k];
      offset +=
        earlier?.status === "fulfilled"
          ? earlier.value.newlines
          : await countNewlines(file, plan.ranges[k] as [number, number]);
    }
    throw new InputError(
      failure.message,
      {
        file,
        line: failure.line === undefined ? undefined : failure.line + offset,
        column: failure.column,
        field: failure.field,
      },
      failure.translation,
    );
  }
  const cube = new PatronCube({
    mapping: options.mapping,
    header: plan.header,
    asOf: options.asOf,
    knownGeoids: options.knownGeoids,
  });
  let offset = plan.headerLines;
  for (const result of settled) {
    const { partial, newlines } = (result as PromiseFulfilledResult<PartResult>).value;
    cube.absorb(partial, offset);
    offset += newlines;
  }
  return cube.result();
}

/** Line breaks in a byte range as the decoder counts them: LF, CRLF and a lone CR each one. */
async function countNewlines(file: string, [start, end]: [number, number]): Promise<number> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(end - start);
    await handle.read(buffer, 0, buffer.length, start);
    let n = 0;
    for (let at = buffer.indexOf(NEWLINE); at >= 0; at = buffer.indexOf(NEWLINE, at + 1)) n++;
    for (
      let at = buffer.indexOf(CARRIAGE_RETURN);
      at >= 0;
      at = buffer.indexOf(CARRIAGE_RETURN, at + 1)
    )
      if (buffer[at + 1] !== NEWLINE) n++;
    return n;
  } finally {
    await handle.close();
  }
}
