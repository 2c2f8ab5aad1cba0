// The identifying-columns guard in the patron import: a mapping that points a category field
// (language, patronType, branch) at an identifying column is refused before anything is
// stored, on one thread and on worker threads, through the import function and the CLI; the
// allowManyCategories override lets a real 300-branch column through and is audited; a real
// export is never refused. Guards issue 13 §2 (names, e-mails, card numbers, addresses and birth
// dates were stored verbatim as categories).
import { execFile } from "node:child_process";
import { userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { type MappingInput, parseMapping } from "../../server/imports/mapping.ts";
import { commandLine, listAudit } from "../../server/queries/audit-log.ts";
import { AS_OF, freshDb, tempDir, tempFile } from "./helpers.ts";
import { identifyingExport, REAL_MAPPING } from "./identifying-export.ts";

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

/** The tables an import writes, to compare before and after a refusal. */
async function stored(database: Db) {
  return {
    imports: await database("imports").select("*").orderBy("id"),
    patronCounts: await database("patron_counts").select("*").orderBy("id"),
  };
}

const mappingWith = (changes: Partial<MappingInput>) =>
  parseMapping({ ...REAL_MAPPING, ...changes });

describe("the patron import refuses identifying category columns", () => {
  const file = tempFile("patrons.csv", identifyingExport(1300));

  it("imports a real-shaped export (branch names, patron types, languages, age ranges)", async () => {
    db = await freshDb();
    const report = await importCirculation(db, {
      by: commandLine(),
      file,
      mapping: parseMapping(REAL_MAPPING),
      asOf: AS_OF,
    });
    expect(report.rowsAccepted).toBe(1300);
    const branches = await db("patron_counts").distinct("branch").orderBy("branch");
    expect(branches.map((b: { branch: string }) => b.branch)).toContain("Main Library");
  });

  it.each([
    ["branch", "Email", /1,300 of 1,300 values look like e-mail addresses/],
    ["patronType", "Card Number", /1,300 of 1,300 values look like library card or barcode/],
    ["branch", "Phone", /1,300 of 1,300 values look like phone numbers/],
    ["patronType", "Street", /1,300 of 1,300 values look like street addresses/],
    ["branch", "Birth Date", /1,300 of 1,300 values are dates/],
    ["branch", "Name", /1,300 different values in 1,300 rows|more than/],
    ["language", "Email", /1,300 of 1,300 values look like e-mail addresses/],
    ["language", "Name", /different values/],
  ] as const)(
    "refuses %s mapped to the %s column, naming it and the reason, and changes nothing",
    async (field, column, reason) => {
      db = await freshDb();
      await importCirculation(db, {
        by: commandLine(),
        file: tempFile("earlier.csv", identifyingExport(200)),
        mapping: parseMapping(REAL_MAPPING),
        asOf: AS_OF,
      });
      const before = await stored(db);
      const error = await importCirculation(db, {
        by: commandLine(),
        file,
        mapping: mappingWith({ [field]: { column } }),
        asOf: AS_OF,
      }).catch((e: unknown) => e);
      const message = String(error);
      expect(message).toContain(`patrons.csv: Column "${column}" (mapped as ${field})`);
      expect(message).toMatch(reason);
      expect(message).toContain("Nothing was imported.");
      // No patron value is echoed (the first row's values).
      for (const value of ["Ana Alvarez", "p0@example.org", "(415) 555-0000", "21234000000000"])
        expect(message).not.toContain(value);
      expect(await stored(db)).toEqual(before);
    },
  );

  it("refuses on worker threads too, before anything is stored", async () => {
    db = await freshDb();
    const before = await stored(db);
    await expect(
      importCirculation(db, {
        by: commandLine(),
        file,
        mapping: mappingWith({ patronType: { column: "Email" } }),
        asOf: AS_OF,
        threads: 3,
        parallelFromBytes: 0,
      }),
    ).rejects.toThrow(/Column "Email" \(mapped as patronType\).*1,300 of 1,300 values look like/);
    await expect(
      importCirculation(db, {
        by: commandLine(),
        file,
        mapping: mappingWith({ branch: { column: "Name" } }),
        asOf: AS_OF,
        threads: 3,
        parallelFromBytes: 0,
      }),
    ).rejects.toThrow(/Column "Name" \(mapped as branch\)/);
    // Each part keeps 509 values and pools the rest; the merge pools more: every row still counts.
    await expect(
      importCirculation(db, {
        by: commandLine(),
        file: tempFile("large.csv", identifyingExport(6000)),
        mapping: mappingWith({ branch: { column: "Phone" } }),
        asOf: AS_OF,
        threads: 3,
        parallelFromBytes: 0,
      }),
    ).rejects.toThrow(/Column "Phone" \(mapped as branch\).*6,000 of 6,000 values look like phone/);
    expect(await stored(db)).toEqual(before);
  });

  it("lets 300 branches through with allowManyCategories, on one or several threads, and audits it", async () => {
    const consortium = tempFile("consortium.csv", identifyingExport(6000));
    const mapping = mappingWith({ branch: { column: "Consortium Library" } });
    db = await freshDb();
    await expect(
      importCirculation(db, { by: commandLine(), file: consortium, mapping, asOf: AS_OF }),
    ).rejects.toThrow(
      /Column "Consortium Library" \(mapped as branch\).*300 different values in 6,000 rows.*allowManyCategories/,
    );
    expect(await listAudit(db, { action: "import.allowManyCategories" })).toEqual([]);

    const report = await importCirculation(db, {
      file: consortium,
      mapping: { ...mapping, allowManyCategories: ["branch"] },
      asOf: AS_OF,
      threads: 2,
      parallelFromBytes: 0,
      by: { actor: { id: 7, email: "analyst@library.test" }, via: "web" },
    });
    expect(report.rowsAccepted).toBe(6000);
    expect(report.warnings).toContain(
      'Column "Consortium Library" (mapped as branch) has 300 different values: allowed by allowManyCategories and written to the audit log.',
    );
    const branches = await db("patron_counts").countDistinct({ n: "branch" });
    expect(Number(branches[0]?.n)).toBe(300);
    const [entry] = await listAudit(db, { action: "import.allowManyCategories" });
    expect(entry).toMatchObject({
      actorEmail: "analyst@library.test",
      target: "consortium.csv",
      details: {
        via: "web",
        importId: report.importId,
        field: "branch",
        column: "Consortium Library",
        distinctValues: 300,
        rows: 6000,
      },
    });
  });

  it("does not let the override through for values that look identifying", async () => {
    db = await freshDb();
    await expect(
      importCirculation(db, {
        by: commandLine(),
        file,
        mapping: mappingWith({ branch: { column: "Email" } }),
        allowManyCategories: ["branch"],
        asOf: AS_OF,
      }),
    ).rejects.toThrow(/look like e-mail addresses.*cannot be overridden/);
    expect(await stored(db)).toEqual({ imports: [], patronCounts: [] });
  });
});

// The CLI as a user runs it (Node with tsx: a few seconds per run on a busy machine).
const run = promisify(execFile);
async function cli(args: string[], database: string) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.join(ROOT_DIR, "scripts", "import-circulation.ts"), ...args],
      {
        cwd: ROOT_DIR,
        env: {
          ...process.env,
          DATABASE_URL: database,
          NODE_ENV: "test",
          SESSION_SECRET: "s".repeat(32),
        },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run import:circulation with an identifying category column", {
  timeout: 90_000,
}, () => {
  it("exits 1 naming the column and reason, changes nothing, and imports with --allow-many-categories", async () => {
    const dir = tempDir();
    const database = path.join(dir, "cli.sqlite");
    const file = tempFile("consortium.csv", identifyingExport(6000));
    const mapFile = (changes: Partial<MappingInput>) =>
      tempFile("map.json", JSON.stringify({ ...REAL_MAPPING, ...changes }));

    const emails = await cli(
      [file, "--map", mapFile({ branch: { column: "Email" } }), "--as-of", "2024-03-31"],
      database,
    );
    expect(emails.code).toBe(1);
    expect(emails.stderr).toMatch(
      /consortium\.csv: Column "Email" \(mapped as branch\) looks like patron-identifying data: 6,000 of 6,000 values look like e-mail addresses/,
    );
    expect(emails.stderr).not.toContain("@example.org");

    const manyMap = mapFile({ branch: { column: "Consortium Library" } });
    const refused = await cli([file, "--map", manyMap, "--as-of", "2024-03-31"], database);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Column "Consortium Library" \(mapped as branch\)/);
    expect(refused.stderr).toMatch(/--allow-many-categories branch/);

    db = await freshDb(database);
    expect(await stored(db)).toEqual({ imports: [], patronCounts: [] });
    await db.destroy();
    db = undefined;

    const allowed = await cli(
      [file, "--map", manyMap, "--as-of", "2024-03-31", "--allow-many-categories", "branch"],
      database,
    );
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/has 300 different values: allowed by allowManyCategories/);
    db = await freshDb(database);
    const [entry] = await listAudit(db, { action: "import.allowManyCategories" });
    expect(entry?.details).toMatchObject({
      via: "command line",
      field: "branch",
      distinctValues: 300,
    });
    expect(entry?.actorEmail).toBe(userInfo().username || "command line");

    const unknown = await cli(
      [file, "--map", manyMap, "--allow-many-categories", "name"],
      database,
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/--allow-many-categories takes language, patronType, branch/);
  });
});
