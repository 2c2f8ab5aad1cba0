import { writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { openDb } from "../../server/db.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { CT, SHAPEFILE } from "../helpers/boundaries.ts";
import { runScript } from "../helpers/cli.ts";
import { fixture, tempDir, tempFile } from "./helpers.ts";

const cli = (script: string, args: string[], database = path.join(tempDir(), "cli.sqlite")) =>
  runScript(script, args, { DATABASE_URL: database, SESSION_SECRET: "s".repeat(32) });

// Each case starts Node with tsx (a few seconds on a busy machine), hence the longer timeout.
describe("the import CLIs", { timeout: 60_000 }, () => {
  it.each([
    "import-community.ts",
    "import-circulation.ts",
    "import-crosswalk.ts",
    "import-boundaries.ts",
  ])("%s --help exits 0 with usage", async (script) => {
    const { code, stdout } = await cli(script, ["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run import:/);
    expect(stdout).toMatch(/Exit status: 0 imported, 1 bad input/);
  });

  it("imports community data, then refuses the same file with exit 1 and says why", async () => {
    const database = path.join(tempDir(), "cli.sqlite");
    const first = await cli("import-community.ts", [fixture("B03002-zcta.csv")], database);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Imported B03002-zcta\.csv as community import #1/);
    expect(first.stdout).toMatch(/categories do not add up to the total \(B03002\).*1 row, line 3/);
    const again = await cli("import-community.ts", [fixture("B03002-zcta.csv")], database);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/B03002-zcta\.csv: this file was already imported .*--replace/);
    // Issue 22: imports from the command line were not audited; the refused one writes nothing.
    const db = openDb({ client: "sqlite3", filename: database });
    try {
      const entries = await listAudit(db);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actorEmail: userInfo().username || "command line",
        action: "import.community",
        target: "B03002-zcta.csv",
        details: { via: "command line", importId: 1, replaced: false },
      });
    } finally {
      await db.destroy();
    }
  });

  it("exits 1 with the file, line and column of bad input", async () => {
    const file = tempFile(
      "partial.csv",
      "GEO_ID,NAME,B01001_001E,B01001_003E\n1400000US06075010101,x,10,10\n",
    );
    const { code, stderr } = await cli("import-community.ts", [file]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `Error: ${file}, line 1, column B01001_004E: table B01001 is incomplete`,
    );
  });

  it("suggests a mapping as JSON on standard output, notes on standard error", async () => {
    const { code, stdout, stderr } = await cli("import-circulation.ts", [
      fixture("koha-borrowers.csv"),
      "--suggest-map",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      activity: { column: "lastseen" },
      age: { column: "dateofbirth" },
    });
    expect(stderr).toMatch(/note: columns never read/);
  });

  it("imports a patron export quietly when standard error is not a terminal", async () => {
    const { code, stdout, stderr } = await cli("import-circulation.ts", [
      fixture("koha-borrowers.csv"),
      "--map",
      fixture("koha-mapping.json"),
      "--as-of",
      "2024-03-31",
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/rows accepted\s+4/);
    expect(stdout).toMatch(/warning: no community geographies of kind "zcta"/);
    expect(stderr).not.toMatch(/Reading patrons|█/);
  });

  it("takes --encoding and --delimiter, and the report says they were given", async () => {
    const database = path.join(tempDir(), "cli.sqlite");
    const latin1 = path.join(tempDir(), "origins.csv");
    writeFileSync(
      latin1,
      iconv.encode("geoid;dimension;category;count\r\nN01;origin;Español;10\n", "latin1"),
    );
    const community = await cli(
      "import-community.ts",
      [latin1, "--encoding", "windows-1252", "--delimiter", ";"],
      database,
    );
    expect(community.code).toBe(0);
    expect(community.stdout).toMatch(/encoding: windows-1252 \(given\)/);
    expect(community.stdout).toMatch(/delimiter: semicolon \(given\)/);
    const crosswalk = await cli(
      "import-crosswalk.ts",
      [tempFile("areas.txt", "from\tto\nN01\tEAST\n"), "--delimiter", "tab"],
      database,
    );
    expect(crosswalk.code).toBe(0);
    expect(crosswalk.stdout).toMatch(/delimiter: tab \(given\)/);
  });

  it("exits 1 naming the line and field of bad UTF-8 when --encoding utf-8 is given", async () => {
    const file = path.join(tempDir(), "patrons.csv");
    writeFileSync(file, iconv.encode("ZIP,Language,Seen\n94110,Español,2024-01-01\n", "latin1"));
    const map = tempFile("map.json", JSON.stringify({ activity: { column: "Seen" } }));
    const { code, stderr } = await cli("import-circulation.ts", [
      file,
      "--map",
      map,
      "--encoding",
      "utf-8",
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(`^Error: ${file}, line 2, column 2, field Language: not valid UTF-8 \\(byte 0xF1`),
    );
  });

  it("exits 1 with usage for an unknown --encoding, and names line and column of a bad --map", async () => {
    const file = tempFile("patrons.csv", "ZIP,Seen\n94110,2024-01-01\n");
    const unknown = await cli("import-circulation.ts", [
      file,
      "--suggest-map",
      "--encoding",
      "ebcdic-x",
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^--encoding: unknown encoding "ebcdic-x"/);
    expect(unknown.stderr).toMatch(/\(--help lists the options\)\n$/);
    const map = tempFile("map.json", '{\n  "activity": { "column": "Seen" },\n  oops\n}');
    const broken = await cli("import-circulation.ts", [file, "--map", map]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`Error: ${map}, line 3, column 3: not valid JSON`);
  });

  it("imports a zipped Census shapefile's boundaries, reporting the matching, and exits 1 on a bad file", async () => {
    const database = path.join(tempDir(), "cli.sqlite");
    const census = tempFile(
      "counties.csv",
      [
        "geoid,name,kind,dimension,category,count,moe",
        ...CT.slice(0, 7).map((g) => `${g},County ${g},county,age,Under 5 years,100,10`),
      ].join("\n"),
    );
    expect((await cli("import-community.ts", [census], database)).code).toBe(0);
    const ok = await cli("import-boundaries.ts", [SHAPEFILE], database);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Imported cb_2017_09_county_5m\.zip as boundaries import #2/);
    expect(ok.stdout).toMatch(/matched: 7/);
    expect(ok.stdout).toMatch(/unmatchedExamples: \["09015"\]/);
    const bad = await cli("import-boundaries.ts", [tempFile("x.geojson", "{")], database);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/x\.geojson: not valid JSON/);
  });
});
