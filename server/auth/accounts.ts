// Staff account rules, shared by `npm run user` and the admin page: who may exist, with which
// password and role, and that there is always at least one active admin left.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db.ts";
import { Conflict, InputError, NotFound } from "../errors.ts";
import { type AuditActor, appendAudit } from "../queries/audit-log.ts";
import {
  findUsablePasswordReset,
  insertPasswordReset,
  usePasswordReset,
} from "../queries/password-resets.ts";
import {
  countActiveStaff,
  findStaffUser,
  findStaffUserByEmail,
  insertStaffUser,
  normalizeEmail,
  ROLES,
  type Role,
  type StaffUser,
  updateStaffUser,
} from "../queries/staff-users.ts";
import { hashPassword, passwordProblem, type ScryptParams, verifyPassword } from "./password.ts";
import { isRole } from "./roles.ts";

const emailSchema = z.email().max(254);

function fieldError(field: string, message: string): InputError {
  return new InputError(`${field}: ${message}`, {}, undefined, [{ question: field, message }]);
}

export interface CreateStaffInput {
  email: string;
  password: string;
  role: string;
}

export async function createStaffAccount(
  db: Db,
  input: CreateStaffInput,
  actor: AuditActor | null,
  hashParams?: ScryptParams,
): Promise<StaffUser> {
  const email = normalizeEmail(input.email);
  if (!emailSchema.safeParse(email).success)
    throw fieldError("email", "must be an e-mail address such as name@library.org");
  if (!isRole(input.role)) throw fieldError("role", `must be one of ${ROLES.join(", ")}`);
  const problem = passwordProblem(input.password);
  if (problem) throw fieldError("password", problem);
  if (await findStaffUserByEmail(db, email))
    throw new Conflict("email: an account with this e-mail address already exists", {
      details: [
        { question: "email", message: "an account with this e-mail address already exists" },
      ],
    });
  const passwordHash = await hashPassword(input.password, hashParams);
  const user = await insertStaffUser(db, { email, passwordHash, role: input.role });
  await appendAudit(db, {
    actor,
    action: "user.add",
    target: email,
    details: { role: user.role },
  });
  return user;
}

async function mustFind(db: Db, id: number): Promise<StaffUser> {
  const user = await findStaffUser(db, id);
  if (!user) throw new NotFound(`There is no staff account ${id}`);
  return user;
}

/** Refuses a change that would leave nobody able to manage accounts. */
async function keepOneAdmin(db: Db, user: StaffUser, what: string): Promise<void> {
  if (user.role === "admin" && !user.disabled && (await countActiveStaff(db, "admin")) <= 1) {
    throw new Conflict(`${user.email} is the only active admin and cannot be ${what}`);
  }
}

export async function changeStaffRole(
  db: Db,
  id: number,
  role: string,
  actor: AuditActor | null,
): Promise<StaffUser> {
  if (!isRole(role)) throw fieldError("role", `must be one of ${ROLES.join(", ")}`);
  const user = await mustFind(db, id);
  if (user.role === role) return user;
  if (role !== "admin") await keepOneAdmin(db, user, "given a lower role");
  await updateStaffUser(db, id, { role: role as Role, endSessions: true });
  await appendAudit(db, {
    actor,
    action: "user.role",
    target: user.email,
    details: { from: user.role, to: role },
  });
  return mustFind(db, id);
}

export async function setStaffDisabled(
  db: Db,
  id: number,
  disabled: boolean,
  actor: AuditActor | null,
): Promise<StaffUser> {
  const user = await mustFind(db, id);
  if (user.disabled === disabled) return user;
  if (disabled) {
    if (actor?.id === id) throw new Conflict("You cannot disable your own account");
    await keepOneAdmin(db, user, "disabled");
  }
  await updateStaffUser(db, id, { disabled, endSessions: disabled });
  await appendAudit(db, {
    actor,
    action: disabled ? "user.disable" : "user.enable",
    target: user.email,
  });
  return mustFind(db, id);
}

/** Stores a new password, ends every session of the account and records who did it. */
async function storeNewPassword(
  db: Db,
  user: StaffUser,
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
  const user = await mustFind(db, id);
  const problem = passwordProblem(password);
  if (problem) throw fieldError("password", problem);
  await storeNewPassword(db, user, password, { actor, action: "user.password" }, hashParams);
}

/**
 * A staff member changes their own password, giving the current one. Their other sessions end;
 * the returned account carries the new session epoch for the session they are using.
 */
export async function changeOwnPassword(
  db: Db,
  user: StaffUser,
  input: { current: string; password: string; again: string },
  hashParams?: ScryptParams,
): Promise<StaffUser> {
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
  return mustFind(db, user.id);
}

/** Ends every session of the account, the one asking included. */
export async function signOutEverywhere(db: Db, user: StaffUser): Promise<void> {
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
): Promise<{ token: string; user: StaffUser; expiresAt: Date }> {
  const user = await mustFind(db, id);
  if (user.disabled) throw new Conflict(`${user.email} is disabled: enable it first`);
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
): Promise<{ user: StaffUser; expiresAt: Date }> {
  const reset = await findUsablePasswordReset(db, tokenHash(token));
  const user = reset && (await findStaffUser(db, reset.userId));
  if (!reset || !user || user.disabled) throw resetGone();
  return { user, expiresAt: reset.expiresAt };
}

/** Sets the password through a reset link (once) and ends every session of the account. */
export async function resetPasswordWithLink(
  db: Db,
  token: string,
  input: { password: string; again: string },
  hashParams?: ScryptParams,
): Promise<StaffUser> {
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
  return mustFind(db, user.id);
}
