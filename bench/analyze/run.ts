// Usage-gap analysis benchmark: 1,000 tracts of census data (age, language, poverty) and a
// 1,000,000-row patron export imported into the cube (bench/analyze/generate.ts), then
// `npm run analyze` timed under /usr/bin/time -v (wall time, peak resident memory; medians over
// --runs), beside `--help` (Node + tsx start-up alone) and an in-process breakdown: reading the
// database, the engine, presenting and printing, saving the run. With --postgres the same bench
// runs against PostgreSQL (DATABASE_URL or TEST_DATABASE_URL; Debian's cluster is started with
// pg_ctlcluster when it is not running, as .ci/run does), in a schema of its own per size.
// Usage: npm run bench:analyze [-- --rows 1000000 --areas 1000 --runs 3 --out bench/out/analyze]
//        npm run bench:analyze -- --postgres [--rows 2000000 --areas 5000]
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { presentUsageGaps } from "../../server/analysis/present-usage-gaps.ts";
import { usageGapFindings } from "../../server/analysis/usage-gap-findings.ts";
import { usageGaps } from "../../server/analysis/usage-gaps.ts";
import type { DatabaseConfig } from "../../server/config.ts";
import { ROOT_DIR } from "../../server/config.ts";
import { type Db, migrateLatest, openDb } from "../../server/db.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { parseIsoDate } from "../../server/imports/dates.ts";
import { loadMapping } from "../../server/imports/mapping.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { saveUsageGapRun } from "../../server/queries/usage-gap-runs.ts";
import { presentActiveRule } from "../../server/reports/active-rule.ts";
import { usageGapText } from "../../server/reports/usage-gap-text.ts";
import { loadUsageGapInput } from "../../server/reports/usage-gaps.ts";
import { BENCH_AS_OF, generateAnalyzeBenchFiles } from "./generate.ts";
import { postgresBenchDatabase } from "./postgres.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    areas: { type: "string", default: "1000" },
    runs: { type: "string", default: "3" },
    out: { type: "string", default: path.join("bench", "out", "analyze") },
    postgres: { type: "boolean", default: false },
  },
});
const rows = Number(values.rows);
const areas = Number(values.areas);
const runs = Number(values.runs);
const dir = path.resolve(ROOT_DIR, values.out);

interface Measure {
  seconds: number;
  /** User + system CPU time: steadier than wall time when other work shares the cores. */
  cpuSeconds: number;
  peakMb: number;
}

/** Runs a command under /usr/bin/time -v, standard output to `stdout`; wall time and peak RSS. */
function timed(args: string[], env: NodeJS.ProcessEnv, stdout: string): Measure {
  const result = spawnSync(
    "sh",
    ["-c", `/usr/bin/time -v "$@" > '${stdout}'`, "sh", process.execPath, ...args],
    { cwd: ROOT_DIR, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    throw new Error(`${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  }
  const wall = result.stderr.match(
    /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/,
  );
  const rss = result.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/);
  const user = result.stderr.match(/User time \(seconds\): ([\d.]+)/);
  const system = result.stderr.match(/System time \(seconds\): ([\d.]+)/);
  if (!wall || !rss || !user || !system)
    throw new Error(`cannot read /usr/bin/time's output:\n${result.stderr}`);
  return {
    seconds: Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]),
    cpuSeconds: Number(user[1]) + Number(system[1]),
    peakMb: Number(rss[1]) / 1024,
  };
}

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

// The database: a SQLite file per size, or a PostgreSQL schema per size; made (generated and
// imported) once, then reused; migrations are applied every time (a new one back-fills).
const target: DatabaseConfig & { url: string; label: string } = values.postgres
  ? await postgresBenchDatabase(`bench_analyze_${rows}_${areas}`)
  : (() => {
      const filename = path.join(dir, `bench-${rows}-${areas}.sqlite`);
      return { client: "sqlite3", filename, url: filename, label: `SQLite ${filename}` };
    })();

async function isImported(db: Db): Promise<boolean> {
  const hasTable = await db.schema.hasTable("imports");
  return hasTable && (await db("imports").where({ kind: "circulation" }).first()) !== undefined;
}

{
  const db = openDb(target);
  try {
    const imported = await isImported(db);
    const migrating = performance.now();
    const applied = await migrateLatest(db);
    if (imported && applied.length > 0) {
      console.log(
        `Migrated the stored bench database (${applied.join(", ")}) in ${((performance.now() - migrating) / 1000).toFixed(1)} s.`,
      );
    }
    if (!imported) {
      console.log(
        `Generating ${areas.toLocaleString("en-US")} tracts and ${rows.toLocaleString("en-US")} patron rows in ${path.relative(ROOT_DIR, dir)} …`,
      );
      const files = await generateAnalyzeBenchFiles(dir, rows, areas);
      const started = performance.now();
      await importCommunity(db, { by: commandLine(), file: files.community, format: "tidy" });
      const report = await importCirculation(db, {
        by: commandLine(),
        file: files.patrons,
        mapping: await loadMapping(files.mapping),
        asOf: parseIsoDate(BENCH_AS_OF) ?? undefined,
      });
      console.log(
        `Imported into ${target.label} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${report.rowsAccepted.toLocaleString("en-US")} patrons, ${String(report.details.cubeCells)} cube cells.`,
      );
    }
  } catch (error) {
    await db.destroy();
    if (target.client === "sqlite3") {
      for (const suffix of ["", "-wal", "-shm"])
        rmSync(`${target.filename}${suffix}`, { force: true });
    }
    throw error;
  }
  await db.destroy();
}

console.log(
  `${areas.toLocaleString("en-US")} areas, ${rows.toLocaleString("en-US")}-patron export, ${runs} runs; ${cpus().length} CPUs, Node ${process.version}, ${target.client === "pg" ? "PostgreSQL" : "SQLite"}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);

// In-process breakdown (one run, after a warm-up that fills the database's page cache).
const db = openDb(target);
const cells = Number(((await db("patron_counts").count({ n: "*" }).first()) as { n: number }).n);
await loadUsageGapInput(db, { by: commandLine(), suppressBelow: 10 });
/** CPU time of this process in ms (with SQLite, its queries run on this process's threads). */
const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
/**
 * PostgreSQL's side of the queries: CPU time of the server processes serving this database, read
 * from /proc (the bench starts a local cluster); null elsewhere.
 */
async function serverCpuMs(): Promise<number | null> {
  if (target.client !== "pg" || !existsSync("/proc/self/stat")) return null;
  const { rows } = (await db.raw(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()",
  )) as { rows: { pid: number }[] };
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // a server process that has just ended
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}
const s0 = await serverCpuMs();
const c0 = cpuMs();
const t0 = performance.now();
const { input, options } = await loadUsageGapInput(db, { by: commandLine(), suppressBelow: 10 });
const t1 = performance.now();
const c1 = cpuMs();
const s1 = await serverCpuMs();
const document = usageGaps(input);
const t2 = performance.now();
const c2 = cpuMs();
// The findings again on their own, to tell the statistics from the sentences.
const { findings: _, ...withoutFindings } = document;
usageGapFindings(withoutFindings);
const findingsMs = performance.now() - t2;
const text = usageGapText({
  runId: null,
  createdAt: new Date().toISOString(),
  asOf: input.asOf,
  options,
  document: {
    ...presentUsageGaps(document),
    activeRule: options.activeRule ? presentActiveRule(options.activeRule, 10) : null,
    changes: null,
  },
});
const t3 = performance.now();
const runId = await saveUsageGapRun(db, { asOf: input.asOf, options: { ...options }, document });
const t4 = performance.now();
await db("usage_gap_runs").where({ id: runId }).delete();
await db.destroy();
const savedKb = Buffer.byteLength(JSON.stringify(document)) / 1024;
const steps = [
  [
    `read census and patron counts (queries${s0 === null || s1 === null ? "" : `; PostgreSQL's server processes ${s1 - s0} ms CPU`})`,
    t1 - t0,
    c1 - c0,
  ],
  [`engine (usageGaps; of which the findings ${findingsMs.toFixed(0)} ms)`, t2 - t1, c2 - c1],
  ["present and print the text report", t3 - t2 - findingsMs, null],
  [`save the run (${savedKb.toFixed(0)} KB of JSON)`, t4 - t3, null],
] as const;
console.log(
  `Input: ${input.population.length.toLocaleString("en-US")} census rows, ${input.users.length.toLocaleString("en-US")} active-user rows from ${cells.toLocaleString("en-US")} cube cells; ${document.areas.length} areas, ${document.areas.filter((a) => a.priority).length} priority, ${document.findings.length} findings, ${text.split("\n").length} lines of text.`,
);
const stepText = ([step, ms, cpu]: (typeof steps)[number]) =>
  `${step} ${ms.toFixed(0)} ms${cpu === null ? "" : ` (CPU ${cpu.toFixed(0)} ms)`}`;
for (const step of steps) console.log(`  ${stepText(step)}`);

const env = {
  ...process.env,
  DATABASE_URL: target.url,
  DATA_DIR: dir,
  NODE_ENV: "production",
  SESSION_SECRET: "b".repeat(32),
};
const script = path.join("scripts", "analyze.ts");
const outFile = path.join(dir, "analyze-output.json");
const startup: Measure[] = [];
const cli: Measure[] = [];
for (let run = 1; run <= runs; run++) {
  startup.push(timed(["--import", "tsx", script, "--help"], env, outFile));
  const measure = timed(["--import", "tsx", script, "--format", "json", "--no-save"], env, outFile);
  cli.push(measure);
  console.log(
    `run ${run}: npm run analyze -- --format json ${measure.seconds.toFixed(2)} s (CPU ${measure.cpuSeconds.toFixed(2)} s), ${measure.peakMb.toFixed(0)} MB (start-up alone ${startup[run - 1]?.seconds.toFixed(2)} s, ${startup[run - 1]?.peakMb.toFixed(0)} MB)`,
  );
}
const jsonKb = statSync(outFile).size / 1024;

const table = `| what | median wall time | median CPU (user+sys) | peak RSS (max of runs) |
|---|---:|---:|---:|
| \`npm run analyze -- --format json --no-save\` (node --import tsx scripts/analyze.ts; ${jsonKb.toFixed(0)} KB printed) | ${median(cli.map((m) => m.seconds)).toFixed(2)} s | ${median(cli.map((m) => m.cpuSeconds)).toFixed(2)} s | ${Math.max(...cli.map((m) => m.peakMb)).toFixed(0)} MB |
| \`npm run analyze -- --help\` (Node and tsx start-up alone) | ${median(startup.map((m) => m.seconds)).toFixed(2)} s | ${median(startup.map((m) => m.cpuSeconds)).toFixed(2)} s | ${Math.max(...startup.map((m) => m.peakMb)).toFixed(0)} MB |

In-process breakdown of one run (${target.client === "pg" ? "PostgreSQL" : "SQLite"}, warm cache): ${steps.map(stepText).join("; ")}.
Input: ${input.population.length.toLocaleString("en-US")} census rows; ${input.users.length.toLocaleString("en-US")} active-user rows read from ${cells.toLocaleString("en-US")} cube cells.`;
console.log(`\n${table}`);
writeFileSync(path.join(dir, "results.md"), `${table}\n`);
