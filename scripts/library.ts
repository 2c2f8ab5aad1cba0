// npm run library -- add|list|edit ...: the libraries of an instance (a consortium's members).
// The rules are server/libraries/libraries.ts's, the same the super-admin's page uses.
import { parseArgs } from "node:util";
import { type DatabaseConfig, loadConfig } from "../server/config.ts";
import { type Db, migrateLatest, openDb } from "../server/db.ts";
import { endWith, UsageError } from "../server/exit-message.ts";
import { addLibrary, editLibrary, SLUG_RULE } from "../server/libraries/libraries.ts";
import { LibraryDatabases } from "../server/libraries/library-databases.ts";
import { commandLine } from "../server/queries/audit-log.ts";
import { findLibrary, type Library, listLibraries } from "../server/queries/libraries.ts";
import { adoptStandardSurvey } from "../server/surveys/catalogue.ts";

const HELP = `Usage: npm run library -- COMMAND [ARGS]

Commands:
  add SLUG --name "NAME" [--fscs ID] [--region REGION]
                      add a library and create its database
  list                list the libraries
  edit SLUG [--name "NAME"] [--fscs ID] [--region REGION]
                      change a library's name, FSCS id or region (--fscs "" or --region ""
                      clears it); the slug stays, it names the library's database and URLs
  adopt SLUG SURVEY   the library adopts the consortium's standard survey SURVEY (a file in
                      surveys/standard/); admins can also adopt on /staff/surveys

  SLUG      ${SLUG_RULE}; the library's public pages are at /l/SLUG/…
  --fscs    the library's IMLS FSCS id (FSCSKEY in the Public Libraries Survey): the two-letter
            state code and four digits, e.g. IL0123
  --region  a region or system name, for the consortium's comparisons by region

Every install has the library "default": its data is in DATABASE_URL itself and its pages keep
the URLs without /l/SLUG. Give it its real name with
  npm run library -- edit default --name "Springfield Public Library"
Then add staff to a library with npm run user -- add EMAIL --role ROLE --library SLUG.
Uses DATABASE_URL like the server does.`;

const OPTIONS = {
  name: { type: "string" },
  fscs: { type: "string" },
  region: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>["values"];

const describe = (l: Library) => [l.slug, l.name, l.fscsId ?? "-", l.region ?? "-"].join("\t");

function slugOf(args: string[]): string {
  const [slug, ...extra] = args;
  if (!slug) throw new UsageError("give the library's slug");
  if (extra.length) throw new UsageError(`one slug only (got "${args.join(" ")}")`);
  return slug;
}

/** One entry per command: a new command (such as adopting a standard survey) is one more entry. */
const COMMANDS: Record<
  string,
  (libraries: LibraryDatabases, args: string[], values: Values) => Promise<void>
> = {
  async add(libraries, args, values) {
    const slug = slugOf(args);
    if (values.name === undefined) throw new UsageError('give the library\'s name: --name "NAME"');
    const library = await addLibrary(
      libraries.instance,
      libraries,
      { slug, name: values.name, fscsId: values.fscs, region: values.region },
      commandLine(),
      loadConfig(),
    );
    console.log(
      `Added ${library.name} (${library.slug}); its public pages are at /l/${library.slug}/.`,
    );
    console.log(
      `Add its first admin: npm run user -- add EMAIL --role admin --library ${library.slug}`,
    );
  },
  async list(libraries) {
    console.log(["slug", "name", "fscs", "region"].join("\t"));
    for (const library of await listLibraries(libraries.instance)) console.log(describe(library));
  },
  async edit(libraries, args, values) {
    const slug = slugOf(args);
    if (values.name === undefined && values.fscs === undefined && values.region === undefined)
      throw new UsageError("give what to change: --name, --fscs or --region");
    const library = await editLibrary(
      libraries.instance,
      slug,
      { name: values.name, fscsId: values.fscs, region: values.region },
      commandLine(),
    );
    console.log(`Changed: ${describe(library)}`);
  },
  async adopt(libraries, args) {
    const [slug, survey, ...extra] = args;
    if (!slug || !survey || extra.length)
      throw new UsageError("give the library's slug and the standard survey's: adopt SLUG SURVEY");
    const library = await findLibrary(libraries.instance, slug);
    if (!library) throw new UsageError(`there is no library "${slug}" (npm run library -- list)`);
    const adopted = await adoptStandardSurvey(
      await libraries.db(library),
      survey,
      loadConfig(),
      commandLine(),
    );
    console.log(
      `${library.name} now runs the standard survey ${adopted.slug} (version ${adopted.versionId}); its responses stay the library's own.`,
    );
  },
};

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ options: OPTIONS, allowPositionals: true });
  } catch (error) {
    return endWith(error, { prefix: "library: " });
  }
  const [command, ...args] = parsed.positionals;
  if (parsed.values.help || !command) {
    console.log(HELP);
    return parsed.values.help ? 0 : 1;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) return endWith(new UsageError(`unknown command "${command}"`), { prefix: "library: " });
  let database: DatabaseConfig | undefined;
  let instance: Db | undefined;
  let libraries: LibraryDatabases | undefined;
  try {
    database = loadConfig().database;
    instance = openDb(database);
    await migrateLatest(instance);
    libraries = new LibraryDatabases(instance, database);
    await run(libraries, args, parsed.values);
    return 0;
  } catch (error) {
    return endWith(error, { database, prefix: `library ${command}: ` });
  } finally {
    await libraries?.close().catch(() => {});
    await instance?.destroy().catch(() => {});
  }
}

process.exitCode = await main();
