// One-time password-reset links. Only the SHA-256 of a link's token is stored, so the table
// cannot be used to reset anyone's password.
import type { Db } from "../db.ts";

export interface PasswordReset {
  id: number;
  userId: number;
  expiresAt: Date;
}

interface RawReset {
  id: number;
  user_id: number;
  expires_at: string | number | Date;
}

const toDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

/** Stores a new link for the account and voids its earlier unused ones: one live link at a time. */
export async function insertPasswordReset(
  db: Db,
  reset: { userId: number; tokenHash: string; createdBy: string | null; expiresAt: Date },
  now = new Date(),
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx("password_resets")
      .where({ user_id: reset.userId })
      .whereNull("used_at")
      .update({ used_at: now });
    await trx("password_resets").insert({
      user_id: reset.userId,
      token_hash: reset.tokenHash,
      created_by: reset.createdBy,
      created_at: now,
      expires_at: reset.expiresAt,
    });
  });
}

/** The unused, unexpired link with this token hash. */
export async function findUsablePasswordReset(
  db: Db,
  tokenHash: string,
  now = new Date(),
): Promise<PasswordReset | undefined> {
  const row = (await db("password_resets")
    .where({ token_hash: tokenHash })
    .whereNull("used_at")
    .where("expires_at", ">", now)
    .first(["id", "user_id", "expires_at"])) as RawReset | undefined;
  return row
    ? { id: Number(row.id), userId: Number(row.user_id), expiresAt: toDate(row.expires_at) }
    : undefined;
}

/** Marks a link used; false when another request used it first (it works once). */
export async function usePasswordReset(db: Db, id: number, now = new Date()): Promise<boolean> {
  const changed = await db("password_resets")
    .where({ id })
    .whereNull("used_at")
    .update({ used_at: now });
  return changed > 0;
}
