import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  changeStaffRole,
  createStaffAccount,
  setStaffDisabled,
} from "../../server/auth/accounts.ts";
import { authenticate } from "../../server/auth/login.ts";
import type { Db } from "../../server/db.ts";
import { Conflict, ProductError } from "../../server/errors.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { createTestDb } from "../helpers/app.ts";
import { FAST_SCRYPT, PASSWORD } from "./helpers.ts";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.destroy());

const add = (email: string, role = "staff", password = PASSWORD) =>
  createStaffAccount(db, { email, password, role }, null, FAST_SCRYPT);

async function refusal(promise: Promise<unknown>): Promise<ProductError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProductError);
  return error as ProductError;
}

describe("staff accounts", () => {
  it("stores the e-mail in lower case and never the password", async () => {
    const user = await add("  Maria@Library.ORG ", "admin");
    expect(user.email).toBe("maria@library.org");
    const row = await db("staff_users").where({ id: user.id }).first();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
  });

  it("refuses a second account with the same address, whatever its case", async () => {
    const error = await refusal(add("MARIA@library.org"));
    expect(error).toBeInstanceOf(Conflict);
    expect(error.details[0]?.question).toBe("email");
  });

  it("names the field that is wrong: e-mail, role or password", async () => {
    expect((await refusal(add("not-an-address"))).details[0]?.question).toBe("email");
    expect((await refusal(add("ok@library.org", "boss"))).details[0]?.question).toBe("role");
    expect((await refusal(add("ok@library.org", "staff", "short"))).details[0]?.question).toBe(
      "password",
    );
  });

  it("always keeps one active admin", async () => {
    const maria = await db("staff_users").where({ email: "maria@library.org" }).first("id");
    const demote = await refusal(changeStaffRole(db, maria.id, "staff", null));
    expect(demote.message).toContain("only active admin");
    const disable = await refusal(setStaffDisabled(db, maria.id, true, null));
    expect(disable).toBeInstanceOf(Conflict);
    const second = await add("second@library.org", "admin");
    await setStaffDisabled(db, maria.id, true, { id: second.id, email: second.email });
    await setStaffDisabled(db, maria.id, false, { id: second.id, email: second.email });
  });

  it("does not let an admin disable their own account", async () => {
    const me = await add("self@library.org", "admin");
    const error = await refusal(setStaffDisabled(db, me.id, true, { id: me.id, email: me.email }));
    expect(error.message).toBe("You cannot disable your own account");
  });

  it("refuses to log in a disabled account, even with the right password", async () => {
    const user = await add("leaving@library.org");
    expect(await authenticate(db, "leaving@library.org", PASSWORD)).toBeDefined();
    await setStaffDisabled(db, user.id, true, null);
    expect(await authenticate(db, "leaving@library.org", PASSWORD)).toBeUndefined();
  });

  it("writes account changes to the audit log with who made them", async () => {
    const user = await add("promoted@library.org");
    const admin = { id: 1, email: "maria@library.org" };
    await changeStaffRole(db, user.id, "analyst", admin);
    const [entry] = await listAudit(db, { action: "user.role" });
    expect(entry).toMatchObject({
      actorEmail: "maria@library.org",
      target: "promoted@library.org",
      details: { from: "staff", to: "analyst" },
    });
  });
});
