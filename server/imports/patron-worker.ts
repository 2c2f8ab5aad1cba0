// A worker thread that reads one part of a patron export into a cube and hands the cube back to
// be merged (see parallel-cube.ts).
import { parentPort, workerData } from "node:worker_threads";
import {
  describeFailure,
  type PartFailure,
  type PartInput,
  type PartResult,
  readPart,
} from "./patron-part.ts";

export type PatronWorkerMessage =
  | { type: "progress"; bytes: number }
  | ({ type: "done" } & PartResult)
  | ({ type: "error" } & PartFailure);

const port = parentPort;
if (!port) throw new Error("patron-worker.ts runs as a worker thread");

try {
  const result = await readPart(workerData as PartInput, (bytes) => {
    port.postMessage({ type: "progress", bytes } satisfies PatronWorkerMessage);
  });
  const { outer, inner, counts, checkouts } = result.partial;
  port.postMessage({ type: "done", ...result } satisfies PatronWorkerMessage, [
    outer.buffer,
    inner.buffer,
    counts.buffer,
    checkouts.buffer,
  ] as ArrayBuffer[]);
} catch (error) {
  port.postMessage({ type: "error", ...describeFailure(error) } satisfies PatronWorkerMessage);
}
