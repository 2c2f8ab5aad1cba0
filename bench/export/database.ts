// The database an export benchmark runs on, named by one string that the child processes get
// too: a SQLite file path, or a PostgreSQL URL whose connections work in the schema
// `bench_export` (options=-c search_path=…), so the benchmark never meets the tables of the
// database's other users.
import { execFileSync } from "node:child_process";
import { type Db, openDb } from "../../server/db.ts";

export const BENCH_SCHEMA = "bench_export";

/** A database string as the benchmark passes it: a PostgreSQL URL, or a SQLite file. */
export function openBenchDb(database: string): Db {
  return database.startsWith("postgres")
    ? openDb({ client: "pg", connectionString: database })
    : openDb({ client: "sqlite3", filename: database });
}

/** `url` with every connection's search_path set to the benchmark's schema. */
export function inBenchSchema(url: string): string {
  const address = new URL(url);
  address.searchParams.set("options", `-c search_path=${BENCH_SCHEMA}`);
  return address.toString();
}

/**
 * Opens PostgreSQL at `url`; when nothing answers and Debian's cluster tools are installed, starts
 * the first cluster (pg_ctlcluster, as .ci/run does) and tries again. Returns the URL of the
 * benchmark's schema, dropped and created afresh.
 */
export async function freshBenchSchema(url: string): Promise<string> {
  const reachable = async () => {
    const db = openDb({ client: "pg", connectionString: url });
    try {
      await db.raw("select 1");
      return true;
    } catch {
      return false;
    } finally {
      await db.destroy();
    }
  };
  if (!(await reachable())) {
    const cluster = execFileSync("pg_lsclusters", ["--no-header"], { encoding: "utf8" })
      .trim()
      .split(/\s+/);
    const [version, name] = cluster;
    if (!version || !name)
      throw new Error(`PostgreSQL at ${url} does not answer, and there is no cluster to start`);
    console.log(`Starting PostgreSQL ${version}/${name} (pg_ctlcluster)`);
    execFileSync("pg_ctlcluster", [version, name, "start"], { stdio: "inherit" });
    if (!(await reachable()))
      throw new Error(`PostgreSQL at ${url} does not answer after starting ${version}/${name}`);
  }
  const admin = openDb({ client: "pg", connectionString: url });
  try {
    await admin.raw(`drop schema if exists ${BENCH_SCHEMA} cascade`);
    await admin.raw(`create schema ${BENCH_SCHEMA}`);
  } finally {
    await admin.destroy();
  }
  return inBenchSchema(url);
}
