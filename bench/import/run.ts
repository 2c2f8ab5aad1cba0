// Circulation import benchmark (DESIGN.md, "Performance targets"): a 1,000,000-row patron export
// streamed into the cube, against the sqlite3 command-line tool doing `.import` plus a GROUP BY
// that builds the same cube from the same file. Each run times, under /usr/bin/time -v, the
// importer as shipped (one pass), the importer with a second thread (--threads 2) and the
// sqlite3 tool, in a rotating order; wall time, CPU time (user + system) and peak resident
// memory are reported, medians over --runs.
// Targets: importer peak RSS < 300 MB; importer time ≤ 1.5 × sqlite3's.
// Usage: npm run bench:import [-- --rows 1000000 --runs 5 --out bench/out/import]
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT_DIR } from "../../server/config.ts";
import { migrateLatest, openDb } from "../../server/db.ts";
import { AGE_BANDS } from "../../server/imports/age-bands.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { BENCH_AS_OF, BENCH_WINDOW_START, generateBenchFiles } from "./generate.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    runs: { type: "string", default: "5" },
    out: { type: "string", default: path.join("bench", "out", "import") },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const dir = path.resolve(ROOT_DIR, values.out);

interface Measure {
  seconds: number;
  cpuSeconds: number;
  peakMb: number;
}

/** Runs a command under /usr/bin/time -v; returns wall time and peak RSS. */
function timed(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Measure {
  const result = spawnSync("/usr/bin/time", ["-v", command, ...args], {
    cwd: ROOT_DIR,
    env: options.env ?? process.env,
    input: options.input,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  const wall = result.stderr.match(
    /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/,
  );
  const rss = result.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/);
  const user = result.stderr.match(/User time \(seconds\): ([\d.]+)/);
  const system = result.stderr.match(/System time \(seconds\): ([\d.]+)/);
  if (!wall || !rss || !user || !system)
    throw new Error(`cannot read /usr/bin/time's output:\n${result.stderr}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return {
    seconds,
    cpuSeconds: Number(user[1]) + Number(system[1]),
    peakMb: Number(rss[1]) / 1024,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** The same cube in SQL: ZIP, age band on the as-of date, language, type, branch, active. */
function sqliteScript(file: string): string {
  const [year, month, day] = BENCH_AS_OF.split("-");
  const bands = AGE_BANDS.map((b) =>
    b.hi === null ? `ELSE '${b.label}'` : `WHEN age <= ${b.hi} THEN '${b.label}'`,
  ).join(" ");
  return `.mode csv
.import '${file}' patrons
CREATE TABLE cube AS
SELECT substr("ZIP", 1, 5) AS zip,
       CASE WHEN "Birth Date" = '' THEN NULL ${bands.replace("ELSE", "ELSE")} END AS age_band,
       "Language" AS language, "Patron Type" AS patron_type, "Home Branch" AS branch,
       ("Last Activity" >= '${BENCH_WINDOW_START}') AS active,
       count(*) AS count, sum(CAST("Checkouts" AS INTEGER)) AS checkouts
FROM (SELECT *, ${year} - CAST(substr("Birth Date", 1, 4) AS INTEGER)
              - (substr("Birth Date", 6, 5) > '${month}-${day}') AS age FROM patrons)
WHERE "Patron Type" NOT IN ('STAFF', 'ILL')
GROUP BY 1, 2, 3, 4, 5, 6;
SELECT count(*) || ' cells, ' || sum(count) || ' patrons' FROM cube;
`;
}

const files =
  existsSync(path.join(dir, `patrons-${rows}.csv`)) && existsSync(path.join(dir, "zctas.csv"))
    ? {
        patrons: path.join(dir, `patrons-${rows}.csv`),
        mapping: path.join(dir, "patrons-mapping.json"),
        community: path.join(dir, "zctas.csv"),
      }
    : await (async () => {
        console.log(
          `Generating ${rows.toLocaleString("en-US")} patron rows in ${path.relative(ROOT_DIR, dir)} …`,
        );
        return generateBenchFiles(dir, rows);
      })();

const sqliteVersion = spawnSync("sqlite3", ["--version"], { encoding: "utf8" })
  .stdout.trim()
  .split(" ")[0];
console.log(
  `${rows.toLocaleString("en-US")} rows, ${runs} runs; ${cpus().length} CPUs, Node ${process.version}, sqlite3 ${sqliteVersion}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);

const tools = ["importer", "importer --threads 2", "sqlite3"] as const;
type Tool = (typeof tools)[number];
const measures: Record<Tool, Measure[]> = { importer: [], "importer --threads 2": [], sqlite3: [] };

function runImporter(extra: string[]): Measure {
  const database = path.join(dir, "bench.sqlite");
  return timed(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/import-circulation.ts",
      files.patrons,
      "--map",
      files.mapping,
      "--as-of",
      BENCH_AS_OF,
      ...extra,
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: database,
        NODE_ENV: "production",
        SESSION_SECRET: "b".repeat(32),
      },
    },
  );
}

async function freshDatabase(): Promise<void> {
  const database = path.join(dir, "bench.sqlite");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${database}${suffix}`, { force: true });
  const db = openDb({ client: "sqlite3", filename: database });
  await migrateLatest(db);
  await importCommunity(db, { by: commandLine(), file: files.community });
  await db.destroy();
}

for (let run = 1; run <= runs; run++) {
  const order = tools.map((_, k) => tools[(k + run - 1) % tools.length] as Tool);
  const line: string[] = [];
  for (const tool of order) {
    let measure: Measure;
    if (tool === "sqlite3") {
      const cli = path.join(dir, "sqlite-cli.sqlite");
      rmSync(cli, { force: true });
      measure = timed("sqlite3", [cli], { input: sqliteScript(files.patrons) });
    } else {
      await freshDatabase();
      measure = runImporter(tool === "importer" ? [] : ["--threads", "2"]);
    }
    measures[tool].push(measure);
    line.push(
      `${tool} ${measure.seconds.toFixed(2)} s (cpu ${measure.cpuSeconds.toFixed(2)} s), ${measure.peakMb.toFixed(0)} MB`,
    );
  }
  console.log(`run ${run} (load ${loadavg()[0]?.toFixed(1)}): ${line.join(" | ")}`);
}

const summary = (tool: Tool) => ({
  wall: median(measures[tool].map((m) => m.seconds)),
  cpu: median(measures[tool].map((m) => m.cpuSeconds)),
  peak: Math.max(...measures[tool].map((m) => m.peakMb)),
});
const ours = summary("importer");
const twoThreads = summary("importer --threads 2");
const theirs = summary("sqlite3");
const row = (label: string, s: ReturnType<typeof summary>) =>
  `| ${label} | ${s.wall.toFixed(2)} s | ${(s.wall / theirs.wall).toFixed(2)}× | ${s.cpu.toFixed(2)} s | ${s.peak.toFixed(0)} MB |`;
const table = `| tool | median wall time | ÷ sqlite3 | median CPU (user+sys) | peak RSS (max of runs) |
|---|---:|---:|---:|---:|
${row("`npm run import:circulation` (one pass, as shipped)", ours)}
${row("`npm run import:circulation -- --threads 2`", twoThreads)}
${row("`sqlite3` .import + GROUP BY into a cube table", theirs)}

Importer ÷ sqlite3 wall time: **${(ours.wall / theirs.wall).toFixed(2)}×** (target ≤ 1.5×: ${ours.wall / theirs.wall <= 1.5 ? "met" : "not met"}), CPU time ${(ours.cpu / theirs.cpu).toFixed(2)}×; with --threads 2 ${(twoThreads.wall / theirs.wall).toFixed(2)}×. Peak memory ${ours.peak.toFixed(0)} MB (target < 300 MB: ${ours.peak < 300 ? "met" : "not met"}); with --threads 2 ${twoThreads.peak.toFixed(0)} MB.`;
console.log(`\n${table}`);
writeFileSync(path.join(dir, "results.md"), `${table}\n`);
