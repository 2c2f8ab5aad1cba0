// npm run import:community -- FILE [--format acs|tidy] [--year YYYY] [--encoding ENC] [--delimiter D] [--replace] [--json]

import { UsageError } from "../server/exit-message.ts";
import { ACS_TABLES } from "../server/imports/acs-tables.ts";
import {
  cliOption,
  LIBRARY_FLAG,
  LIBRARY_HELP,
  parseCliArgs,
  READ_OPTION_FLAGS,
  READ_OPTIONS_HELP,
  readOptionsOf,
  runCli,
} from "../server/imports/cli.ts";
import { importCommunity } from "../server/imports/community.ts";
import { parseCensusYear, parseCommunityFormat } from "../server/imports/import-options.ts";
import { formatReport } from "../server/imports/report.ts";
import { TIDY_COLUMNS } from "../server/imports/tidy.ts";
import { commandLine } from "../server/queries/audit-log.ts";

const HELP = `Usage: npm run import:community -- FILE [--format acs|tidy] [--year YYYY] [--encoding ENC]
         [--delimiter D] [--replace] [--json]

Imports community (census) data into DATABASE_URL, in one transaction.

  FILE            an ACS table as downloaded from data.census.gov (…-Data.csv, with or without
                  its label row, with or without margin columns), a Census API response (JSON),
                  or a tidy CSV: ${TIDY_COLUMNS.join(",")}
  --format        acs or tidy (default: detected from the header)
  --year YYYY     the ACS year, 1990 to 2100 (default: read from a name such as
                  ACSDT5Y2022.B01001-Data.csv)
${READ_OPTIONS_HELP}
  --replace       import a file that was imported before again, in place of the earlier import
  --json          print the import report as JSON
${LIBRARY_HELP}

ACS tables read: ${ACS_TABLES.map((t) => `${t.id} (${t.title} → ${t.dimension})`).join("; ")}.
Geographies: tract, block group, ZCTA, place, county, … (from GEO_ID), or any "kind" in tidy files.

Exit status: 0 imported, 1 bad input (the message names file, line and column; nothing is
changed), 2 unexpected failure.`;

const { values, positionals } = parseCliArgs({
  allowPositionals: true,
  options: {
    format: { type: "string" },
    year: { type: "string" },
    ...READ_OPTION_FLAGS,
    replace: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    ...LIBRARY_FLAG,
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

await runCli({ library: values.library }, async (db) => {
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError("Give exactly one FILE.");
  const format = cliOption(() => parseCommunityFormat(values.format));
  const year = cliOption(() => parseCensusYear(values.year));
  const read = await readOptionsOf(values);
  const report = await importCommunity(db, {
    ...read,
    file,
    format,
    year,
    replace: values.replace,
    by: commandLine(),
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
});
