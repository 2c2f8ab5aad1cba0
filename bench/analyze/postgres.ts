// PostgreSQL for the benches: DATABASE_URL or TEST_DATABASE_URL when one names a PostgreSQL
// database, else the database .ci/run creates (opendoor_ci on the first local cluster). Debian's
// cluster is started with pg_ctlcluster when it is not running, as .ci/run does. Each bench size
// works in a schema of its own, kept between runs like the SQLite files in bench/out/.
import { spawnSync } from "node:child_process";
import type { DatabaseConfig } from "../../server/config.ts";
import { openDb } from "../../server/db.ts";

const isPostgresUrl = (url: string | undefined): url is string =>
  url !== undefined && /^postgres(ql)?:\/\//.test(url);

/** The first local cluster as pg_lsclusters lists it: version, name, port, status. */
function firstCluster(): { version: string; name: string; port: string; status: string } | null {
  const listed = spawnSync("pg_lsclusters", ["--no-header"], { encoding: "utf8" });
  if (listed.error || listed.status !== 0) return null;
  const [version, name, port, status] = (listed.stdout.split("\n")[0] ?? "").trim().split(/\s+/);
  return version && name && port && status ? { version, name, port, status } : null;
}

/** Starts Debian's first cluster if it is down; its port, or null without Debian's tools. */
function startCluster(): string | null {
  const cluster = firstCluster();
  if (!cluster) return null;
  if (cluster.status !== "online") {
    console.log(`Starting PostgreSQL ${cluster.version}/${cluster.name} (pg_ctlcluster) …`);
    const started = spawnSync("pg_ctlcluster", [cluster.version, cluster.name, "start"], {
      encoding: "utf8",
    });
    if (started.status !== 0) {
      throw new Error(
        `pg_ctlcluster ${cluster.version} ${cluster.name} start failed:\n${started.stderr}`,
      );
    }
  }
  return cluster.port;
}

/** The URL with every connection's search_path set to one schema. */
function inSchema(url: string, schema: string): string {
  const address = new URL(url);
  address.searchParams.set("options", `-c search_path=${schema}`);
  return address.toString();
}

/** A PostgreSQL database for a bench, in `schema` (created when missing). */
export async function postgresBenchDatabase(
  schema: string,
): Promise<DatabaseConfig & { url: string; label: string }> {
  const port = startCluster();
  const url =
    [process.env.DATABASE_URL, process.env.TEST_DATABASE_URL].find(isPostgresUrl) ??
    (port === null
      ? undefined
      : `postgres://opendoor_ci:opendoor_ci@localhost:${port}/opendoor_ci`);
  if (url === undefined) {
    throw new Error(
      "--postgres: set DATABASE_URL or TEST_DATABASE_URL to a postgres:// URL (no local Debian cluster found)",
    );
  }
  const admin = openDb({ client: "pg", connectionString: url });
  try {
    await admin.raw(`create schema if not exists ${schema}`);
  } finally {
    await admin.destroy();
  }
  const inIt = inSchema(url, schema);
  const shown = new URL(url);
  shown.password = "";
  return {
    client: "pg",
    connectionString: inIt,
    url: inIt,
    label: `PostgreSQL ${shown.host}${shown.pathname}, schema ${schema}`,
  };
}
