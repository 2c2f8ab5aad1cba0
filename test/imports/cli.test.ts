// The import CLIs as a user runs them: --help, exit codes, messages naming file, line and
// column, the --suggest-map output, and no progress bar when standard error is not a terminal.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { CT, SHAPEFILE } from "../helpers/boundaries.ts";
import { fixture, tempDir, tempFile } from "./helpers.ts";

const run = promisify(execFile);

async function cli(script: string, args: string[], database = path.join(tempDir(), "cli.sqlite")) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", path.join(ROOT_DIR, "scripts", script), ...args],
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
