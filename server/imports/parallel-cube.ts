// Reads a large patron export with one worker thread per part, on as many cores as there are (up
// to four): the file is cut into byte ranges on record boundaries (a line break outside quotes,
// found by counting quote characters: a quoted field's own quotes are doubled, so an odd count
// means "inside a field"), each worker streams its range through csv-parse into a cube, and the
// cubes are merged with their line numbers shifted to the file's. The result is the one a single
// pass would give; a file that cannot be cut (a header over 1 MB, no boundary found) is left to
// the single pass.

import { open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { parse } from "csv-parse/sync";
import { InputError } from "../errors.ts";
import type { CalendarDate } from "./dates.ts";
import { checkMappingAgainstHeader, type Mapping } from "./mapping.ts";
import { type CubeResult, type PartialCube, PatronCube } from "./patron-cube.ts";
import type { PatronWorkerInput, PatronWorkerMessage } from "./patron-worker.ts";

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const HEADER_LIMIT = 1 << 20;
const SCAN_CHUNK = 4 << 20;

export interface ParallelOptions {
  mapping: Mapping;
  mappingFile?: string;
  asOf: CalendarDate;
  knownGeoids: ReadonlySet<string> | null;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Number of parts (default: available cores, at most 4). */
  parts?: number;
}

/** How many parts to read a file of `bytes` in; 1 means a single pass. */
export function partsFor(bytes: number, minimumBytes: number): number {
  if (bytes < minimumBytes) return 1;
  return Math.max(1, Math.min(4, availableParallelism()));
}

interface Layout {
  header: string[];
  headerLines: number;
  /** Part boundaries: [start, end) byte ranges covering the data. */
  ranges: [number, number][];
}

/** Finds the header and the part boundaries; null when the file cannot be cut. */
async function layout(file: string, size: number, parts: number): Promise<Layout | null> {
  const handle = await open(file, "r");
  try {
    const first = Buffer.alloc(Math.min(HEADER_LIMIT, size));
    await handle.read(first, 0, first.length, 0);
    const bom = first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf ? 3 : 0;
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
    const [record] = parse(headerBytes, { relax_column_count: true, to: 1 }) as string[][];
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
    return ranges.length > 1 ? { header: record.map((h) => h.trim()), headerLines, ranges } : null;
  } finally {
    await handle.close();
  }
}

function runPart(input: PatronWorkerInput, onBytes: (bytes: number) => void) {
  const worker = new Worker(new URL("./patron-worker-entry.mjs", import.meta.url), {
    workerData: input,
  });
  const done = new Promise<{ partial: PartialCube; newlines: number }>((resolve, reject) => {
    worker.on("message", (message: PatronWorkerMessage) => {
      if (message.type === "progress") onBytes(message.bytes);
      else if (message.type === "done")
        resolve({ partial: message.partial, newlines: message.newlines });
      else reject(message);
    });
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (code !== 0) reject(new Error(`a patron worker stopped with exit code ${code}`));
    });
  });
  return { worker, done };
}

/**
 * Builds the cube with `parts` workers. Returns null when the file cannot be cut into parts (the
 * caller then reads it in one pass).
 */
export async function buildPatronCubeInParallel(
  file: string,
  size: number,
  options: ParallelOptions,
): Promise<CubeResult | null> {
  const parts = options.parts ?? partsFor(size, 0);
  if (parts < 2) return null;
  const plan = await layout(file, size, parts);
  if (!plan) return null;
  checkMappingAgainstHeader(options.mapping, plan.header, {
    mapping: options.mappingFile ?? "mapping",
    data: file,
  });
  const knownGeoids = options.knownGeoids ? [...options.knownGeoids] : null;
  let bytesRead = 0;
  const running = plan.ranges.map(([start, end]) =>
    runPart(
      {
        file,
        start,
        end,
        header: plan.header,
        mapping: options.mapping,
        asOf: options.asOf,
        knownGeoids,
      },
      (bytes) => {
        bytesRead += bytes;
        options.onProgress?.(bytesRead, size);
      },
    ),
  );
  let results: { partial: PartialCube; newlines: number }[];
  try {
    results = await Promise.all(running.map((r) => r.done));
  } catch (failure) {
    await Promise.all(running.map((r) => r.worker.terminate()));
    // Name the failing part's line in the file's numbering.
    const index = await Promise.all(
      running.map((r) =>
        r.done.then(
          () => false,
          (e) => e === failure,
        ),
      ),
    ).then((flags) => flags.indexOf(true));
    const message = failure as PatronWorkerMessage | Error;
    if (message instanceof Error || message.type !== "error") throw message;
    if (!message.input) throw new Error(message.message);
    let offset = plan.headerLines;
    for (let k = 0; k < index; k++)
      offset += await countNewlines(file, plan.ranges[k] as [number, number]);
    const text = message.message.replace(/^Invalid [A-Za-z ]+: /, "");
    throw new InputError(message.column === undefined ? `not a readable CSV file: ${text}` : text, {
      file,
      line: message.line === undefined ? undefined : message.line + offset,
      column: message.column,
    });
  }
  const cube = new PatronCube({
    mapping: options.mapping,
    header: plan.header,
    asOf: options.asOf,
    knownGeoids: options.knownGeoids,
  });
  let offset = plan.headerLines;
  for (const { partial, newlines } of results) {
    cube.absorb(partial, offset);
    offset += newlines;
  }
  return cube.result();
}

async function countNewlines(file: string, [start, end]: [number, number]): Promise<number> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(end - start);
    await handle.read(buffer, 0, buffer.length, start);
    let n = 0;
    for (let at = buffer.indexOf(NEWLINE); at >= 0; at = buffer.indexOf(NEWLINE, at + 1)) n++;
    return n;
  } finally {
    await handle.close();
  }
}
