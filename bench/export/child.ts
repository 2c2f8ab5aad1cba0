// One export in its own process, so its peak memory is the export's alone. Prints one JSON line:
// elapsed time, bytes written, responses, peak RSS (getrusage) and the largest heap sampled.
import { createWriteStream, statSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { openDb } from "../../server/db.ts";
import { exportResponses, exportResults } from "../../server/exports/survey-exports.ts";

const [database, out, kind = "wide"] = process.argv.slice(2);
if (!database || !out) {
  console.error("usage: child.ts DATABASE OUT [wide|long|results]");
  process.exit(1);
}

let heapPeak = 0;
let rssPeak = 0;
const sample = () => {
  const usage = process.memoryUsage();
  heapPeak = Math.max(heapPeak, usage.heapUsed);
  rssPeak = Math.max(rssPeak, usage.rss);
};
const sampler = setInterval(sample, 20);

const db = openDb({ client: "sqlite3", filename: database });
const started = performance.now();
let responses = 0;
const file =
  kind === "results"
    ? await exportResults(db, { slug: "community-needs", groupBy: "useStatus", suppressBelow: 10 })
    : await exportResponses(db, {
        slug: "community-needs",
        format: kind === "long" ? "long" : "wide",
        onResponse: () => {
          responses++;
        },
      });
await pipeline(file.stream, createWriteStream(out));
const elapsedMs = performance.now() - started;
clearInterval(sampler);
sample();
await db.destroy();
console.log(
  JSON.stringify({
    kind,
    fileName: file.fileName,
    responses,
    elapsedMs: Math.round(elapsedMs),
    bytes: statSync(out).size,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    sampledRssPeakMB: Math.round(rssPeak / 1024 / 1024),
    heapPeakMB: Math.round(heapPeak / 1024 / 1024),
  }),
);
