import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateLatest, openDb } from "../../server/db.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import { runScript } from "../helpers/cli.ts";
import {
  basePatrons,
  importCensus,
  importPatrons,
  tempDir,
} from "../reports/usage-gaps-fixture.ts";

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

let dir: string;
let database: string;

beforeAll(async () => {
  dir = tempDir();
  chmodSync(dir, 0o777);
  database = path.join(dir, "cli.sqlite");
  const db = openDb({ client: "sqlite3", filename: database });
  try {
    await migrateLatest(db);
    await syncSurveys(db, PROJECT_SURVEYS);
    await importCensus(db, dir, { crosswalk: true });
    await importPatrons(db, dir, basePatrons());
  } finally {
    await db.destroy();
  }
  // "nobody" (the unwritable-folder case, when the tests run as root) must open the database.
  chmodSync(database, 0o666);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (script: string, args: string[], options: { asNobody?: boolean } = {}) =>
  runScript(
    script,
    args,
    { DATABASE_URL: database, DATA_DIR: dir, SESSION_SECRET: "s".repeat(32) },
    options.asNobody && isRoot ? { uid: NOBODY, gid: NOBODY } : {},
  );

/** Exit 1 and exactly one line on standard error, matching `message`; nothing on standard output. */
function expectOneLine(
  outcome: { code: number; stdout: string; stderr: string },
  message: RegExp,
): void {
  const context = JSON.stringify(outcome);
  expect(outcome.code, context).toBe(1);
  expect(outcome.stdout, context).toBe("");
  const lines = outcome.stderr.trim().split("\n");
  expect(lines, context).toHaveLength(1);
  expect(lines[0], context).toMatch(message);
}

const LIST_OPTIONS = /\(--help lists the options\)$/;
const cases: Array<[string, string[], RegExp]> = [
  // analyze
  ["analyze.ts", ["--format", "xml"], /^--format must be text or json \(got "xml"\)/],
  ["analyze.ts", ["--format"], /^Option '--format <value>' argument missing/],
  ["analyze.ts", ["--colour"], /^Unknown option '--colour'/],
  ["analyze.ts", ["--no-save=yes"], /^Option '--no-save' does not take an argument/],
  ["analyze.ts", ["--geography", " "], /^--geography needs a level/],
  ["analyze.ts", ["--dimension", "shoe-size"], /^Error: .*shoe-size/],
  ["analyze.ts", ["--geography", "planet"], /^Error: .*planet/],
  ["analyze.ts", ["--service-area", "99999999999"], /^Error: .*99999999999/],
  // export
  ["export.ts", ["spreadsheet"], /^Name one export: responses, codebook/],
  ["export.ts", ["responses"], /^responses needs --survey SLUG/],
  ["export.ts", ["responses", "--survey", "nope"], /^Error: There is no survey "nope"$/],
  [
    "export.ts",
    ["codebook", "--survey", "community-needs", "--labels", "xx"],
    /^--labels takes en, es/,
  ],
  [
    "export.ts",
    ["responses", "--survey", "community-needs", "--format", "xls"],
    /^--format takes wide, long, r or spss \(got "xls"\)/,
  ],
  [
    "export.ts",
    ["codebook", "--survey", "community-needs", "--format", "long"],
    /^--format applies to responses only/,
  ],
  // Each of these used to give an empty export, exit 0: a value that can never match.
  [
    "export.ts",
    ["responses", "--survey", "community-needs", "--channel", "pigeon"],
    /^--channel takes web, kiosk, paper, event, interview \(got "pigeon"\)/,
  ],
  [
    "export.ts",
    ["responses", "--survey", "community-needs", "--language", "xx"],
    /^--language takes en, es, .* \(got "xx"\)/,
  ],
  [
    "export.ts",
    ["responses", "--survey", "community-needs", "--location", "Main Branch"],
    /^--location takes location ids .*got "Main Branch"/,
  ],
  [
    "export.ts",
    ["responses", "--survey", "community-needs", "--use", "sometimes"],
    /^--use takes .*got "sometimes"/,
  ],
  [
    "export.ts",
    ["responses", "--survey", "community-needs", "--from", "2024-02-30"],
    /^--from must be a date as YYYY-MM-DD \(got "2024-02-30"\)/,
  ],
  [
    "export.ts",
    ["responses", "--survey", "community-needs", "--to", "yesterday"],
    /^--to must be a date as YYYY-MM-DD/,
  ],
  [
    "export.ts",
    ["responses", "--survey", "community-needs", "--from", "2024-03-01", "--to", "2024-02-01"],
    /^--from must not be after --to/,
  ],
  [
    "export.ts",
    ["results", "--survey", "community-needs", "--by", "shoe-size"],
    /^--by takes language, channel/,
  ],
  [
    "export.ts",
    ["crosstab", "--survey", "community-needs", "--columns", "group:language"],
    /^--rows needs a variable: QUESTION, QUESTION:CHOICE/,
  ],
  [
    "export.ts",
    ["crosstab", "--survey", "community-needs", "--rows", "nope", "--columns", "group:language"],
    /^Error: the survey has no question "nope"/,
  ],
  [
    "export.ts",
    [
      "crosstab",
      "--survey",
      "community-needs",
      "--rows",
      "group:shoe",
      "--columns",
      "group:language",
    ],
    /^--rows group:DIMENSION takes/,
  ],
  [
    "export.ts",
    ["responses", "--survey", "community-needs", "--bom=yes"],
    /^Option '--bom' does not take an argument/,
  ],
  // user
  [
    "user.ts",
    ["add", "ana@library.org", "--role", "wizard"],
    /^user add: --role takes staff, analyst, admin, consortium, super-admin \(got "wizard"\)$/,
  ],
  // libraries, and --library on a data command
  [
    "library.ts",
    ["add", "Main Street", "--name", "Main"],
    /^library add: slug: "Main Street" is not a library slug: 2 to 40 characters/,
  ],
  ["library.ts", ["fly"], /^library: unknown command "fly" \(--help lists the options\)$/],
  [
    "analyze.ts",
    ["--library", "nowhere"],
    /^Error: there is no library "nowhere" \(libraries: default; npm run library -- list\)$/,
  ],
  [
    "user.ts",
    ["role", "ana@library.org", "--role", "wizard"],
    /^user role: (--role takes|there is no account)/,
  ],
  ["user.ts", ["add", "ana@library.org", "--colour"], /^user: Unknown option '--colour'/],
  ["user.ts", ["fly"], /^user fly: unknown command "fly"/],
  // imports (--encoding and --delimiter are checked with the file readers)
  [
    "import-community.ts",
    ["x.csv", "--format", "xml"],
    /^--format must be acs or tidy \(got "xml"\)/,
  ],
  [
    "import-community.ts",
    ["x.csv", "--year", "22"],
    /^--year must be a four-digit year \(got "22"\)/,
  ],
  ["import-community.ts", ["x.csv", "--year"], /^Option '--year <value>' argument missing/],
  ["import-community.ts", ["a.csv", "b.csv"], /^Give exactly one FILE/],
  [
    "import-community.ts",
    ["/no/such/file.csv"],
    /^Error: \/no\/such\/file\.csv: cannot read the file/,
  ],
  ["import-circulation.ts", ["x.csv"], /^--map MAPPING\.json is required/],
  [
    "import-circulation.ts",
    ["x.csv", "--map", "/no/such/map.json"],
    /^Error: \/no\/such\/map\.json: cannot read the mapping file/,
  ],
  [
    "import-circulation.ts",
    ["x.csv", "--map", "m.json", "--as-of", "2024-13-45"],
    /^--as-of must be a date YYYY-MM-DD \(got "2024-13-45"\)/,
  ],
  [
    "import-circulation.ts",
    ["x.csv", "--map", "m.json", "--threads", "0"],
    /^--threads must be a whole number from 1 to 99 \(got "0"\)/,
  ],
  ["import-circulation.ts", ["--suggest-map"], /^Give exactly one FILE/],
  [
    "import-circulation.ts",
    ["x.csv", "--replace=no"],
    /^Option '--replace' does not take an argument/,
  ],
  ["import-crosswalk.ts", [], /^Give exactly one FILE/],
  ["import-crosswalk.ts", ["x.csv", "--weights"], /^Unknown option '--weights'/],
  ["migrate.ts", ["--sideways"], /^migrate: Unknown option '--sideways'/],
  ["generate-demo.ts", ["--seed", "7"], /^Unknown option '--seed'/],
  [
    "generate-demo.ts",
    ["--out", "/dev/null/demo"],
    /^Error: cannot mkdir \/dev\/null\/demo: part of the path is not a folder$/,
  ],
];

describe("a bad option answers in one line, exit 1", { timeout: 300_000 }, () => {
  for (const [script, args, message] of cases) {
    it.concurrent(`${script} ${args.join(" ")}`, async () => {
      const outcome = await cli(script, args, {});
      expectOneLine(outcome, message);
      if (!/^(Error|user|migrate|library add)/.test(outcome.stderr))
        expect(outcome.stderr.trim()).toMatch(LIST_OPTIONS);
    });
  }
});

describe("export --out into a folder it cannot write", { timeout: 120_000 }, () => {
  const exportTo = (out: string, options?: { asNobody?: boolean }) =>
    cli("export.ts", ["responses", "--survey", "community-needs", "--out", out], options);

  it("a file in a folder that does not exist: refused before anything is exported or audited", async () => {
    const db = openDb({ client: "sqlite3", filename: database });
    const audited = (await listAudit(db)).length;
    await db.destroy();
    const missing = path.join(dir, "not-there", "responses.csv");
    expectOneLine(
      await exportTo(missing),
      /^--out .*not-there\/responses\.csv: the folder .*not-there does not exist; create it first, or choose another/,
    );
    const after = openDb({ client: "sqlite3", filename: database });
    expect((await listAudit(after)).length).toBe(audited);
    await after.destroy();
  });

  it("a folder (ending in /) that does not exist", async () => {
    expectOneLine(
      await exportTo(`${path.join(dir, "not-there")}/`),
      /^--out .*not-there\/: the folder .*not-there\/ does not exist/,
    );
  });

  it("a folder that is a file", async () => {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "x");
    expectOneLine(
      await exportTo(path.join(file, "out.csv")),
      /^--out .*a-file\/out\.csv: .*a-file is not a folder/,
    );
  });

  it("a folder this user may not write in", async () => {
    const locked = path.join(dir, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    // Root writes through permissions, so the command runs as "nobody" when the tests run as root.
    expectOneLine(
      await exportTo(path.join(locked, "responses.csv"), { asNobody: true }),
      /^--out .*locked\/responses\.csv: this user may not write in .*locked; choose another folder/,
    );
  });

  it("analyze --out under a file answers in one line too", async () => {
    const file = path.join(dir, "b-file");
    writeFileSync(file, "x");
    expectOneLine(
      await cli("analyze.ts", ["--out", path.join(file, "gaps")]),
      /^Error: cannot mkdir .*b-file\/gaps: part of the path is not a folder$/,
    );
  });
});
