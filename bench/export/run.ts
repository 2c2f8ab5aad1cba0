// npm run bench:export -- [--responses N] [--keep]
//
// Export benchmark (DESIGN.md: 100,000 responses streamed to CSV with peak memory under 200 MB).
// 1. Makes a SQLite file in bench/out/export-*/ (removed afterwards unless --keep), migrates it, loads surveys/community-needs.json and inserts
//    N generated responses (default 100,000) in transactions of 5,000.
// 2. Runs the wide responses export, then the long one and the results tables, each in a child
//    process under /usr/bin/time -v (when present), writing to a file in the temporary folder,
//    with the V8 flag `npm run export` uses (--optimize-for-size); the wide export runs once more
//    with V8's default settings, for comparison.
// 3. Reads the wide CSV back with csv-parse (streaming) to check it has one record per response
//    and as many cells in every record as in the header.
// Prints time, throughput and peak resident memory of each, and whether the wide export is under
// the 200 MB target.
import { execFile } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { parse } from "csv-parse";
import { ROOT_DIR } from "../../server/config.ts";
import { migrateLatest, openDb } from "../../server/db.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { insertGeneratedResponses } from "./generate.ts";

const TARGET_MB = 200;
const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    responses: { type: "string", default: "100000" },
    keep: { type: "boolean", default: false },
  },
});
const count = Number(values.responses);
if (!Number.isInteger(count) || count < 1) {
  console.error(`--responses must be a positive whole number (got "${values.responses}")`);
  process.exit(1);
}

// Generated databases go to bench/out/ (git-ignored), as for the other benchmarks.
mkdirSync(path.join(ROOT_DIR, "bench", "out"), { recursive: true });
const dir = mkdtempSync(path.join(ROOT_DIR, "bench", "out", "export-"));
const database = path.join(dir, "bench.sqlite");
const surveys = path.join(dir, "surveys");
mkdirSync(surveys);
await copyFile(
  path.join(ROOT_DIR, "surveys", "community-needs.json"),
  path.join(surveys, "community-needs.json"),
);

console.log(
  `Open Door export benchmark: ${count.toLocaleString("en-US")} responses to community-needs`,
);
console.log(
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)}`,
);
console.log(`Working folder: ${dir}${values.keep ? " (kept)" : " (removed at the end)"}`);

// 1. Database with N responses.
const db = openDb({ client: "sqlite3", filename: database });
await migrateLatest(db);
await syncSurveys(db, surveys);
const survey = await findSurvey(db, "community-needs");
if (!survey) throw new Error("community-needs did not load");
const insertStarted = performance.now();
await insertGeneratedResponses(db, survey.versionId, count);
await db.destroy();
console.log(`Inserted in ${((performance.now() - insertStarted) / 1000).toFixed(1)} s`);

// 2. Exports, each in a child process.
interface ChildResult {
  kind: string;
  fileName: string;
  responses: number;
  elapsedMs: number;
  bytes: number;
  maxRssMB: number;
  sampledRssPeakMB: number;
  heapPeakMB: number;
  timeMaxRssMB?: number;
  wallSeconds?: number;
}

/** The node flags `npm run export` runs with (package.json). */
const EXPORT_FLAGS = ["--optimize-for-size"];

async function measure(
  kind: "wide" | "long" | "results",
  flags: readonly string[],
): Promise<ChildResult & { out: string }> {
  const out = path.join(dir, `${kind}.csv`);
  const node = [
    process.execPath,
    ...flags,
    "--import",
    "tsx",
    path.join(ROOT_DIR, "bench", "export", "child.ts"),
    database,
    out,
    kind,
  ];
  const useTime = existsSync("/usr/bin/time");
  const { stdout, stderr } = useTime
    ? await run("/usr/bin/time", ["-v", ...node], { cwd: ROOT_DIR, maxBuffer: 1 << 24 })
    : await run(node[0] as string, node.slice(1), { cwd: ROOT_DIR, maxBuffer: 1 << 24 });
  const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as ChildResult;
  const rss = stderr.match(/Maximum resident set size \(kbytes\): (\d+)/);
  const wall = stderr.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/);
  if (rss) result.timeMaxRssMB = Math.round(Number(rss[1]) / 1024);
  if (wall?.[1]) {
    result.wallSeconds = wall[1].split(":").reduce((total, part) => total * 60 + Number(part), 0);
  }
  return { ...result, out };
}

const runs = [
  { kind: "wide", flags: EXPORT_FLAGS, label: "wide" },
  { kind: "wide", flags: [], label: "wide (V8 defaults)" },
  { kind: "long", flags: EXPORT_FLAGS, label: "long" },
  { kind: "results", flags: EXPORT_FLAGS, label: "results" },
] as const;
const results: (ChildResult & { out: string; label: string })[] = [];
for (const { kind, flags, label } of runs) {
  const result = { ...(await measure(kind, flags)), label };
  results.push(result);
  const perSecond =
    result.responses > 0 ? Math.round(result.responses / (result.elapsedMs / 1000)) : 0;
  console.log(
    `${label.padEnd(19)} ${(result.elapsedMs / 1000).toFixed(1).padStart(6)} s` +
      (perSecond ? ` (${perSecond.toLocaleString("en-US")} responses/s)` : "") +
      `, ${(result.bytes / 1e6).toFixed(1)} MB written, peak RSS ${result.timeMaxRssMB ?? result.maxRssMB} MB` +
      ` (getrusage ${result.maxRssMB} MB, heap ≤ ${result.heapPeakMB} MB)` +
      (result.wallSeconds ? `, process wall time ${result.wallSeconds.toFixed(1)} s` : ""),
  );
}

// 3. Read the wide CSV back.
const wide = results[0];
if (!wide) throw new Error("no wide export");
let records = 0;
let header = 0;
let ragged = 0;
for await (const record of createReadStream(wide.out).pipe(
  parse({ bom: true, relax_column_count: true }),
)) {
  const cells = (record as string[]).length;
  if (records === 0) header = cells;
  else if (cells !== header) ragged++;
  records++;
}
const rowsOk = records === count + 1 && ragged === 0;
console.log(
  `Read back: ${(records - 1).toLocaleString("en-US")} responses × ${header} columns, ${ragged} ragged rows: ${rowsOk ? "OK" : "MISMATCH"}`,
);
const peak = wide.timeMaxRssMB ?? wide.maxRssMB;
const underTarget = peak < TARGET_MB;
console.log(
  `Wide export peak memory ${peak} MB: ${underTarget ? "under" : "OVER"} the ${TARGET_MB} MB target`,
);

if (!values.keep) rmSync(dir, { recursive: true, force: true });
process.exit(rowsOk && underTarget ? 0 : 1);
