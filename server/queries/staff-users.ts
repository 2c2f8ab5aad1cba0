// Staff accounts. E-mail addresses are stored lower-cased, so lookups ignore case.
import type { Db } from "../db.ts";

/** Staff roles, each including the one below: admin ⊃ analyst ⊃ staff (see auth/roles.ts). */
export const ROLES = ["staff", "analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface StaffUser {
  id: number;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
  /** Sessions record the epoch they logged in under; a higher one here has ended them. */
  sessionEpoch: number;
}

export interface StaffUserWithHash extends StaffUser {
  passwordHash: string;
}

interface RawStaffUser {
  id: number;
  email: string;
  password_hash?: string;
  role: Role;
  disabled: boolean | number;
  created_at: string | number | Date;
  last_login_at: string | number | Date | null;
  session_epoch: number | string;
}

const columns = ["id", "email", "role", "disabled", "created_at", "last_login_at", "session_epoch"];

const toDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

function toUser(row: RawStaffUser): StaffUser {
  return {
    id: Number(row.id),
    email: row.email,
    role: row.role,
    // SQLite stores booleans as 0/1.
    disabled: Boolean(row.disabled),
    createdAt: toDate(row.created_at),
    lastLoginAt: row.last_login_at === null ? null : toDate(row.last_login_at),
    sessionEpoch: Number(row.session_epoch),
  };
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function insertStaffUser(
  db: Db,
  input: { email: string; passwordHash: string; role: Role },
): Promise<StaffUser> {
  const [inserted] = await db("staff_users")
    .insert({
      email: normalizeEmail(input.email),
      password_hash: input.passwordHash,
      role: input.role,
      disabled: false,
    })
    .returning("id");
  const id = Number(typeof inserted === "object" ? inserted.id : inserted);
  const user = await findStaffUser(db, id);
  if (!user) throw new Error(`staff user ${id} vanished after insert`);
  return user;
}

export async function findStaffUser(db: Db, id: number): Promise<StaffUser | undefined> {
  const row = (await db("staff_users").where({ id }).first(columns)) as RawStaffUser | undefined;
  return row ? toUser(row) : undefined;
}

export async function findStaffUserByEmail(
  db: Db,
  email: string,
): Promise<StaffUserWithHash | undefined> {
  const row = (await db("staff_users")
    .where({ email: normalizeEmail(email) })
    .first([...columns, "password_hash"])) as RawStaffUser | undefined;
  return row ? { ...toUser(row), passwordHash: row.password_hash ?? "" } : undefined;
}

export async function listStaffUsers(db: Db): Promise<StaffUser[]> {
  const rows = (await db("staff_users").select(columns).orderBy("email")) as RawStaffUser[];
  return rows.map(toUser);
}

/** `endSessions` raises the session epoch, so every session of the account ends at once. */
export async function updateStaffUser(
  db: Db,
  id: number,
  change: { role?: Role; disabled?: boolean; passwordHash?: string; endSessions?: boolean },
): Promise<boolean> {
  const values: Record<string, unknown> = {};
  if (change.role !== undefined) values.role = change.role;
  if (change.disabled !== undefined) values.disabled = change.disabled;
  if (change.passwordHash !== undefined) values.password_hash = change.passwordHash;
  if (change.endSessions) values.session_epoch = db.raw("session_epoch + 1");
  if (Object.keys(values).length === 0) return false;
  return (await db("staff_users").where({ id }).update(values)) > 0;
}

export async function recordLogin(db: Db, id: number, at = new Date()): Promise<void> {
  await db("staff_users").where({ id }).update({ last_login_at: at });
}

/** Active (not disabled) accounts with a role. */
export async function countActiveStaff(db: Db, role?: Role): Promise<number> {
  const query = db("staff_users").where({ disabled: false }).count({ n: "*" });
  if (role) query.where({ role });
  const [row] = await query;
  return Number(row?.n ?? 0);
}
