// npm run user -- add|remove|disable|enable|role|password|list ...: manage staff accounts and
// their libraries from a terminal.
// Passwords are read from standard input (a pipe, or typed at a terminal without echo), never
// from the command line, where they would end up in shell history and process lists.
import { parseArgs } from "node:util";
import {
  addStaffMember,
  changeStaffRole,
  createInstanceAccount,
  createPasswordReset,
  createStaffAccount,
  INSTANCE_ROLES,
  isInstanceRole,
  removeStaffMember,
  setInstanceRole,
  setStaffDisabled,
  setStaffPassword,
} from "../server/auth/accounts.ts";
import { MIN_PASSWORD_LENGTH } from "../server/auth/password.ts";
import { type Config, loadConfig } from "../server/config.ts";
import { type Db, migrateLatest, openDb } from "../server/db.ts";
import { InputError } from "../server/errors.ts";
import { endWith } from "../server/exit-message.ts";
import { openLibrary } from "../server/libraries/libraries.ts";
import { LibraryDatabases } from "../server/libraries/library-databases.ts";
import { commandLine } from "../server/queries/audit-log.ts";
import { type Library, listMemberships } from "../server/queries/libraries.ts";
import {
  findStaffUserByEmail,
  listStaffAccounts,
  listStaffUsers,
  ROLES,
  type Role,
  type StaffAccount,
} from "../server/queries/staff-users.ts";

const HELP = `Usage: npm run user -- COMMAND [ARGS]

Commands:
  add EMAIL --role ROLE [--library SLUG]
                            add an account to a library with a role there; a new account's
                            password is read from standard input, an existing account keeps its
                            password and joins this library too
  add EMAIL --role consortium|super-admin
                            give an account (new or existing) a role across the instance
  role EMAIL --role ROLE [--library SLUG]
                            change an account's role in a library
  remove EMAIL --library SLUG
                            take an account out of a library (it keeps its other libraries)
  remove EMAIL --role consortium|super-admin
                            take an instance role away
  disable EMAIL             stop an account from logging in, in every library (its sessions end);
                            refused while it is the only active admin of a library
  disable EMAIL --library SLUG
                            the same, as that library's admin would: refused for an account that
                            also belongs to other libraries (remove it from this one instead)
  enable EMAIL              let a disabled account log in again
  password EMAIL            set a new password, read from standard input
  password EMAIL --link     print a one-time link (24 hours) to set a new password
  list [--library SLUG]     list accounts with their libraries and roles (or one library's members)

--library SLUG: the library (npm run library -- list); the default library when not given.

Passwords: at least ${MIN_PASSWORD_LENGTH} characters, not one of the 10,000 most common ones.
A new password, or a password link once used, ends every session of the account. At a terminal you are asked twice and
nothing is shown; from a pipe the first line is used, e.g.
  printf '%s\\n' "$PASSWORD" | npm run user -- add ana@library.org --role admin

Roles in a library: staff (dashboards), analyst (+ raw response exports), admin (+ accounts,
surveys, kiosks, imports, audit log). Roles across the instance: consortium (the consortium's
aggregates across libraries, read-only, never a library's own pages), super-admin (creates
libraries; it gives no access to any library's data: add a membership for that).
Uses DATABASE_URL like the server does.`;

/** Reads one line from a terminal with echo off. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stderr.write(question);
    input.setRawMode(true);
    input.resume();
    input.setEncoding("utf8");
    let value = "";
    const done = (result: string | Error) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener("data", onData);
      process.stderr.write("\n");
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return done(value);
        if (char === "\u0003") return done(new InputError("cancelled"));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else if (char >= " ") value += char;
      }
    };
    input.on("data", onData);
  });
}

async function readPipe(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text.split(/\r?\n/)[0] ?? "";
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const password = await readPipe();
    if (!password)
      throw new InputError("no password on standard input (send it as the first line)");
    return password;
  }
  const first = await promptHidden("Password: ");
  const second = await promptHidden("Password again: ");
  if (first !== second) throw new InputError("the two passwords differ");
  return first;
}

async function findByEmail(db: Db, email: string | undefined) {
  if (!email) throw new InputError("give the account's e-mail address");
  const user = await findStaffUserByEmail(db, email);
  if (!user) throw new InputError(`there is no account for ${email}`);
  return user;
}

interface Options {
  role?: string;
  link?: boolean;
  library?: string;
}

const ALL_ROLES = [...ROLES, ...INSTANCE_ROLES].join("|");

/** Before the password is asked for: a role that does not exist is the problem to report. */
function checkRole(role: string): void {
  if (!(ROLES as readonly string[]).includes(role) && !isInstanceRole(role))
    throw new InputError(
      `--role takes ${ROLES.join(", ")}, ${INSTANCE_ROLES.join(", ")} (got "${role}")`,
    );
}

function libraryRole(role: string | undefined): Role {
  if (!role) throw new InputError(`give a role: --role ${ROLES.join("|")}`);
  checkRole(role);
  if (isInstanceRole(role))
    throw new InputError(
      `${role} is a role across the instance, not in one library: leave out --library`,
    );
  return role as Role;
}

const instanceRoles = (a: StaffAccount) =>
  [a.consortium ? "consortium" : "", a.superAdmin ? "super-admin" : ""].filter(Boolean);

async function run(
  libraries: LibraryDatabases,
  config: Config,
  command: string,
  args: string[],
  options: Options,
) {
  const db = libraries.instance;
  const { role } = options;
  const { actor } = commandLine();
  /** The library --library names (the default one when not given) and its database. */
  const target = () => openLibrary(libraries, options.library);
  /** Which library, in messages; a one-library install (no --library) reads as it always did. */
  const where = (library: Library) =>
    options.library === undefined ? "" : ` in ${library.name} (${library.slug})`;
  switch (command) {
    case "add": {
      const email = args[0];
      if (!email) throw new InputError("give the new account's e-mail address");
      if (!role) throw new InputError(`give a role: --role ${ALL_ROLES}`);
      checkRole(role);
      const existing = await findStaffUserByEmail(db, email);
      if (isInstanceRole(role)) {
        if (options.library !== undefined) libraryRole(role);
        if (existing) {
          await setInstanceRole(db, existing.id, role, true, actor);
          console.log(`${existing.email} now has the ${role} role; its password is unchanged.`);
        } else {
          const password = await readPassword();
          const account = await createInstanceAccount(db, { email, password, role }, actor);
          console.log(`Added ${account.email} with the ${role} role (no library).`);
        }
        return;
      }
      const { library, db: libraryDb } = await target();
      if (existing) {
        const user = await addStaffMember(
          db,
          { email, role, libraryId: library.id, libraryDb },
          actor,
        );
        console.log(
          `${user.email} has the ${user.role} role${where(library)}; its password is unchanged.`,
        );
        return;
      }
      const password = await readPassword();
      const user = await createStaffAccount(
        db,
        { email, password, role, libraryId: library.id, libraryDb },
        actor,
      );
      console.log(`Added ${user.email} with the ${user.role} role${where(library)}.`);
      return;
    }
    case "role": {
      const user = await findByEmail(db, args[0]);
      const newRole = libraryRole(role ?? args[1]);
      const { library, db: libraryDb } = await target();
      const changed = await changeStaffRole(db, user.id, newRole, actor, library.id, libraryDb);
      console.log(`${changed.email} now has the ${changed.role} role${where(library)}.`);
      return;
    }
    case "remove": {
      const user = await findByEmail(db, args[0]);
      if (role !== undefined && isInstanceRole(role)) {
        await setInstanceRole(db, user.id, role, false, actor);
        console.log(`${user.email} no longer has the ${role} role.`);
        return;
      }
      if (options.library === undefined)
        throw new InputError(
          "give the library to take the account out of: --library SLUG (or --role consortium|super-admin)",
        );
      const { library, db: libraryDb } = await target();
      await removeStaffMember(db, user.id, actor, library.id, libraryDb);
      console.log(`${user.email} is no longer a member of ${library.name} (${library.slug}).`);
      return;
    }
    case "disable":
    case "enable": {
      const user = await findByEmail(db, args[0]);
      // Without --library: the account itself, whatever its libraries (the instance's operator).
      const libraryId = options.library === undefined ? null : (await target()).library.id;
      const changed = await setStaffDisabled(db, user.id, command === "disable", actor, libraryId);
      console.log(`${changed.email} is ${changed.disabled ? "disabled" : "enabled"}.`);
      return;
    }
    case "password": {
      const user = await findByEmail(db, args[0]);
      if (options.link) {
        // For someone who cannot reach this terminal: the link is shown here once, never stored.
        const reset = await createPasswordReset(db, user.id, actor, new Date(), null);
        const base = config.staff.publicUrl ?? `http://localhost:${config.port}`;
        console.log(`One-time link for ${user.email} (until ${reset.expiresAt.toISOString()}):`);
        console.log(`  ${base}/staff/reset/${reset.token}`);
        return;
      }
      await setStaffPassword(db, user.id, await readPassword(), actor);
      console.log(`New password set for ${user.email}; its sessions have ended.`);
      return;
    }
    case "list": {
      if (options.library !== undefined) {
        const { library } = await target();
        const users = await listStaffUsers(db, library.id);
        if (users.length === 0)
          console.log(`${library.name} (${library.slug}) has no staff accounts yet.`);
        for (const u of users)
          console.log(`${u.email}\t${u.role}\t${u.disabled ? "disabled" : "active"}`);
        return;
      }
      const accounts = await listStaffAccounts(db);
      if (accounts.length === 0) console.log("No staff accounts yet.");
      for (const a of accounts) {
        const memberships = (await listMemberships(db, a.id)).map(
          (m) => `${m.library.slug}:${m.role}`,
        );
        const roles = [...memberships, ...instanceRoles(a)].join(", ") || "no library";
        console.log(`${a.email}\t${roles}\t${a.disabled ? "disabled" : "active"}`);
      }
      return;
    }
    default:
      throw new InputError(`unknown command "${command}" (try --help)`);
  }
}

async function main(): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: {
        role: { type: "string" };
        link: { type: "boolean" };
        library: { type: "string" };
        help: { type: "boolean"; short: "h" };
      };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      options: {
        role: { type: "string" },
        link: { type: "boolean" },
        library: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    });
  } catch (error) {
    return endWith(error, { prefix: "user: " });
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) {
    console.log(HELP);
    return parsed.values.help ? 0 : 1;
  }
  let config: Config | undefined;
  let db: Db | undefined;
  let libraries: LibraryDatabases | undefined;
  try {
    config = loadConfig();
    db = openDb(config.database);
    await migrateLatest(db);
    libraries = new LibraryDatabases(db, config.database);
    await run(libraries, config, command, rest, parsed.values);
    return 0;
  } catch (error) {
    return endWith(error, { database: config?.database, prefix: `user ${command}: ` });
  } finally {
    await libraries?.close().catch(() => {});
    await db?.destroy().catch(() => {});
  }
}

process.exitCode = await main();
