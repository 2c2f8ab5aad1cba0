// npm run import:circulation -- FILE --map MAPPING.json [--as-of YYYY-MM-DD] [--replace] [--json]
// npm run import:circulation -- FILE --suggest-map
import { open } from "node:fs/promises";
import { parseArgs } from "node:util";
import { InputError } from "../server/errors.ts";
import { importCirculation } from "../server/imports/circulation.ts";
import { progressBar, runCli, UsageError } from "../server/imports/cli.ts";
import { type CalendarDate, parseIsoDate } from "../server/imports/dates.ts";
import { loadMapping } from "../server/imports/mapping.ts";
import { formatReport } from "../server/imports/report.ts";
import { sampleCsv, suggestMapping } from "../server/imports/suggest-map.ts";

const HELP = `Usage: npm run import:circulation -- FILE --map MAPPING.json [--as-of YYYY-MM-DD] [--replace] [--json]
       npm run import:circulation -- FILE --suggest-map

Imports a patron export from an integrated library system (Sierra, Polaris, Koha, Evergreen,
Symphony, Alma, …) into DATABASE_URL as an aggregated cube: area × age band × language × patron
type × branch × active. No patron id, name, address, birth date or email is stored; columns the
mapping does not name are never read. One import is one transaction.

  FILE            the export, CSV with a header line
  --map FILE      the mapping (JSON, see DESIGN.md "Patron export mapping"): which column gives
                  geography, age, language, patronType, branch, activity (required), checkouts,
                  registered; which patrons to exclude; activeWithinMonths (default 12);
                  registrationCountsAsActivity and partialYearCountsAsActive (default false)
  --as-of DATE    the export's reference date (default: today); active = activity within the
                  activeWithinMonths months that end on it (only the activity columns decide;
                  "None", "Never", blank… mean never active); the report states the rule in
                  one sentence with the counts it gave
  --suggest-map   read the header and a sample of rows and print a mapping to start from
                  (JSON on standard output, notes on standard error); nothing is imported
  --replace       import a file that was imported before again, in place of the earlier import
  --threads N     read an export of 32 MB or more in N parts on N threads (default 1: one pass);
                  worth it only with idle cores: each extra thread costs about a second of CPU
                  to start and 40-60 MB of memory
  --json          print the import report as JSON

Import community data first: patrons whose geography is blank or not among the imported areas
are counted in an "unknown area", and reported.

Exit status: 0 imported, 1 bad input (the message names file, line and column; nothing is
changed), 2 unexpected failure.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    map: { type: "string" },
    "as-of": { type: "string" },
    "suggest-map": { type: "boolean", default: false },
    replace: { type: "boolean", default: false },
    threads: { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const [file, ...extra] = positionals;

if (values["suggest-map"]) {
  if (!file || extra.length) {
    console.error(`Give exactly one FILE.\n\n${HELP}`);
    process.exit(1);
  }
  try {
    const handle = await open(file, "r").catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read the file (${error.code ?? error.message})`, { file });
    });
    const buffer = Buffer.alloc(256 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    await handle.close();
    const text = buffer.subarray(0, bytesRead).toString("utf8");
    const { header, rows } = sampleCsv(bytesRead < buffer.length ? `${text}\n` : text);
    if (header.length === 0) throw new InputError("the file is empty", { file, line: 1 });
    const { mapping, notes } = suggestMapping(header, rows);
    console.log(JSON.stringify(mapping, null, 2));
    for (const note of notes) console.error(`note: ${note}`);
    console.error(
      `Suggested from the header and ${rows.length} sample rows: check it, save it, then run with --map.`,
    );
    process.exit(0);
  } catch (error) {
    console.error(error instanceof InputError ? `Error: ${error.toString()}` : error);
    process.exit(error instanceof InputError ? 1 : 2);
  }
}

await runCli(HELP, async (db) => {
  if (!file || extra.length) throw new UsageError("Give exactly one FILE.");
  if (!values.map)
    throw new UsageError("--map MAPPING.json is required (or --suggest-map to start one).");
  let asOf: CalendarDate | undefined;
  if (values["as-of"] !== undefined) {
    const parsed = parseIsoDate(values["as-of"]);
    if (!parsed)
      throw new UsageError(`--as-of must be a date YYYY-MM-DD (got "${values["as-of"]}").`);
    asOf = parsed;
  }
  if (values.threads !== undefined && !/^[1-9]\d?$/.test(values.threads)) {
    throw new UsageError(
      `--threads must be a whole number from 1 to 99 (got "${values.threads}").`,
    );
  }
  const mapping = await loadMapping(values.map);
  const progress = progressBar("Reading patrons");
  try {
    const report = await importCirculation(db, {
      file,
      mapping,
      mappingFile: values.map,
      asOf,
      replace: values.replace,
      threads: values.threads === undefined ? undefined : Number(values.threads),
      onProgress: progress.update,
    });
    progress.stop();
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  } finally {
    progress.stop();
  }
});
