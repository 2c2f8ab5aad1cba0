// Each library's data lives in a database of its own: the tenancy boundary is the connection, so
// no query can reach another library's rows, whatever a route or an id in a URL says. The
// instance database (DATABASE_URL) is the default library's, as it always was, and also holds
// what the instance shares (accounts, memberships, sessions, rate limits, the library list).
// - SQLite: one file per library in the `libraries` folder beside the instance file
//   (`:memory:` instances, in tests, get in-memory libraries).
// - PostgreSQL: one schema per library (`library_<slug>`) in the same database. Its handle shares
//   the instance's connection pool and sets the schema search path on each connection it takes,
//   so 100 libraries need no more connections than one.
import path from "node:path";
import type { Knex } from "knex";
import type { DatabaseConfig } from "../config.ts";
import { type Db, migrateLatest, openDb } from "../db.ts";
import { DEFAULT_LIBRARY_ID, type Library } from "../queries/libraries.ts";

/** What a schema or file name is made from: checked when a library is added. */
export const LIBRARY_SLUG = /^[a-z][a-z0-9-]{1,39}$/;

export const schemaOf = (slug: string) => `library_${slug.replaceAll("-", "_")}`;

interface PgConnection {
  query(sql: string, callback: (error: Error | null) => void): void;
  /** The schema this connection's search path was last set to (set here). */
  openDoorSchema?: string;
}

type AcquiringClient = Knex.Client & {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
};

/** The instance's search path: the one DATABASE_URL gave the connection (RESET returns to it). */
const INSTANCE_PATH = "";

const setSearchPath = (connection: PgConnection, schema: string) =>
  new Promise<void>((resolve, reject) =>
    connection.query(
      schema === INSTANCE_PATH ? "RESET search_path" : `SET search_path TO "${schema}"`,
      (error) => (error ? reject(error) : resolve()),
    ),
  );

/**
 * Makes every connection `db` takes from the pool search `schema` first. A connection no library
 * has used yet already has the instance's search path, so it is taken as it is.
 */
function pinSearchPath(db: Db, schema: string): void {
  const client = db.client as AcquiringClient;
  // The prototype's: a handle made with withUserParams copies the instance's own override.
  const acquire = (Object.getPrototypeOf(client) as AcquiringClient).acquireConnection.bind(client);
  client.acquireConnection = async () => {
    const connection = await acquire();
    if ((connection.openDoorSchema ?? INSTANCE_PATH) === schema) return connection;
    try {
      await setSearchPath(connection, schema);
    } catch (error) {
      await client.releaseConnection(connection);
      throw error;
    }
    connection.openDoorSchema = schema;
    return connection;
  };
}

/**
 * The instance's schema: the first of the search path its URL sets (`?options=-c search_path=…`,
 * as the tests and benches do to share one database), else public.
 */
export function instanceSchema(connectionString: string): string {
  const options = new URL(connectionString).searchParams.get("options") ?? "";
  return /search_path=([^\s,]+)/.exec(options)?.[1] ?? "public";
}

export class LibraryDatabases {
  private readonly open = new Map<number, Promise<Db>>();
  private readonly opened: Db[] = [];

  constructor(
    readonly instance: Db,
    private readonly database: DatabaseConfig,
    private readonly onOpen?: (db: Db, library: Library) => void,
  ) {
    // Connections are shared with the libraries' handles: give the instance its own search path
    // back (DATABASE_URL's, e.g. `?options=-c search_path=…`, or the server's default).
    if (database.client === "pg") pinSearchPath(instance, INSTANCE_PATH);
  }

  /** The library's database, created and migrated on first use. */
  async db(library: Library): Promise<Db> {
    if (library.id === DEFAULT_LIBRARY_ID) return this.instance;
    let opening = this.open.get(library.id);
    if (!opening) {
      opening = this.openLibrary(library);
      this.open.set(library.id, opening);
      opening.catch(() => this.open.delete(library.id));
    }
    return opening;
  }

  private async openLibrary(library: Library): Promise<Db> {
    if (!LIBRARY_SLUG.test(library.slug)) throw new Error(`bad library slug ${library.slug}`);
    let db: Db;
    if (this.database.client === "sqlite3") {
      const filename =
        this.database.filename === ":memory:"
          ? ":memory:"
          : path.join(path.dirname(this.database.filename), "libraries", `${library.slug}.db`);
      db = openDb({ client: "sqlite3", filename });
      this.opened.push(db);
    } else {
      const schema = schemaOf(library.slug);
      await this.instance.raw(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      db = this.instance.withUserParams({ library: library.slug });
      pinSearchPath(db, schema);
    }
    await migrateLatest(db, "library");
    this.onOpen?.(db, library);
    return db;
  }

  /** Closes the libraries' own handles (SQLite); the instance is the caller's to close. */
  async close(): Promise<void> {
    await Promise.all(this.opened.map((db) => db.destroy()));
    this.opened.length = 0;
    this.open.clear();
  }
}
