// npm run analyze -- [--dimension age|language|…] [--geography tract|zip|…] [--service-area GEOID,…]
//                    [--out DIR] [--format text|json] [--no-save]
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../server/config.ts";
import { UsageError } from "../server/exit-message.ts";
import {
  checkOutput,
  LIBRARY_FLAG,
  LIBRARY_HELP,
  parseCliArgs,
  progressBar,
  runCli,
} from "../server/imports/cli.ts";
import { commandLine } from "../server/queries/audit-log.ts";
import { runUsageGapAnalysis } from "../server/reports/usage-gaps.ts";

const HELP = `Usage: npm run analyze -- [--dimension NAME]… [--geography LEVEL] [--service-area GEOID,…]
                          [--out DIR] [--format text|json] [--no-save]

The usage-gap analysis: which groups of the community use the library less than their share, by
how much and with what uncertainty, and in which areas the most residents are not active
cardholders. Reads the census data and the latest patron export in DATABASE_URL.

  --dimension NAME     only this dimension (age, language, poverty, …); repeat or separate with
                       commas for several (default: all). A census-only dimension such as poverty
                       is not compared with patrons, but relates area composition to library use.
  --geography LEVEL    the areas to compare: tract, zip, blockgroup, place, custom (the areas of
                       the imported crosswalk: branch service areas, districts), … (default: the
                       level the patron export places patrons in). Census data is rolled up
                       through the crosswalk when it is not available at that level.
  --service-area LIST  only these areas (geoids of that level, comma-separated) as the service
                       area (default: every area with census data)
  --out DIR            also write DIR/groups.csv, DIR/areas.csv and DIR/usage-gaps.json
  --format FORMAT      text (readable tables and findings, the default) or json (the document
                       of README "Analysis methods", plus "changes" since the previous run)
  --no-save            do not save this run (saved runs give "the change since the previous run")
${LIBRARY_HELP}
  -h, --help           this help

Counts from 1 to SUPPRESS_BELOW − 1 (default 10) are shown as "<10" in every output, and numbers
that would reveal them are left out.

Exit status: 0 done, 1 no data yet or a bad option (the message says what to do), 2 unexpected
failure.`;

const { values } = parseCliArgs({
  allowPositionals: false,
  options: {
    dimension: { type: "string", multiple: true },
    geography: { type: "string" },
    "service-area": { type: "string" },
    out: { type: "string" },
    format: { type: "string", default: "text" },
    "no-save": { type: "boolean", default: false },
    ...LIBRARY_FLAG,
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const commaList = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((item) => item.split(","))
    .map((item) => item.trim())
    .filter(Boolean);

await runCli({ library: values.library }, async (db) => {
  const format = values.format;
  if (format !== "text" && format !== "json") {
    throw new UsageError(`--format must be text or json (got "${format}").`);
  }
  if (values.geography !== undefined && values.geography.trim() === "") {
    throw new UsageError("--geography needs a level: tract, zip, blockgroup, custom, …");
  }
  // The folder is made and checked before the analysis runs, not after.
  if (values.out !== undefined) {
    await mkdir(values.out, { recursive: true });
    checkOutput("--out", values.out);
  }
  const config = loadConfig();
  // The analysis of a large cube takes a while: its steps, on a terminal.
  const bar = progressBar("Usage gaps", "steps");
  let report: Awaited<ReturnType<typeof runUsageGapAnalysis>>;
  try {
    report = await runUsageGapAnalysis(db, {
      suppressBelow: config.suppressBelow,
      dimensions: commaList(values.dimension),
      geography: values.geography,
      serviceArea: commaList(values["service-area"]),
      save: !values["no-save"],
      onProgress: (step, done) => bar.update(Math.round(100 * done), 100, step),
      by: commandLine(),
    });
  } finally {
    bar.stop();
  }

  const json = `${JSON.stringify(report.document, null, 2)}\n`;
  if (values.out) {
    // Loaded only for what is asked: start-up is a large part of a run (bench/README.md).
    const [{ createWriteStream }, { pipeline }, { csvStream }, { areaCsvRows, groupCsvRows }] =
      await Promise.all([
        import("node:fs"),
        import("node:stream/promises"),
        import("../server/csv-stream.ts"),
        import("../server/reports/usage-gap-csv.ts"),
      ]);
    const dir = path.resolve(values.out);
    await mkdir(dir, { recursive: true });
    await pipeline(
      csvStream(groupCsvRows(report.document)),
      createWriteStream(path.join(dir, "groups.csv")),
    );
    await pipeline(
      csvStream(areaCsvRows(report.document)),
      createWriteStream(path.join(dir, "areas.csv")),
    );
    await writeFile(path.join(dir, "usage-gaps.json"), json);
    console.error(`Wrote groups.csv, areas.csv and usage-gaps.json to ${dir}`);
  }
  process.stdout.write(
    format === "json"
      ? json
      : (await import("../server/reports/usage-gap-text.ts")).usageGapText(report),
  );
});
