// npm run user -- add|disable|enable|role|password|list ...: manage staff accounts from a terminal.
// Passwords are read from standard input (a pipe, or typed at a terminal without echo), never
// from the command line, where they would end up in shell history and process lists.
import { parseArgs } from "node:util";
import {
  changeStaffRole,
  createPasswordReset,
  createStaffAccount,
  setStaffDisabled,
  setStaffPassword,
} from "../server/auth/accounts.ts";
import { MIN_PASSWORD_LENGTH } from "../server/auth/password.ts";
import { type Config, loadConfig } from "../server/config.ts";
import { type Db, migrateLatest, openDb } from "../server/db.ts";
import { InputError } from "../server/errors.ts";
import { endWith } from "../server/exit-message.ts";
import { commandLine } from "../server/queries/audit-log.ts";
import { DEFAULT_LIBRARY_ID } from "../server/queries/libraries.ts";
import { findStaffUserByEmail, listStaffUsers, ROLES } from "../server/queries/staff-users.ts";

const HELP = `Usage: npm run user -- COMMAND [ARGS]

Commands:
  add EMAIL --role admin|analyst|staff   add an account; the password is read from standard input
  role EMAIL --role admin|analyst|staff  change an account's role
  disable EMAIL                          stop an account from logging in (its sessions end)
  enable EMAIL                           let a disabled account log in again
  password EMAIL                         set a new password, read from standard input
  password EMAIL --link                  print a one-time link (24 hours) to set a new password
  list                                   list accounts

Passwords: at least ${MIN_PASSWORD_LENGTH} characters, not one of the 10,000 most common ones.
A new password, or a password link once used, ends every session of the account. At a terminal you are asked twice and
nothing is shown; from a pipe the first line is used, e.g.
  printf '%s\\n' "$PASSWORD" | npm run user -- add ana@library.org --role admin

Roles: staff (dashboards), analyst (+ raw response exports), admin (+ accounts, surveys,
kiosks, imports, audit log). Uses DATABASE_URL like the server does.`;

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
}

/** Before the password is asked for: a role that does not exist is the problem to report. */
function checkRole(role: string): void {
  if (!(ROLES as readonly string[]).includes(role))
    throw new InputError(`--role takes ${ROLES.join(", ")} (got "${role}")`);
}

async function run(db: Db, config: Config, command: string, args: string[], options: Options) {
  const { role } = options;
  const { actor } = commandLine();
  switch (command) {
    case "add": {
      const email = args[0];
      if (!email) throw new InputError("give the new account's e-mail address");
      if (!role) throw new InputError(`give a role: --role ${ROLES.join("|")}`);
      checkRole(role);
      const password = await readPassword();
      const user = await createStaffAccount(db, { email, password, role }, actor);
      console.log(`Added ${user.email} with the ${user.role} role.`);
      return;
    }
    case "role": {
      const user = await findByEmail(db, args[0]);
      const newRole = role ?? args[1];
      if (!newRole) throw new InputError(`give a role: --role ${ROLES.join("|")}`);
      checkRole(newRole);
      const changed = await changeStaffRole(db, user.id, newRole, actor);
      console.log(`${changed.email} now has the ${changed.role} role.`);
      return;
    }
    case "disable":
    case "enable": {
      const user = await findByEmail(db, args[0]);
      const changed = await setStaffDisabled(db, user.id, command === "disable", actor);
      console.log(`${changed.email} is ${changed.disabled ? "disabled" : "enabled"}.`);
      return;
    }
    case "password": {
      const user = await findByEmail(db, args[0]);
      if (options.link) {
        // For someone who cannot reach this terminal: the link is shown here once, never stored.
        const reset = await createPasswordReset(db, user.id, actor);
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
      const users = await listStaffUsers(db, DEFAULT_LIBRARY_ID);
      if (users.length === 0) console.log("No staff accounts yet.");
      for (const u of users)
        console.log(`${u.email}\t${u.role}\t${u.disabled ? "disabled" : "active"}`);
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
  try {
    config = loadConfig();
    db = openDb(config.database);
    await migrateLatest(db);
    await run(db, config, command, rest, parsed.values);
    return 0;
  } catch (error) {
    return endWith(error, { database: config?.database, prefix: `user ${command}: ` });
  } finally {
    await db?.destroy().catch(() => {});
  }
}

process.exitCode = await main();
