// npm run library, and --library on the commands that read or write a library's data, as a user
// runs them: child processes (Node with tsx) on a temporary SQLite instance whose libraries get
// files of their own in libraries/ beside it.
import { execFile } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { type Db, openDb } from "../../server/db.ts";
import { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { findLibrary, listLibraries, listMemberships } from "../../server/queries/libraries.ts";
import { findStaffUserByEmail } from "../../server/queries/staff-users.ts";
import { listUsageGapRuns } from "../../server/queries/usage-gap-runs.ts";
import { basePatrons, censusCsv, importPatrons, tempDir } from "../reports/usage-gaps-fixture.ts";

const exec = promisify(execFile);

let dir: string;
let database: string;

async function cli(
  script: string,
  args: string[],
  input?: string,
  extraEnv: Record<string, string> = {},
) {
  const child = exec(
    process.execPath,
    ["--import", "tsx", path.join(ROOT_DIR, "scripts", `${script}.ts`), ...args],
    {
      cwd: ROOT_DIR,
      env: {
        ...process.env,
        DATABASE_URL: database,
        DATA_DIR: dir,
        NODE_ENV: "test",
        SESSION_SECRET: "s".repeat(32),
        SUPPRESS_BELOW: "10",
        ...extraEnv,
      },
      maxBuffer: 20 * 1024 * 1024,
    },
  );
  child.child.stdin?.end(input ?? "");
  try {
    const { stdout, stderr } = await child;
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

/** The instance database and the libraries' own, for looking at what a command stored. */
async function withDatabases<T>(
  work: (instance: Db, library: (slug: string) => Promise<Db>) => Promise<T>,
): Promise<T> {
  const instance = openDb({ client: "sqlite3", filename: database });
  const libraries = new LibraryDatabases(instance, { client: "sqlite3", filename: database });
  try {
    return await work(instance, async (slug) => {
      const library = await findLibrary(instance, slug);
      if (!library) throw new Error(`no library ${slug}`);
      return libraries.db(library);
    });
  } finally {
    await libraries.close();
    await instance.destroy();
  }
}

beforeAll(() => {
  dir = tempDir();
  database = path.join(dir, "instance.sqlite");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run library", { timeout: 120_000 }, () => {
  it("adds a library with its own database file, lists it and audits it", async () => {
    const added = await cli("library", [
      "add",
      "east",
      "--name",
      "East Branch Library",
      "--fscs",
      "il0123",
      "--region",
      "North",
    ]);
    expect(added.err).toBe("");
    expect(added.code).toBe(0);
    expect(added.out).toContain("Added East Branch Library (east)");
    expect(existsSync(path.join(dir, "libraries", "east.db"))).toBe(true);
    expect((await cli("library", ["add", "west", "--name", "West Side"])).code).toBe(0);
    const list = await cli("library", ["list"]);
    expect(list.out).toContain("east\tEast Branch Library\tIL0123\tNorth");
    expect(list.out).toContain("default\tOur library\t-\t-");
    await withDatabases(async (instance, library) => {
      const [entry] = await listAudit(instance, { action: "library.add" });
      expect(entry).toMatchObject({ target: "west", details: { via: "command line" } });
      expect(await listAudit(await library("east"), { action: "library.add" })).toHaveLength(1);
    });
  });

  it("refuses a bad slug, a taken slug, a bad or taken FSCS id and an empty name, with exit 1 and the rule", async () => {
    const badSlug = await cli("library", ["add", "East_Side", "--name", "X"]);
    expect(badSlug.code).toBe(1);
    expect(badSlug.err).toContain('slug: "East_Side" is not a library slug: 2 to 40 characters');
    const taken = await cli("library", ["add", "east", "--name", "Again"]);
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('there is already a library "east"');
    const badFscs = await cli("library", ["add", "north", "--name", "N", "--fscs", "IL12"]);
    expect(badFscs.code).toBe(1);
    expect(badFscs.err).toContain("a two-letter state code and four digits");
    const takenFscs = await cli("library", ["add", "north", "--name", "N", "--fscs", "IL0123"]);
    expect(takenFscs.code).toBe(1);
    expect(takenFscs.err).toContain("IL0123 is already the FSCS id of East Branch Library");
    const noName = await cli("library", ["add", "north", "--name", "  "]);
    expect(noName.code).toBe(1);
    expect(noName.err).toContain("name: give the library's name");
    const noNameAtAll = await cli("library", ["add", "north"]);
    expect(noNameAtAll.code).toBe(1);
    expect(noNameAtAll.err).toContain("--name");
    await withDatabases(async (instance) => {
      expect((await listLibraries(instance)).map((l) => l.slug).sort()).toEqual([
        "default",
        "east",
        "west",
      ]);
    });
    expect(existsSync(path.join(dir, "libraries", "north.db"))).toBe(false);
  });

  it("renames the default library and clears an FSCS id; an unknown slug lists the libraries", async () => {
    const renamed = await cli("library", [
      "edit",
      "default",
      "--name",
      "Springfield Public Library",
    ]);
    expect(renamed.code).toBe(0);
    const cleared = await cli("library", ["edit", "east", "--fscs", ""]);
    expect(cleared.code).toBe(0);
    await withDatabases(async (instance) => {
      expect((await findLibrary(instance, "default"))?.name).toBe("Springfield Public Library");
      expect((await findLibrary(instance, "east"))?.fscsId).toBeNull();
    });
    const unknown = await cli("library", ["edit", "nowhere", "--name", "X"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('there is no library "nowhere" (libraries: default, east, west;');
    const help = await cli("library", ["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("add SLUG --name");
  });
});

describe("npm run user with libraries", { timeout: 120_000 }, () => {
  it("adds one account to two libraries with a different role in each, keeping its password", async () => {
    const first = await cli(
      "user",
      ["add", "ana@library.org", "--role", "admin", "--library", "east"],
      "a long enough password\n",
    );
    expect(first.err).toBe("");
    expect(first.out).toContain("Added ana@library.org with the admin role in East Branch Library");
    const hash = await withDatabases(
      async (instance) => (await findStaffUserByEmail(instance, "ana@library.org"))?.passwordHash,
    );
    // No password on standard input: an existing account is not asked for one.
    const second = await cli("user", [
      "add",
      "ana@library.org",
      "--role",
      "staff",
      "--library",
      "west",
    ]);
    expect(second.code).toBe(0);
    expect(second.out).toContain("staff role in West Side (west); its password is unchanged");
    await withDatabases(async (instance, library) => {
      const account = await findStaffUserByEmail(instance, "ana@library.org");
      expect(account?.passwordHash).toBe(hash);
      const roles = (await listMemberships(instance, account?.id ?? 0)).map(
        (m) => `${m.library.slug}:${m.role}`,
      );
      expect(roles.sort()).toEqual(["east:admin", "west:staff"]);
      // Each library's membership change is in that library's own audit log, not another's.
      const west = await listAudit(await library("west"), { action: "user.add" });
      expect(west.map((e) => e.target)).toEqual(["ana@library.org"]);
      expect(await listAudit(instance, { action: "user.add" })).toEqual([]);
    });
    const list = await cli("user", ["list"]);
    expect(list.out).toMatch(
      /ana@library\.org\t(east:admin, west:staff|west:staff, east:admin)\tactive/,
    );
    const members = await cli("user", ["list", "--library", "west"]);
    expect(members.out).toBe("ana@library.org\tstaff\tactive\n");
  });

  it("keeps the last admin of each library: removing the only admin of east is refused, of west allowed", async () => {
    const last = await cli("user", ["remove", "ana@library.org", "--library", "east"]);
    expect(last.code).toBe(1);
    expect(last.err).toContain("only active admin");
    const removed = await cli("user", ["remove", "ana@library.org", "--library", "west"]);
    expect(removed.code).toBe(0);
    expect(removed.out).toContain("no longer a member of West Side");
    const shared = await cli("user", ["add", "ana@library.org", "--role", "staff"]);
    expect(shared.code).toBe(0);
    const disable = await cli("user", ["disable", "ana@library.org", "--library", "east"]);
    expect(disable.code).toBe(1);
    expect(disable.err).toContain("also belongs to Springfield Public Library");
  });

  it("gives the consortium and super-admin roles without any library, and takes them back", async () => {
    const consortium = await cli(
      "user",
      ["add", "state@library.org", "--role", "consortium"],
      "a long enough password\n",
    );
    expect(consortium.out).toContain(
      "Added state@library.org with the consortium role (no library)",
    );
    const superAdmin = await cli("user", ["add", "state@library.org", "--role", "super-admin"]);
    expect(superAdmin.out).toContain("now has the super-admin role; its password is unchanged");
    await withDatabases(async (instance) => {
      const account = await findStaffUserByEmail(instance, "state@library.org");
      expect(account).toMatchObject({ consortium: true, superAdmin: true });
      // Least privilege: neither role is a membership of any library.
      expect(await listMemberships(instance, account?.id ?? 0)).toEqual([]);
    });
    const withLibrary = await cli("user", [
      "add",
      "state@library.org",
      "--role",
      "consortium",
      "--library",
      "east",
    ]);
    expect(withLibrary.code).toBe(1);
    expect(withLibrary.err).toContain("a role across the instance");
    const removed = await cli("user", ["remove", "state@library.org", "--role", "super-admin"]);
    expect(removed.code).toBe(0);
    await withDatabases(async (instance) => {
      expect(await findStaffUserByEmail(instance, "state@library.org")).toMatchObject({
        consortium: true,
        superAdmin: false,
      });
    });
    // The command line disables an account of no library too, and keeps each library's admin.
    const disabled = await cli("user", ["disable", "state@library.org"]);
    expect(disabled.err).toBe("");
    expect(disabled.out).toContain("state@library.org is disabled.");
    const lastAdmin = await cli("user", ["disable", "ana@library.org"]);
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.err).toContain(
      "ana@library.org is the only active admin and cannot be disabled (East Branch Library)",
    );
    const unknownLibrary = await cli("user", [
      "add",
      "x@library.org",
      "--role",
      "staff",
      "--library",
      "nope",
    ]);
    expect(unknownLibrary.code).toBe(1);
    expect(unknownLibrary.err).toContain(
      'there is no library "nope" (libraries: default, east, west;',
    );
  });
});

describe("--library on the data commands", { timeout: 180_000 }, () => {
  it("imports community data into the named library's database only", async () => {
    const file = path.join(dir, "community.csv");
    writeFileSync(file, censusCsv());
    const result = await cli("import-community", [file, "--format", "tidy", "--library", "east"]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    await withDatabases(async (instance, library) => {
      const east = await library("east");
      expect(Number((await east("community_population").count({ n: "*" }))[0]?.n)).toBeGreaterThan(
        0,
      );
      expect((await instance("community_population").count({ n: "*" }))[0]?.n).toBe(0);
      expect((await (await library("west"))("community_population").count({ n: "*" }))[0]?.n).toBe(
        0,
      );
    });
    const unknown = await cli("import-community", [file, "--library", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('there is no library "nope"');
  });

  it("analyzes and exports the named library's data; the default library has none", async () => {
    await withDatabases(async (_instance, library) =>
      importPatrons(await library("east"), dir, basePatrons()),
    );
    const analysis = await cli("analyze", ["--library", "east", "--format", "json"]);
    expect(analysis.err).toBe("");
    expect(analysis.code).toBe(0);
    await withDatabases(async (instance, library) => {
      expect(await listUsageGapRuns(await library("east"))).toHaveLength(1);
      expect(await listUsageGapRuns(instance)).toHaveLength(0);
    });
    const csv = await cli("export", ["gaps", "--library", "east"]);
    expect(csv.code).toBe(0);
    expect(csv.out.split("\n").length).toBeGreaterThan(2);
    const none = await cli("export", ["gaps"]);
    expect(none.code).toBe(1);
    expect(none.err).toContain("no usage-gap analysis yet");
  });

  it("migrates every library's database, and refuses to roll back the library list while libraries exist", async () => {
    const up = await cli("migrate", []);
    expect(up.code).toBe(0);
    expect(up.out).toContain("east: up to date");
    expect(up.out).toContain("west: up to date");
    const down = await cli("migrate", ["--down"]);
    expect(down.code).toBe(1);
    expect(down.err).toContain("would drop the list of libraries");
    await withDatabases(async (instance) => {
      expect(await instance.schema.hasTable("libraries")).toBe(true);
    });
  });

  it("adopts a standard survey into a library, whose own survey folder was read when it was added", async () => {
    const own = path.join(dir, "surveys", "libraries", "south");
    mkdirSync(own, { recursive: true });
    copyFileSync(
      path.join(ROOT_DIR, "surveys", "community-needs.json"),
      path.join(own, "community-needs.json"),
    );
    const env = { SURVEYS_DIR: path.join(dir, "surveys") };
    cpSync(path.join(ROOT_DIR, "surveys", "standard"), path.join(dir, "surveys", "standard"), {
      recursive: true,
    });
    expect((await cli("library", ["add", "south", "--name", "South Branch"], "", env)).code).toBe(
      0,
    );
    const adopted = await cli("library", ["adopt", "south", "program-outcome"], "", env);
    expect(adopted.err).toBe("");
    expect(adopted.code).toBe(0);
    expect(adopted.out).toContain("South Branch now runs the standard survey program-outcome");
    const unknown = await cli("library", ["adopt", "south", "no-such-survey"], "", env);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('There is no standard survey "no-such-survey"');
    await withDatabases(async (_instance, library) => {
      const south = await library("south");
      const surveys = (await south("surveys").select("slug", "standard").orderBy("slug")) as {
        slug: string;
        standard: boolean | number;
      }[];
      expect(surveys.map((r) => [r.slug, Boolean(r.standard)])).toEqual([
        ["community-needs", false],
        ["program-outcome", true],
      ]);
      expect(await listAudit(south, { action: "survey.adopt" })).toHaveLength(1);
    });
  });
});
