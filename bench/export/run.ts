// npm run bench:export -- [--responses N] [--postgres [--database-url URL]] [--only KINDS] [--keep]
//
// Export benchmark (issue 21: the wide CSV of 100,000 responses in under 6 s and 200 MB, the first
// byte within 1 s, through `npm run export` and the staff download).
// 1. Makes the database: a SQLite file in bench/out/export-*/ (removed afterwards unless --keep),
//    or with --postgres the schema bench_export of DATABASE_URL/TEST_DATABASE_URL (or
//    --database-url; Debian's cluster is started with pg_ctlcluster when nothing answers, as
//    .ci/run does). Migrates it, loads surveys/community-needs.json and inserts N generated
//    responses (default 100,000) in transactions of 5,000.
// 2. Runs each export in a child process under /usr/bin/time -v (when present), writing to a file:
//    the wide export with the V8 flags `npm run export` uses, the same with V8's defaults, the
//    long export, the results tables, and the wide export downloaded from the staff route of an
//    app served in the child (route-child.ts). --only wide,route,… runs a subset.
// 3. Reads the wide CSV back with csv-parse (streaming) to check it has one record per response
//    and as many cells in every record as in the header, and checks the download is the same bytes.
// Prints time to first byte and in all, throughput and peak resident memory of each, and whether
// the wide export is under the targets.
import { execFile } from "node:child_process";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { copyFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { parse } from "csv-parse";
import { ROOT_DIR } from "../../server/config.ts";
import { migrateLatest } from "../../server/db.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { freshBenchSchema, openBenchDb } from "./database.ts";
import { insertGeneratedResponses } from "./generate.ts";

const TARGET_MB = 200;
const run = promisify(execFile);
const TARGET_SECONDS = 6;
const TARGET_FIRST_BYTE_MS = 1000;
const KINDS = ["wide", "wide-v8-defaults", "long", "results", "route"] as const;
type Kind = (typeof KINDS)[number];
const { values } = parseArgs({
  options: {
    responses: { type: "string", default: "100000" },
    keep: { type: "boolean", default: false },
    postgres: { type: "boolean", default: false },
    "database-url": { type: "string" },
    only: { type: "string", default: KINDS.join(",") },
  },
});
const count = Number(values.responses);
if (!Number.isInteger(count) || count < 1) {
  console.error(`--responses must be a positive whole number (got "${values.responses}")`);
  process.exit(1);
}
const only = values.only.split(",").map((kind) => kind.trim());
const unknownKind = only.find((kind) => !(KINDS as readonly string[]).includes(kind));
if (unknownKind) {
  console.error(`--only: "${unknownKind}" is not one of ${KINDS.join(", ")}`);
  process.exit(1);
}
const postgresUrl =
  values["database-url"] ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "";
if (values.postgres && !postgresUrl.startsWith("postgres")) {
  console.error(
    "--postgres needs a PostgreSQL URL: --database-url, TEST_DATABASE_URL or DATABASE_URL (postgres://…)",
  );
  process.exit(1);
}

// Generated databases and CSV files go to bench/out/ (git-ignored), as for the other benchmarks.
mkdirSync(path.join(ROOT_DIR, "bench", "out"), { recursive: true });
const dir = mkdtempSync(path.join(ROOT_DIR, "bench", "out", "export-"));
const surveys = path.join(dir, "surveys");
mkdirSync(surveys);
await copyFile(
  path.join(ROOT_DIR, "surveys", "community-needs.json"),
  path.join(surveys, "community-needs.json"),
);
const database = values.postgres
  ? await freshBenchSchema(postgresUrl)
  : path.join(dir, "bench.sqlite");

console.log(
  `Open Door export benchmark: ${count.toLocaleString("en-US")} responses to community-needs, ${values.postgres ? "PostgreSQL" : "SQLite"}`,
);
console.log(
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)}`,
);
console.log(`Working folder: ${dir}${values.keep ? " (kept)" : " (removed at the end)"}`);

// 1. Database with N responses.
const db = openBenchDb(database);
await migrateLatest(db);
await syncSurveys(db, surveys);
const survey = await findSurvey(db, "community-needs");
if (!survey) throw new Error("community-needs did not load");
const insertStarted = performance.now();
await insertGeneratedResponses(db, survey.versionId, count);
if (values.postgres) await db.raw("analyze responses");
await db.destroy();
console.log(`Inserted in ${((performance.now() - insertStarted) / 1000).toFixed(1)} s`);

// 2. Exports, each in a child process.
interface ChildResult {
  kind: string;
  responses?: number;
  firstByteMs: number;
  elapsedMs: number;
  bytes: number;
  maxRssMB: number;
  heapPeakMB?: number;
  encoding?: string;
  headersMs?: number;
  timeMaxRssMB?: number;
  wallSeconds?: number;
}

/** The node flags `npm run export` runs with (package.json), read from there so they agree. */
const EXPORT_FLAGS = (
  JSON.parse(readFileSync(path.join(ROOT_DIR, "package.json"), "utf8")) as {
    scripts: { export: string };
  }
).scripts.export
  .split(/\s+/)
  .filter((word) => word.startsWith("--") && word !== "--import");

async function measure(kind: Kind): Promise<ChildResult & { out: string }> {
  const out = path.join(dir, `${kind}.csv`);
  const child =
    kind === "route"
      ? [path.join(ROOT_DIR, "bench", "export", "route-child.ts"), database, out, dir]
      : [
          path.join(ROOT_DIR, "bench", "export", "child.ts"),
          database,
          out,
          kind === "wide-v8-defaults" ? "wide" : kind,
        ];
  const flags = kind === "wide-v8-defaults" || kind === "route" ? [] : EXPORT_FLAGS;
  const node = [process.execPath, ...flags, "--import", "tsx", ...child];
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

const LABELS: Record<Kind, string> = {
  wide: `wide (${EXPORT_FLAGS.join(" ") || "V8 defaults"})`,
  "wide-v8-defaults": "wide (V8 defaults)",
  long: "long",
  results: "results",
  route: "wide, staff download",
};
const results = new Map<Kind, ChildResult & { out: string }>();
for (const kind of KINDS.filter((k) => only.includes(k))) {
  const result = await measure(kind);
  results.set(kind, result);
  const perSecond = Math.round(count / (result.elapsedMs / 1000));
  console.log(
    `${LABELS[kind].padEnd(36)} ${(result.elapsedMs / 1000).toFixed(1).padStart(6)} s` +
      (kind !== "results" ? ` (${perSecond.toLocaleString("en-US")} responses/s)` : "") +
      (result.headersMs !== undefined ? `, headers ${result.headersMs} ms` : "") +
      `, first byte ${result.firstByteMs} ms, ${(result.bytes / 1e6).toFixed(1)} MB written` +
      (result.encoding ? ` (sent ${result.encoding})` : "") +
      `, peak RSS ${result.timeMaxRssMB ?? result.maxRssMB} MB` +
      (result.heapPeakMB !== undefined ? ` (heap ≤ ${result.heapPeakMB} MB)` : "") +
      (result.wallSeconds ? `, process wall time ${result.wallSeconds.toFixed(1)} s` : ""),
  );
}

// 3. Read the wide CSV back; the download must be the same bytes.
const wide = results.get("wide") ?? results.get("wide-v8-defaults");
let ok = true;
if (wide) {
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
  ok &&= rowsOk;
  console.log(
    `Read back: ${(records - 1).toLocaleString("en-US")} responses × ${header} columns, ${ragged} ragged rows: ${rowsOk ? "OK" : "MISMATCH"}`,
  );
  const route = results.get("route");
  if (route) {
    const same = readFileSync(route.out).equals(readFileSync(wide.out));
    ok &&= same;
    console.log(`Staff download ${same ? "is byte-identical to" : "DIFFERS from"} the CLI export`);
  }
}
const target = results.get("wide");
if (target) {
  const peak = target.timeMaxRssMB ?? target.maxRssMB;
  const met =
    peak < TARGET_MB &&
    target.elapsedMs < TARGET_SECONDS * 1000 &&
    target.firstByteMs < TARGET_FIRST_BYTE_MS;
  console.log(
    `Wide export: ${(target.elapsedMs / 1000).toFixed(1)} s, first byte ${target.firstByteMs} ms, peak ${peak} MB: ` +
      `${met ? "within" : "OUTSIDE"} the targets (< ${TARGET_SECONDS} s, < ${TARGET_FIRST_BYTE_MS} ms, < ${TARGET_MB} MB)`,
  );
  // Time depends on what else the machine runs; memory and correctness do not, so only they fail.
  ok &&= peak < TARGET_MB;
}

if (values.postgres && !values.keep) {
  const cleanup = openBenchDb(database);
  await cleanup.raw("drop schema if exists bench_export cascade");
  await cleanup.destroy();
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
