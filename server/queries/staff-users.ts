// Staff accounts. E-mail addresses are stored lower-cased, so lookups ignore case.
import type { Db } from "../db.ts";

/** Staff roles, each including the one below: admin ⊃ analyst ⊃ staff (see auth/roles.ts). */
export const ROLES = ["staff", "analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** A login account: instance-wide. What it may see depends on its memberships (libraries.ts). */
export interface StaffAccount {
  id: number;
  email: string;
  disabled: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
  /** Sessions record the epoch they logged in under; a higher one here has ended them. */
  sessionEpoch: number;
  /** Reads the consortium's aggregates across member libraries. */
  consortium: boolean;
  /** Creates libraries and names their first admin. */
  superAdmin: boolean;
}

/** An account as a member of one library, with its role there. */
export interface StaffUser extends StaffAccount {
  role: Role;
}

export interface StaffAccountWithHash extends StaffAccount {
  passwordHash: string;
}

interface RawStaffUser {
  id: number;
  email: string;
  password_hash?: string;
  role?: Role;
  disabled: boolean | number;
  created_at: string | number | Date;
  last_login_at: string | number | Date | null;
  session_epoch: number | string;
  consortium: boolean | number;
  super_admin: boolean | number;
}

const columns = [
  "id",
  "email",
  "disabled",
  "created_at",
  "last_login_at",
  "session_epoch",
  "consortium",
  "super_admin",
];

const toDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

function toAccount(row: RawStaffUser): StaffAccount {
  return {
    id: Number(row.id),
    email: row.email,
    // SQLite stores booleans as 0/1.
    disabled: Boolean(row.disabled),
    createdAt: toDate(row.created_at),
    lastLoginAt: row.last_login_at === null ? null : toDate(row.last_login_at),
    sessionEpoch: Number(row.session_epoch),
    consortium: Boolean(row.consortium),
    superAdmin: Boolean(row.super_admin),
  };
}

const toUser = (row: RawStaffUser & { role: Role }): StaffUser => ({
  ...toAccount(row),
  role: row.role,
});

/** The accounts that are members of a library, with their role there. */
function members(db: Db, libraryId: number) {
  return db("staff_users as u")
    .join("library_members as m", "m.staff_user_id", "u.id")
    .where("m.library_id", libraryId);
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** A new account that belongs to no library (yet). */
export async function insertStaffAccount(
  db: Db,
  input: { email: string; passwordHash: string },
): Promise<StaffAccount> {
  const [inserted] = await db("staff_users")
    .insert({ email: normalizeEmail(input.email), password_hash: input.passwordHash })
    .returning("id");
  const id = Number(typeof inserted === "object" ? inserted.id : inserted);
  const account = await findStaffAccount(db, id);
  if (!account) throw new Error(`staff account ${id} vanished after insert`);
  return account;
}

/** A new account, a member of `libraryId` with `role`. */
export async function insertStaffUser(
  db: Db,
  input: { email: string; passwordHash: string; role: Role; libraryId: number },
): Promise<StaffUser> {
  const id = await db.transaction(async (trx) => {
    const [inserted] = await trx("staff_users")
      .insert({ email: normalizeEmail(input.email), password_hash: input.passwordHash })
      .returning("id");
    const id = Number(typeof inserted === "object" ? inserted.id : inserted);
    await trx("library_members").insert({
      staff_user_id: id,
      library_id: input.libraryId,
      role: input.role,
    });
    return id;
  });
  const user = await findStaffUser(db, id, input.libraryId);
  if (!user) throw new Error(`staff user ${id} vanished after insert`);
  return user;
}

export async function findStaffAccount(db: Db, id: number): Promise<StaffAccount | undefined> {
  const row = (await db("staff_users").where({ id }).first(columns)) as RawStaffUser | undefined;
  return row ? toAccount(row) : undefined;
}

/** The account as a member of the library; undefined when it is not one. */
export async function findStaffUser(
  db: Db,
  id: number,
  libraryId: number,
): Promise<StaffUser | undefined> {
  const row = (await members(db, libraryId)
    .where("u.id", id)
    .first(...columns.map((c) => `u.${c}`), "m.role")) as
    | (RawStaffUser & { role: Role })
    | undefined;
  return row ? toUser(row) : undefined;
}

export async function findStaffUserByEmail(
  db: Db,
  email: string,
): Promise<StaffAccountWithHash | undefined> {
  const row = (await db("staff_users")
    .where({ email: normalizeEmail(email) })
    .first([...columns, "password_hash"])) as RawStaffUser | undefined;
  return row ? { ...toAccount(row), passwordHash: row.password_hash ?? "" } : undefined;
}

/** Every account of the instance, whatever its libraries. */
export async function listStaffAccounts(db: Db): Promise<StaffAccount[]> {
  const rows = (await db("staff_users").select(columns).orderBy("email")) as RawStaffUser[];
  return rows.map(toAccount);
}

/** The members of a library, with their role there. */
export async function listStaffUsers(db: Db, libraryId: number): Promise<StaffUser[]> {
  const rows = (await members(db, libraryId)
    .select(...columns.map((c) => `u.${c}`), "m.role")
    .orderBy("u.email")) as (RawStaffUser & { role: Role })[];
  return rows.map(toUser);
}

/** `endSessions` raises the session epoch, so every session of the account ends at once. */
export async function updateStaffUser(
  db: Db,
  id: number,
  change: {
    disabled?: boolean;
    passwordHash?: string;
    endSessions?: boolean;
    consortium?: boolean;
    superAdmin?: boolean;
  },
): Promise<boolean> {
  const values: Record<string, unknown> = {};
  if (change.disabled !== undefined) values.disabled = change.disabled;
  if (change.passwordHash !== undefined) values.password_hash = change.passwordHash;
  if (change.consortium !== undefined) values.consortium = change.consortium;
  if (change.superAdmin !== undefined) values.super_admin = change.superAdmin;
  if (change.endSessions) values.session_epoch = db.raw("session_epoch + 1");
  if (Object.keys(values).length === 0) return false;
  return (await db("staff_users").where({ id }).update(values)) > 0;
}

export async function recordLogin(db: Db, id: number, at = new Date()): Promise<void> {
  await db("staff_users").where({ id }).update({ last_login_at: at });
}

/** Active (not disabled) members of a library, with a role there when given. */
export async function countActiveStaff(db: Db, libraryId: number, role?: Role): Promise<number> {
  const query = members(db, libraryId).where("u.disabled", false).count({ n: "*" });
  if (role) query.where("m.role", role);
  const [row] = await query;
  return Number(row?.n ?? 0);
}
