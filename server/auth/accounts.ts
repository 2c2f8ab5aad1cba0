// Staff account rules, shared by `npm run user` and the admin page: who may exist, with which
// password and role, and that there is always at least one active admin left.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db.ts";
import { Conflict, InputError, NotFound } from "../errors.ts";
import { type AuditActor, appendAudit } from "../queries/audit-log.ts";
import {
  DEFAULT_LIBRARY_ID,
  listMemberships,
  removeMembership,
  setMembership,
} from "../queries/libraries.ts";
import {
  findUsablePasswordReset,
  insertPasswordReset,
  usePasswordReset,
} from "../queries/password-resets.ts";
import {
  countActiveStaff,
  findStaffAccount,
  findStaffUser,
  findStaffUserByEmail,
  insertStaffAccount,
  insertStaffUser,
  normalizeEmail,
  ROLES,
  type StaffAccount,
  type StaffUser,
  updateStaffUser,
} from "../queries/staff-users.ts";
import { hashPassword, passwordProblem, type ScryptParams, verifyPassword } from "./password.ts";
import { isRole } from "./roles.ts";

const emailSchema = z.email().max(254);

/** Whether `value` can be a staff account's e-mail address (checked before other work starts). */
export const isEmailAddress = (value: string) =>
  emailSchema.safeParse(normalizeEmail(value)).success;

function fieldError(field: string, message: string): InputError {
  return new InputError(`${field}: ${message}`, {}, undefined, [{ question: field, message }]);
}

export interface CreateStaffInput {
  email: string;
  password: string;
  role: string;
  /** The library the account joins; the default library when not given (one-library installs). */
  libraryId?: number;
  /**
   * The library's own database, whose audit log records its membership changes (the instance's,
   * which is the default library's, when not given).
   */
  libraryDb?: Db;
}

/** The e-mail address of a new account, after checking it and the password. */
async function checkNewAccount(db: Db, input: { email: string; password: string }) {
  const email = normalizeEmail(input.email);
  if (!emailSchema.safeParse(email).success)
    throw fieldError("email", "must be an e-mail address such as name@library.org");
  const problem = passwordProblem(input.password);
  if (problem) throw fieldError("password", problem);
  if (await findStaffUserByEmail(db, email))
    throw new Conflict("email: an account with this e-mail address already exists", {
      details: [
        { question: "email", message: "an account with this e-mail address already exists" },
      ],
    });
  return email;
}

export async function createStaffAccount(
  db: Db,
  input: CreateStaffInput,
  actor: AuditActor | null,
  hashParams?: ScryptParams,
): Promise<StaffUser> {
  if (!isRole(input.role)) throw fieldError("role", `must be one of ${ROLES.join(", ")}`);
  const email = await checkNewAccount(db, input);
  const libraryId = input.libraryId ?? DEFAULT_LIBRARY_ID;
  const passwordHash = await hashPassword(input.password, hashParams);
  const user = await insertStaffUser(db, { email, passwordHash, role: input.role, libraryId });
  await appendAudit(input.libraryDb ?? db, {
    actor,
    action: "user.add",
    target: email,
    details: { role: user.role, library: libraryId },
  });
  return user;
}

/**
 * The roles an account holds across the instance rather than in one library: `consortium` reads
 * the consortium's aggregates (never a library's own pages), `super-admin` creates libraries.
 * Least privilege: neither gives access to any library's data; that takes a membership.
 */
export const INSTANCE_ROLES = ["consortium", "super-admin"] as const;
export type InstanceRole = (typeof INSTANCE_ROLES)[number];

export const isInstanceRole = (value: unknown): value is InstanceRole =>
  (INSTANCE_ROLES as readonly unknown[]).includes(value);

const flagOf = (role: InstanceRole) =>
  role === "consortium" ? ("consortium" as const) : ("superAdmin" as const);

/** A new account with an instance role and no library (it can join libraries later). */
export async function createInstanceAccount(
  db: Db,
  input: { email: string; password: string; role: InstanceRole },
  actor: AuditActor | null,
  hashParams?: ScryptParams,
): Promise<StaffAccount> {
  const email = await checkNewAccount(db, input);
  const passwordHash = await hashPassword(input.password, hashParams);
  const account = await insertStaffAccount(db, { email, passwordHash });
  return setInstanceRole(db, account.id, input.role, true, actor);
}

/** Gives or takes an instance role; the account's sessions end so the change applies at once. */
export async function setInstanceRole(
  db: Db,
  id: number,
  role: InstanceRole,
  granted: boolean,
  actor: AuditActor | null,
): Promise<StaffAccount> {
  const account = await mustFindAccount(db, id);
  if (account[flagOf(role)] === granted) return account;
  await updateStaffUser(db, id, { [flagOf(role)]: granted, endSessions: true });
  await appendAudit(db, {
    actor,
    action: granted ? "user.instance-role.add" : "user.instance-role.remove",
    target: account.email,
    details: { role },
  });
  return mustFindAccount(db, id);
}

/**
 * Adds an existing account to a library (or changes its role there). The account keeps its
 * password; an account can be a member of several libraries, with a role in each.
 */
export async function addStaffMember(
  db: Db,
  input: { email: string; role: string; libraryId: number; libraryDb?: Db },
  actor: AuditActor | null,
): Promise<StaffUser> {
  if (!isRole(input.role)) throw fieldError("role", `must be one of ${ROLES.join(", ")}`);
  const account = await findStaffUserByEmail(db, input.email);
  if (!account) throw new NotFound(`There is no staff account ${normalizeEmail(input.email)}`);
  const before = await findStaffUser(db, account.id, input.libraryId);
  if (before?.role === input.role) return before;
  if (before && input.role !== "admin")
    await keepOneAdmin(db, before, input.libraryId, "given a lower role");
  await setMembership(db, {
    staffUserId: account.id,
    libraryId: input.libraryId,
    role: input.role,
  });
  if (before) await updateStaffUser(db, account.id, { endSessions: true });
  await appendAudit(input.libraryDb ?? db, {
    actor,
    action: before ? "user.role" : "user.add",
    target: account.email,
    details: before
      ? { from: before.role, to: input.role, library: input.libraryId }
      : { role: input.role, library: input.libraryId },
  });
  return mustFind(db, account.id, input.libraryId);
}

async function mustFind(db: Db, id: number, libraryId: number): Promise<StaffUser> {
  const user = await findStaffUser(db, id, libraryId);
  if (!user) throw new NotFound(`There is no staff account ${id} in this library`);
  return user;
}

async function mustFindAccount(db: Db, id: number): Promise<StaffAccount> {
  const user = await findStaffAccount(db, id);
  if (!user) throw new NotFound(`There is no staff account ${id}`);
  return user;
}

/** Refuses a change that would leave a library with nobody able to manage its accounts. */
async function keepOneAdmin(
  db: Db,
  user: StaffUser,
  libraryId: number,
  what: string,
): Promise<void> {
  if (
    user.role === "admin" &&
    !user.disabled &&
    (await countActiveStaff(db, libraryId, "admin")) <= 1
  ) {
    throw new Conflict(`${user.email} is the only active admin and cannot be ${what}`);
  }
}

export async function changeStaffRole(
  db: Db,
  id: number,
  role: string,
  actor: AuditActor | null,
  libraryId: number = DEFAULT_LIBRARY_ID,
  libraryDb: Db = db,
): Promise<StaffUser> {
  if (!isRole(role)) throw fieldError("role", `must be one of ${ROLES.join(", ")}`);
  const user = await mustFind(db, id, libraryId);
  if (user.role === role) return user;
  if (role !== "admin") await keepOneAdmin(db, user, libraryId, "given a lower role");
  await setMembership(db, { staffUserId: id, libraryId, role });
  await updateStaffUser(db, id, { endSessions: true });
  await appendAudit(libraryDb, {
    actor,
    action: "user.role",
    target: user.email,
    details: { from: user.role, to: role, library: libraryId },
  });
  return mustFind(db, id, libraryId);
}

/** Takes an account out of a library; the account itself stays for its other libraries. */
export async function removeStaffMember(
  db: Db,
  id: number,
  actor: AuditActor | null,
  libraryId: number,
  libraryDb: Db = db,
): Promise<StaffUser> {
  const user = await mustFind(db, id, libraryId);
  if (actor?.id === id) throw new Conflict("You cannot remove yourself from the library");
  await keepOneAdmin(db, user, libraryId, "removed");
  await removeMembership(db, id, libraryId);
  await updateStaffUser(db, id, { endSessions: true });
  await appendAudit(libraryDb, {
    actor,
    action: "user.remove",
    target: user.email,
    details: { library: libraryId },
  });
  return user;
}

/**
 * Disables or enables the account itself. From a library's page only an account that belongs
 * to that library alone: one shared with other libraries is removed from this one instead, so
 * one library's admin cannot lock staff out of another library. With `libraryId` null (the
 * command line, run by whoever runs the instance) any account, a consortium or super-admin
 * account of no library included; every library it belongs to keeps an active admin.
 */
export async function setStaffDisabled(
  db: Db,
  id: number,
  disabled: boolean,
  actor: AuditActor | null,
  libraryId: number | null = DEFAULT_LIBRARY_ID,
): Promise<StaffAccount> {
  const user =
    libraryId === null ? await mustFindAccount(db, id) : await mustFind(db, id, libraryId);
  if (user.disabled === disabled) return user;
  const memberships = await listMemberships(db, id);
  const others = memberships.filter((m) => m.library.id !== libraryId);
  if (libraryId !== null && others.length > 0)
    throw new Conflict(
      `${user.email} also belongs to ${others.map((m) => m.library.name).join(", ")}: remove it from this library instead`,
    );
  if (disabled) {
    if (actor?.id === id) throw new Conflict("You cannot disable your own account");
    for (const m of memberships)
      await keepOneAdmin(
        db,
        { ...user, role: m.role },
        m.library.id,
        `disabled (${m.library.name})`,
      );
  }
  await updateStaffUser(db, id, { disabled, endSessions: disabled });
  await appendAudit(db, {
    actor,
    action: disabled ? "user.disable" : "user.enable",
    target: user.email,
  });
  return mustFindAccount(db, id);
}

/** Stores a new password, ends every session of the account and records who did it. */
async function storeNewPassword(
  db: Db,
  user: StaffAccount,
  password: string,
  audit: { actor: AuditActor | null; action: string },
  hashParams?: ScryptParams,
): Promise<void> {
  await updateStaffUser(db, user.id, {
    passwordHash: await hashPassword(password, hashParams),
    endSessions: true,
  });
  await appendAudit(db, { ...audit, target: user.email });
}

/** An admin (or the CLI) sets an account's password; every session of the account ends. */
export async function setStaffPassword(
  db: Db,
  id: number,
  password: string,
  actor: AuditActor | null,
  hashParams?: ScryptParams,
): Promise<void> {
  const user = await mustFindAccount(db, id);
  const problem = passwordProblem(password);
  if (problem) throw fieldError("password", problem);
  await storeNewPassword(db, user, password, { actor, action: "user.password" }, hashParams);
}

/**
 * A staff member changes their own password, giving the current one. Their other sessions end;
 * the returned account carries the new session epoch for the session they are using.
 */
export async function changeOwnPassword<U extends StaffAccount>(
  db: Db,
  user: U,
  input: { current: string; password: string; again: string },
  hashParams?: ScryptParams,
): Promise<U> {
  const stored = await findStaffUserByEmail(db, user.email);
  if (!stored || !(await verifyPassword(input.current, stored.passwordHash)))
    throw fieldError("current", "is not your current password");
  const problem = passwordProblem(input.password);
  if (problem) throw fieldError("password", problem);
  if (input.password !== input.again) throw fieldError("again", "differs from the new password");
  if (input.password === input.current)
    throw fieldError("password", "is the same as your current password");
  const self = { id: user.id, email: user.email };
  await storeNewPassword(
    db,
    user,
    input.password,
    { actor: self, action: "account.password" },
    hashParams,
  );
  // The caller's view of the account (with its role in a library) with the new session epoch.
  return { ...user, sessionEpoch: (await mustFindAccount(db, user.id)).sessionEpoch };
}

/** Ends every session of the account, the one asking included. */
export async function signOutEverywhere(db: Db, user: StaffAccount): Promise<void> {
  await updateStaffUser(db, user.id, { endSessions: true });
  await appendAudit(db, {
    actor: { id: user.id, email: user.email },
    action: "account.sign-out-everywhere",
    target: user.email,
  });
}

export const RESET_LINK_HOURS = 24;

const tokenHash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/**
 * A one-time link for an account to set a new password: the token is returned once, to be
 * shown to the admin; only its hash is stored. Making a new link voids the account's older ones.
 */
export async function createPasswordReset(
  db: Db,
  id: number,
  actor: AuditActor | null,
  now = new Date(),
  /** The library whose page asks (the account must be its member); null from the command line. */
  libraryId: number | null = DEFAULT_LIBRARY_ID,
): Promise<{ token: string; user: StaffAccount; expiresAt: Date }> {
  const user =
    libraryId === null ? await mustFindAccount(db, id) : await mustFind(db, id, libraryId);
  if (user.disabled) throw new Conflict(`${user.email} is disabled: enable it first`);
  // The link opens the account everywhere it belongs: only an admin of each of its libraries
  // (or the command line, whose actor has no account id) may make it.
  const others = (await listMemberships(db, id)).filter((m) => m.library.id !== libraryId);
  const actorId = actor?.id;
  const adminIn =
    typeof actorId === "number"
      ? new Set(
          (await listMemberships(db, actorId))
            .filter((m) => m.role === "admin")
            .map((m) => m.library.id),
        )
      : undefined;
  const notAdminIn = adminIn
    ? others.filter((m) => !adminIn.has(m.library.id)).map((m) => m.library.name)
    : [];
  if (notAdminIn.length > 0)
    throw new Conflict(
      `${user.email} also belongs to ${notAdminIn.join(", ")}: only an admin there can make its password link`,
    );
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + RESET_LINK_HOURS * 3_600_000);
  await insertPasswordReset(
    db,
    { userId: id, tokenHash: tokenHash(token), createdBy: actor?.email ?? null, expiresAt },
    now,
  );
  await appendAudit(db, {
    actor,
    action: "user.reset-link",
    target: user.email,
    details: { expiresAt: expiresAt.toISOString() },
    at: now,
  });
  return { token, user, expiresAt };
}

const resetGone = () =>
  new NotFound(
    "This password link has expired, has already been used or is not valid. Ask an admin for a new one.",
  );

/** The account a reset link is for, while the link is usable. */
export async function findPasswordReset(
  db: Db,
  token: string,
): Promise<{ user: StaffAccount; expiresAt: Date }> {
  const reset = await findUsablePasswordReset(db, tokenHash(token));
  const user = reset && (await findStaffAccount(db, reset.userId));
  if (!reset || !user || user.disabled) throw resetGone();
  return { user, expiresAt: reset.expiresAt };
}

/** Sets the password through a reset link (once) and ends every session of the account. */
export async function resetPasswordWithLink(
  db: Db,
  token: string,
  input: { password: string; again: string },
  hashParams?: ScryptParams,
): Promise<StaffAccount> {
  const { user } = await findPasswordReset(db, token);
  const problem = passwordProblem(input.password);
  if (problem) throw fieldError("password", problem);
  if (input.password !== input.again) throw fieldError("again", "differs from the new password");
  const reset = await findUsablePasswordReset(db, tokenHash(token));
  if (!reset || !(await usePasswordReset(db, reset.id))) throw resetGone();
  const self = { id: user.id, email: user.email };
  await storeNewPassword(
    db,
    user,
    input.password,
    { actor: self, action: "user.password-reset" },
    hashParams,
  );
  return mustFindAccount(db, user.id);
}
