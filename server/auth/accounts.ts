// Staff account rules, shared by `npm run user` and the admin page: who may exist, with which
// password and role, and that there is always at least one active admin left.
import { z } from "zod";
import type { Db } from "../db.ts";
import { HttpError } from "../errors.ts";
import { type AuditActor, appendAudit } from "../queries/audit-log.ts";
import {
  countActiveStaff,
  findStaffUser,
  findStaffUserByEmail,
  insertStaffUser,
  normalizeEmail,
  type StaffUser,
  updateStaffUser,
} from "../queries/staff-users.ts";
import { hashPassword, passwordProblem, type ScryptParams } from "./password.ts";
import { isRole, ROLES, type Role } from "./roles.ts";

const emailSchema = z.email().max(254);

function fieldError(field: string, message: string, status = 400): HttpError {
  return new HttpError(status, `${field}: ${message}`, [{ question: field, message }]);
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
    throw fieldError("email", "an account with this e-mail address already exists", 409);
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
  if (!user) throw new HttpError(404, `There is no staff account ${id}`);
  return user;
}

/** Refuses a change that would leave nobody able to manage accounts. */
async function keepOneAdmin(db: Db, user: StaffUser, what: string): Promise<void> {
  if (user.role === "admin" && !user.disabled && (await countActiveStaff(db, "admin")) <= 1) {
    throw new HttpError(409, `${user.email} is the only active admin and cannot be ${what}`);
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
  await updateStaffUser(db, id, { role: role as Role });
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
    if (actor?.id === id) throw new HttpError(409, "You cannot disable your own account");
    await keepOneAdmin(db, user, "disabled");
  }
  await updateStaffUser(db, id, { disabled });
  await appendAudit(db, {
    actor,
    action: disabled ? "user.disable" : "user.enable",
    target: user.email,
  });
  return mustFind(db, id);
}

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
  await updateStaffUser(db, id, { passwordHash: await hashPassword(password, hashParams) });
  await appendAudit(db, { actor, action: "user.password", target: user.email });
}
