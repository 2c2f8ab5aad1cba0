// npm run bench:consortium -- [--libraries 100] [--responses 10000] [--sample 10] [--requests 5]
//   [--submissions 10000] [--connections 32] [--rebuild] [--cpu-prof DIR]
//
// A consortium on PostgreSQL (issue 23): N libraries, each in its own schema with R responses
// to the standard program-outcome survey and a patron cube (the demo county's, about 30,000
// patrons), i.e. 1M responses and 100 cubes at the defaults. The data is made once and kept
// (bench/consortium/generate.ts; --rebuild makes it again). Then `npm start`'s server runs as a
// child process on that database and is measured over HTTP:
// - each sampled library's staff pages (overview, survey results, usage gaps, fieldwork guide)
//   from a logged-in staff member: the first request (the library's responses read into the
//   cache) and `--requests` more; p95 against the 500 ms page target;
// - the consortium page /staff/consortium, when the app has it;
// - submissions (POST /l/:library/api/surveys/program-outcome/responses) spread over every
//   library, then all to one library, from `--connections` autocannon clients (target ≥ 500/s);
//   every 201 must be stored;
// - the server's resident memory and its PostgreSQL connections (pg_stat_activity), sampled
//   through the run: every library shares the instance's pool;
// - the data_versions counters: single-row inserts from 16 connections into one library's
//   schema, then into 16 libraries' schemas (each schema has its own counter rows);
// - EXPLAIN of every query the pages and a submission send for one library: which read a large
//   table without an index.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { createApp } from "../../server/app.ts";
import { createStaffAccount } from "../../server/auth/accounts.ts";
import { loadConfig, ROOT_DIR } from "../../server/config.ts";
import { type Db, migrateLatest, openDb } from "../../server/db.ts";
import { LibraryDatabases, schemaOf } from "../../server/libraries/library-databases.ts";
import { findLibrary, type Library, setMembership } from "../../server/queries/libraries.ts";
import { findStaffUserByEmail } from "../../server/queries/staff-users.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { postgresBenchDatabase } from "../analyze/postgres.ts";
import { staffBrowser } from "../staff-browser.ts";
import {
  buildSource,
  librarySlug,
  makeLibrary,
  programOutcomeGenerator,
  SURVEY,
} from "./generate.ts";

const TARGET_MS = 500;
const { values } = parseArgs({
  options: {
    libraries: { type: "string", default: "100" },
    responses: { type: "string", default: "10000" },
    sample: { type: "string", default: "10" },
    requests: { type: "string", default: "5" },
    submissions: { type: "string", default: "10000" },
    connections: { type: "string", default: "32" },
    rebuild: { type: "boolean", default: false },
    // A V8 CPU profile of the server, written to this folder when it exits.
    "cpu-prof": { type: "string" },
  },
});
const count = Number(values.libraries);
const perLibrary = Number(values.responses);
const sample = Math.min(count, Number(values.sample));
const requests = Number(values.requests);
const submissions = Number(values.submissions);
const connections = Number(values.connections);
for (const [name, value] of Object.entries({ count, perLibrary, sample, requests, submissions })) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} takes a positive whole number`);
    process.exit(1);
  }
}
const load = () => loadavg()[0]?.toFixed(1);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(0)}`;

console.log(
  `Consortium: ${count} libraries × ${perLibrary.toLocaleString("en-US")} responses on PostgreSQL`,
);
console.log(
  `Machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, load average ${load()}`,
);

// ---- the data ----
const INSTANCE_SCHEMA = "consortium_bench";
const SOURCE_SCHEMA = "consortium_bench_source";
const database = await postgresBenchDatabase(INSTANCE_SCHEMA);
console.log(`Database: ${database.label}`);
const instance = openDb(database);
const admin = openDb({ client: "pg", connectionString: database.url });
await migrateLatest(instance);
const surveysDir = loadConfig({ SESSION_SECRET: "s".repeat(32) }).surveysDir;
await syncSurveys(instance, surveysDir);

const countIn = async (schema: string) => {
  const exists = await admin.raw("SELECT to_regclass(?) AS t", [`"${schema}".responses`]);
  if (!(exists.rows[0] as { t: string | null }).t) return 0;
  const { rows } = await admin.raw(`SELECT count(*)::int AS n FROM "${schema}".responses`);
  return (rows[0] as { n: number }).n;
};

if (values.rebuild || (await countIn(SOURCE_SCHEMA)) < 2 * perLibrary) {
  const started = performance.now();
  await admin.raw(`DROP SCHEMA IF EXISTS ${SOURCE_SCHEMA} CASCADE`);
  const sourceConfig = await postgresBenchDatabase(SOURCE_SCHEMA);
  const source = openDb(sourceConfig);
  try {
    await migrateLatest(source, "library");
    await buildSource(source, 2 * perLibrary, surveysDir);
  } finally {
    await source.destroy();
  }
  console.log(`Source schema built in ${seconds(started)}`);
}

const libraries = new LibraryDatabases(instance, database);
const made: Library[] = [];
const building = performance.now();
let built = 0;
for (let i = 1; i <= count; i++) {
  const slug = librarySlug(i);
  const existing = await findLibrary(instance, slug);
  // Earlier runs' submissions stay: a library is made again only when it has too few.
  if (existing && !values.rebuild && (await countIn(schemaOf(slug))) >= perLibrary) {
    // Migrated now (new migrations since the data was made), not in the timed requests.
    await libraries.db(existing);
    made.push(existing);
    continue;
  }
  await admin.raw(`DROP SCHEMA IF EXISTS "${schemaOf(slug)}" CASCADE`);
  made.push(await makeLibrary(instance, libraries, SOURCE_SCHEMA, i, perLibrary));
  built++;
  if (built % 10 === 0) console.log(`  ${i} libraries ready (${seconds(building)})`);
}
if (built) console.log(`${built} libraries made in ${seconds(building)}`);

const email = "bench@consortium.test";
const password = "a long bench password, not a real one";
const staffUserId =
  (await findStaffUserByEmail(instance, email))?.id ??
  (
    await createStaffAccount(
      instance,
      { email, password, role: "admin", libraryId: made[0]?.id },
      null,
      { N: 2 ** 10, r: 8, p: 1 },
    )
  ).id;
for (const library of made)
  await setMembership(instance, { staffUserId, libraryId: library.id, role: "admin" });
// Whatever the consortium page asks of its readers: a consortium reader and super-admin too.
await instance("staff_users")
  .where({ id: staffUserId })
  .update({ consortium: true, super_admin: true });

// ---- sampling the server's memory and connections ----
const APP_NAME = "opendoor-bench-server";
const serverUrl = new URL(database.url);
serverUrl.searchParams.set("application_name", APP_NAME);
interface Sample {
  phase: string;
  rssMb: number;
  connections: number;
}
const samples: Sample[] = [];
let phase = "start";
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}
async function serverConnections(): Promise<number> {
  const { rows } = await admin.raw(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ?",
    [APP_NAME],
  );
  return (rows[0] as { n: number }).n;
}

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const profile = values["cpu-prof"]
      ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(values["cpu-prof"])}`]
      : [];
    const child = spawn(process.execPath, [...profile, "--import", "tsx", "server/index.ts"], {
      cwd: ROOT_DIR,
      env: {
        ...process.env,
        DATABASE_URL: serverUrl.toString(),
        PORT: "0",
        DEMO: "0",
        NODE_ENV: "production",
        SESSION_SECRET: "b".repeat(32),
        COOKIE_SECURE: "false",
        SUBMIT_RATE_LIMIT: "0",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on("exit", (code) => reject(new Error(`the server exited with ${code}: ${output}`)));
  });
}

const server = await startServer();
const pid = server.child.pid as number;
const base = `http://127.0.0.1:${server.port}`;
const sampler = setInterval(() => {
  serverConnections()
    .then((n) => samples.push({ phase, rssMb: rssMb(pid), connections: n }))
    .catch(() => undefined);
}, 250);

const rows: string[] = [];
const summary: string[] = [];
try {
  // ---- each library's pages ----
  phase = "pages";
  const fetchPage = await staffBrowser(base, { email, password });
  const PAGES: [name: string, url: string][] = [
    ["overview", "/staff"],
    ["survey results", `/staff/surveys/${SURVEY}`],
    ["usage gaps", "/staff/gaps"],
    ["fieldwork guide", `/staff/surveys/${SURVEY}/fieldwork`],
  ];
  const warm = new Map<string, number[]>(PAGES.map(([name]) => [name, []]));
  const first = new Map<string, number[]>(PAGES.map(([name]) => [name, []]));
  const timed = async (url: string) => {
    const started = performance.now();
    const res = await fetchPage(url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    return performance.now() - started;
  };
  const sampled = Array.from(
    { length: sample },
    (_, k) => made[Math.floor((k * count) / sample)] as Library,
  );
  const pagesStarted = performance.now();
  for (const library of sampled) {
    const chosen = await fetchPage(`/staff?library=${library.slug}`);
    await chosen.arrayBuffer();
    for (const [name, url] of PAGES) {
      first.get(name)?.push(await timed(url));
      for (let i = 0; i < requests; i++) warm.get(name)?.push(await timed(url));
    }
  }
  console.log(
    `\nPages of ${sample} libraries in ${seconds(pagesStarted)} (load average ${load()})`,
  );
  let pagesMet = true;
  rows.push(
    "| page | first request of a library: median / p95 ms | then: median / p95 / max ms | p95 < 500 ms |",
  );
  rows.push("|---|---:|---:|---|");
  for (const [name] of PAGES) {
    const times = warm.get(name) ?? [];
    const cold = first.get(name) ?? [];
    const met = quantile(times, 0.95) < TARGET_MS;
    pagesMet &&= met;
    rows.push(
      `| ${name} | ${ms(quantile(cold, 0.5))} / ${ms(quantile(cold, 0.95))} | ${ms(quantile(times, 0.5))} / ${ms(quantile(times, 0.95))} / ${ms(Math.max(...times))} | ${met ? "yes" : "**no**"} |`,
    );
  }

  // ---- the consortium page ----
  phase = "consortium";
  const probe = await fetchPage("/staff/consortium");
  await probe.arrayBuffer();
  if (probe.status === 404) {
    rows.push("| consortium page `/staff/consortium` | not built | not built | – |");
  } else {
    const times: number[] = [];
    const cold = await timed("/staff/consortium");
    for (let i = 0; i < Math.max(requests, 5); i++) times.push(await timed("/staff/consortium"));
    const met = quantile(times, 0.95) < TARGET_MS;
    pagesMet &&= met;
    rows.push(
      `| consortium page \`/staff/consortium\` (${count} libraries) | ${ms(cold)} (one) | ${ms(quantile(times, 0.5))} / ${ms(quantile(times, 0.95))} / ${ms(Math.max(...times))} | ${met ? "yes" : "**no**"} |`,
    );
  }

  // ---- submissions ----
  const counts = async (libs: Library[]) => {
    const out = new Map<string, number>();
    for (const library of libs) out.set(library.slug, await countIn(schemaOf(library.slug)));
    return out;
  };
  const submit = async (name: string, targets: Library[]) => {
    phase = name;
    const before = await counts(targets);
    const next = programOutcomeGenerator(97);
    let turn = 0;
    let acknowledged = 0;
    const run = await autocannon({
      url: base,
      connections,
      amount: submissions,
      requests: [
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          setupRequest: (req) => {
            const library = targets[turn++ % targets.length] as Library;
            const { language, data } = next();
            return {
              ...req,
              path: `/l/${library.slug}/api/surveys/${SURVEY}/responses`,
              body: JSON.stringify({ id: randomUUID(), language, channel: "web", data }),
            };
          },
          onResponse: (status) => {
            if (status === 201) acknowledged++;
          },
        },
      ],
    });
    const after = await counts(targets);
    let stored = 0;
    for (const [slug, n] of after) stored += n - (before.get(slug) ?? 0);
    const met = run.requests.average >= 500 && run.latency.p99 < 100;
    rows.push(
      `| submissions ${name} | ${run.requests.average.toFixed(0)} /s | p50 / p99 ${run.latency.p50} / ${run.latency.p99} ms; ${acknowledged} acknowledged, ${stored} stored, ${run.non2xx} non-2xx | ${met ? "yes" : "**no**"} |`,
    );
    return acknowledged === stored && run.non2xx === 0;
  };
  // Each library is opened by the server on its first request (its schema's migrations
  // checked, its pages built): timed here once, apart from the steady rate measured next.
  phase = "opening every library";
  const opening = performance.now();
  const warmUp = programOutcomeGenerator(96);
  for (const library of made) {
    const { language, data } = warmUp();
    const res = await fetch(`${base}/l/${library.slug}/api/surveys/${SURVEY}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: randomUUID(), language, channel: "web", data }),
    });
    if (res.status !== 201) throw new Error(`${library.slug}: a submission answered ${res.status}`);
  }
  summary.push(
    `First submission to each of the ${count} libraries, one after another (opening each on the server): ${seconds(opening)}.`,
  );
  rows.push("| | rate | latency, and every 201 stored | ≥ 500/s, p99 < 100 ms |");
  const spreadOk = await submit(`spread over ${count} libraries`, made);
  const oneOk = await submit("all to one library", [made[0] as Library]);

  // ---- resident memory and connections ----
  clearInterval(sampler);
  const byPhase = new Map<string, Sample[]>();
  for (const s of samples) byPhase.set(s.phase, [...(byPhase.get(s.phase) ?? []), s]);
  summary.push("| phase | server RSS, max MB | server connections (pg_stat_activity), max |");
  summary.push("|---|---:|---:|");
  for (const [name, list] of byPhase) {
    summary.push(
      `| ${name} | ${Math.max(...list.map((s) => s.rssMb)).toFixed(0)} | ${Math.max(...list.map((s) => s.connections))} |`,
    );
  }
  const { rows: totals } = await admin.raw(
    "SELECT count(*)::int AS n, current_setting('max_connections') AS max FROM pg_stat_activity",
  );
  summary.push(
    `\nAll connections to the cluster at the end: ${(totals[0] as { n: number }).n} of max_connections ${(totals[0] as { max: string }).max}.`,
  );
  if (!spreadOk || !oneOk) summary.push("**Some acknowledged submissions were not stored.**");
  summary.push(pagesMet ? "All pages within the target." : "Some pages missed the target.");
} finally {
  clearInterval(sampler);
  await new Promise<void>((resolve) => {
    server.child.removeAllListeners("exit");
    server.child.on("exit", () => resolve());
    server.child.kill("SIGTERM");
  });
}

// ---- the data_versions counters under concurrent inserts ----
async function insertRate(schemas: string[], perClient: number): Promise<number> {
  const survey = (
    await admin.raw(`SELECT current_version_id AS v FROM "${schemas[0]}".surveys WHERE slug = ?`, [
      SURVEY,
    ])
  ).rows[0] as { v: number };
  const clients = await Promise.all(
    schemas.map(async (schema) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query(`SET search_path TO "${schema}"`);
      return client;
    }),
  );
  const next = programOutcomeGenerator(5);
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < perClient; i++) {
        const { language, data } = next();
        await client.query(
          "INSERT INTO responses (id, survey_slug, version_id, language, channel, submitted_at, data) VALUES ($1, $2, $3, $4, 'web', now(), $5)",
          [randomUUID(), SURVEY, survey.v, language, JSON.stringify(data)],
        );
      }
    }),
  );
  const rate = (clients.length * perClient) / ((performance.now() - started) / 1000);
  await Promise.all(clients.map((c) => c.end()));
  return rate;
}
const CLIENTS = 16;
const one = await insertRate(Array(CLIENTS).fill(schemaOf(librarySlug(1))), 300);
const many = await insertRate(
  Array.from({ length: CLIENTS }, (_, k) => schemaOf(librarySlug(1 + ((k * 6) % count)))),
  300,
);
summary.push(
  `\nSingle-row inserts (each its own transaction, bumping its schema's data_versions counters), ${CLIENTS} connections × 300: into one library ${one.toFixed(0)} rows/s, into ${CLIENTS} libraries ${many.toFixed(0)} rows/s (load average ${load()}).`,
);

// ---- EXPLAIN of what one library's pages and a submission send ----
const explainConfig = {
  ...loadConfig({ NODE_ENV: "production", SESSION_SECRET: "e".repeat(32), COOKIE_SECURE: "false" }),
  database,
  loadDemo: false,
  submitRateLimit: 0,
};
const app = createApp({ db: instance, config: explainConfig });
const appLibraries = app.locals.libraries as LibraryDatabases;
const libraryDb: Db = await appLibraries.db(made[0] as Library);
const seen = new Map<string, unknown[]>();
libraryDb.on("query", (query: { sql: string; bindings?: unknown[] }) => {
  if (!seen.has(query.sql)) seen.set(query.sql, query.bindings ?? []);
});
const listener = app.listen(0);
await new Promise((resolve) => listener.once("listening", resolve));
const local = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
const browse = await staffBrowser(local, { email, password });
await (await browse(`/staff?library=${made[0]?.slug}`)).arrayBuffer();
for (const url of [
  "/staff",
  `/staff/surveys/${SURVEY}`,
  "/staff/gaps",
  `/staff/surveys/${SURVEY}/fieldwork`,
])
  await (await browse(url)).arrayBuffer();
const { language, data } = programOutcomeGenerator(3)();
await fetch(`${local}/l/${made[0]?.slug}/api/surveys/${SURVEY}/responses`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ id: randomUUID(), language, channel: "web", data }),
});
listener.close();
interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Plan Rows": number;
  Plans?: PlanNode[];
}
const scans: string[] = [];
const indexed = new Set<string>();
const walk = (node: PlanNode, sql: string) => {
  if (node["Node Type"] === "Seq Scan" && node["Plan Rows"] >= 1000)
    scans.push(`${node["Relation Name"]} (~${node["Plan Rows"]} rows): ${sql.slice(0, 160)}`);
  if (node["Index Name"]) indexed.add(node["Index Name"]);
  for (const child of node.Plans ?? []) walk(child, sql);
};
let explained = 0;
for (const [sql, bindings] of seen) {
  if (!/^\s*(select|with)/i.test(sql)) continue;
  try {
    // Knex reports the SQL with PostgreSQL's $n placeholders, numbered in order; raw takes ?.
    const { rows: plan } = await libraryDb.raw(
      `EXPLAIN (FORMAT JSON) ${sql.replace(/\$\d+/g, "?")}`,
      bindings as never,
    );
    walk((plan[0] as { "QUERY PLAN": [{ Plan: PlanNode }] })["QUERY PLAN"][0].Plan, sql);
    explained++;
  } catch (error) {
    scans.push(`(not explained: ${(error as Error).message.slice(0, 80)}) ${sql.slice(0, 120)}`);
  }
}
await appLibraries.close();
summary.push(
  `\nEXPLAIN of the ${explained} distinct reads one library's four pages and a submission sent: ${scans.length ? `sequential scans of 1,000 rows or more:\n${scans.map((s) => `- ${s}`).join("\n")}` : "no sequential scan of 1,000 rows or more"}. Indexes used: ${[...indexed].sort().join(", ") || "none"}.`,
);

console.log(`\nResults (load average ${load()}):\n`);
console.log(rows.join("\n"));
console.log();
console.log(summary.join("\n"));
await libraries.close();
await Promise.all([instance.destroy(), admin.destroy()]);
