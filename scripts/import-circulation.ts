// npm run import:circulation -- FILE --map MAPPING.json [--as-of YYYY-MM-DD] [--encoding ENC]
//   [--delimiter D] [--replace] [--allow-many-categories FIELD[,FIELD]] [--json]
// npm run import:circulation -- FILE --suggest-map [--encoding ENC] [--delimiter D]
import { endWith, UsageError, usageLine } from "../server/exit-message.ts";
import { importCirculation } from "../server/imports/circulation.ts";
import {
  cliOption,
  LIBRARY_FLAG,
  LIBRARY_HELP,
  parseCliArgs,
  progressBar,
  READ_OPTION_FLAGS,
  READ_OPTIONS_HELP,
  readOptionsOf,
  runCli,
} from "../server/imports/cli.ts";
import { parseAllowManyCategories, parseAsOfDate } from "../server/imports/import-options.ts";
import { loadMapping } from "../server/imports/mapping.ts";
import { formatReport } from "../server/imports/report.ts";
import { sampleFile, suggestMapping } from "../server/imports/suggest-map.ts";
import { commandLine } from "../server/queries/audit-log.ts";

const HELP = `Usage: npm run import:circulation -- FILE --map MAPPING.json [--as-of YYYY-MM-DD]
         [--encoding ENC] [--delimiter D] [--replace] [--allow-many-categories FIELD[,FIELD]] [--json]
       npm run import:circulation -- FILE --suggest-map [--encoding ENC] [--delimiter D]

Imports a patron export from an integrated library system (Sierra, Polaris, Koha, Evergreen,
Symphony, Alma, …) into DATABASE_URL as an aggregated cube: area × age band × language × patron
type × branch × active. No patron id, name, address, birth date or email is stored; columns the
mapping does not name are never read. One import is one transaction.

  FILE            the export, CSV with a header line
  --map FILE      the mapping (JSON, see docs/patron-mapping.md): which column gives
                  geography, age, language, patronType, branch, activity (required), checkouts,
                  registered; which patrons to exclude; activeWithinMonths (default 12);
                  registrationCountsAsActivity and partialYearCountsAsActive (default false)
  --as-of DATE    the export's reference date (default: today); active = activity within the
                  activeWithinMonths months that end on it (only the activity columns decide;
                  "None", "Never", blank… mean never active); the report states the rule in
                  one sentence with the counts it gave
  --suggest-map   read the header and a sample of rows and print a mapping to start from
                  (JSON on standard output, notes on standard error); nothing is imported
${READ_OPTIONS_HELP}
  --replace       import a file that was imported before again, in place of the earlier import
  --threads N     read an export of 32 MB or more in N parts on N threads (default 1: one pass);
                  worth it only with idle cores: each extra thread costs about a second of CPU
                  to start and 40-60 MB of memory
  --json          print the import report as JSON
${LIBRARY_HELP}
  --allow-many-categories FIELD[,FIELD]
                  let the category fields named (language, patronType, branch) have many
                  different values, such as 300 branches; as the mapping's "allowManyCategories".
                  Each use is written to the audit log, with the system user's name

Nothing identifying is stored through a category column either: the whole import is refused,
before anything is stored, when the column mapped as language, patronType or branch holds
values that look like e-mail addresses, phone numbers, card or barcode numbers, street
addresses or dates (never overridable), or more different values than a category has (more
than 200, or more than 5% of its rows from 1,000 rows on; --allow-many-categories overrides
this rule only).

Import community data first: patrons whose geography is blank or not among the imported areas
are counted in an "unknown area", and reported.

Exit status: 0 imported, 1 bad input (the message names file, line and column; nothing is
changed), 2 unexpected failure.`;

const { values, positionals } = parseCliArgs({
  allowPositionals: true,
  options: {
    map: { type: "string" },
    "as-of": { type: "string" },
    "suggest-map": { type: "boolean", default: false },
    ...READ_OPTION_FLAGS,
    replace: { type: "boolean", default: false },
    threads: { type: "string" },
    "allow-many-categories": { type: "string", multiple: true },
    json: { type: "boolean", default: false },
    ...LIBRARY_FLAG,
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
    console.error(usageLine("Give exactly one FILE."));
    process.exit(1);
  }
  try {
    const { header, rows } = await sampleFile(file, await readOptionsOf(values));
    const { mapping, notes } = suggestMapping(header, rows);
    console.log(JSON.stringify(mapping, null, 2));
    for (const note of notes) console.error(`note: ${note}`);
    console.error(
      `Suggested from the header and ${rows.length} sample rows: check it, save it, then run with --map.`,
    );
    process.exit(0);
  } catch (error) {
    process.exit(endWith(error));
  }
}

await runCli({ library: values.library }, async (db) => {
  if (!file || extra.length) throw new UsageError("Give exactly one FILE.");
  if (!values.map)
    throw new UsageError("--map MAPPING.json is required (or --suggest-map to start one).");
  const asOf = cliOption(() => parseAsOfDate(values["as-of"]));
  if (values.threads !== undefined && !/^[1-9]\d?$/.test(values.threads)) {
    throw new UsageError(
      `--threads must be a whole number from 1 to 99 (got "${values.threads}").`,
    );
  }
  const read = await readOptionsOf(values);
  const allowMany = cliOption(() => parseAllowManyCategories(values["allow-many-categories"]));
  const mapping = await loadMapping(values.map);
  const progress = progressBar("Reading patrons", "bytes");
  try {
    const report = await importCirculation(db, {
      ...read,
      file,
      mapping,
      mappingFile: values.map,
      asOf,
      replace: values.replace,
      threads: values.threads === undefined ? undefined : Number(values.threads),
      allowManyCategories: allowMany,
      by: commandLine(),
      onProgress: progress.update,
    });
    progress.stop();
    console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  } finally {
    progress.stop();
  }
});
