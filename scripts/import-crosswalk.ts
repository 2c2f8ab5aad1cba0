// npm run import:crosswalk -- FILE [--encoding ENC] [--delimiter D] [--replace] [--json]
import { UsageError } from "../server/exit-message.ts";
import {
  LIBRARY_FLAG,
  LIBRARY_HELP,
  parseCliArgs,
  READ_OPTION_FLAGS,
  READ_OPTIONS_HELP,
  readOptionsOf,
  runCli,
} from "../server/imports/cli.ts";
import { importCrosswalk } from "../server/imports/crosswalk.ts";
import { formatReport } from "../server/imports/report.ts";
import { commandLine } from "../server/queries/audit-log.ts";

const HELP = `Usage: npm run import:crosswalk -- FILE [--encoding ENC] [--delimiter D] [--replace] [--json]

Imports a crosswalk that rolls census geographies up into the areas the library works with
(branch service areas, council or supervisor districts, neighbourhoods), in one transaction.

  FILE        CSV with the columns from,to[,weight][,to_name]
                from     a census geoid (tract 06075010101, ZCTA 94110, …; a GEO_ID works too)
                to       the area's identifier (created as a "custom" geography when new)
                weight   the share of the census geography in the area, > 0 and ≤ 1 (default 1);
                         a geography's weights add up to at most 1
                to_name  the area's name (optional)
${READ_OPTIONS_HELP}
  --replace   import a file that was imported before again, in place of the earlier import
  --json      print the import report as JSON
${LIBRARY_HELP}

Counts roll up exactly (Σ weight × count); margins of error combine as √Σ(weight × MOE)². The
roll-up happens when the analysis asks for it; census rows are kept as imported.

Exit status: 0 imported, 1 bad input (the message names file, line and column; nothing is
changed), 2 unexpected failure.`;

const { values, positionals } = parseCliArgs({
  allowPositionals: true,
  options: {
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
  const read = await readOptionsOf(values);
  const report = await importCrosswalk(db, {
    ...read,
    file,
    replace: values.replace,
    by: commandLine(),
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
});
