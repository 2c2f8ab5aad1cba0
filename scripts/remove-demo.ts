// npm run demo:remove -- --yes: deletes every demo row (the fictional county's census and patron
// imports, the demo responses with their tags, assessments and analyses) and nothing else, and
// logs it in the audit log; the demo is not loaded again at start-up. The same as the button on
// /staff/demo.
import { UsageError } from "../server/exit-message.ts";
import { LIBRARY_FLAG, LIBRARY_HELP, parseCliArgs, runCli } from "../server/imports/cli.ts";
import { removeDemoData } from "../server/imports/demo.ts";
import { countDemoRows, type DemoCounts } from "../server/queries/demo.ts";

const HELP = `Usage: npm run demo:remove -- --yes

Removes all demo data from the database in DATABASE_URL before going live: the demo census
tables, crosswalk and patron export of the fictional Riverbend County, the demo survey responses
with their tags, the demo self-assessments and the demo usage-gap analysis. Data your library
imported or collected is not touched. The removal is written to the audit log, and the demo is
not loaded again when Open Door starts.

  --yes       remove (without it, only says what would be removed)
${LIBRARY_HELP}
  -h, --help  this help`;

const { values } = parseCliArgs({
  options: {
    yes: { type: "boolean", default: false },
    ...LIBRARY_FLAG,
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const describe = (c: DemoCounts) =>
  `${c.imports} imports, ${c.responses} survey responses (${c.tags} tags), ${c.assessments} self-assessments, ${c.analyses} analyses`;

await runCli({ library: values.library }, async (db) => {
  const counts = await countDemoRows(db);
  if (counts.imports + counts.responses + counts.assessments + counts.analyses === 0) {
    console.log("There is no demo data in this database.");
    return;
  }
  if (!values.yes) {
    throw new UsageError(`Would remove ${describe(counts)}. Run again with --yes to remove them`);
  }
  const removed = await removeDemoData(db, { actor: null, via: "command line" });
  console.log(`Removed the demo data: ${describe(removed)}, ${removed.areas} areas.`);
});
