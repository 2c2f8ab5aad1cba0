// One export in its own process, so its peak memory is the export's alone. Prints one JSON line:
// time to the first byte and in all, bytes written, responses, peak RSS (getrusage) and the
// largest heap sampled. DATABASE is a SQLite file or a PostgreSQL URL (bench/export/database.ts).
import { createWriteStream, statSync } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { exportResponses, exportResults } from "../../server/exports/survey-exports.ts";
import { openBenchDb } from "./database.ts";

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

const db = openBenchDb(database);
const started = performance.now();
let firstByteMs: number | undefined;
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
const firstByte = new Transform({
  transform(chunk, _encoding, done) {
    firstByteMs ??= performance.now() - started;
    done(null, chunk);
  },
});
await pipeline(file.stream, firstByte, createWriteStream(out));
const elapsedMs = performance.now() - started;
clearInterval(sampler);
sample();
await db.destroy();
console.log(
  JSON.stringify({
    kind,
    fileName: file.fileName,
    responses,
    firstByteMs: Math.round(firstByteMs ?? elapsedMs),
    elapsedMs: Math.round(elapsedMs),
    bytes: statSync(out).size,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    sampledRssPeakMB: Math.round(rssPeak / 1024 / 1024),
    heapPeakMB: Math.round(heapPeak / 1024 / 1024),
  }),
);
