import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { InputError } from "../../server/errors.ts";
import {
  hashPin,
  hasKioskPin,
  pinMatches,
  setInitialKioskPin,
  setKioskPin,
  verifyKioskPin,
} from "../../server/kiosk/pin.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { createTestDb } from "../helpers/app.ts";

let db: Db;
beforeEach(async () => {
  db = await createTestDb();
});
afterEach(() => db.destroy());

describe("the kiosk exit PIN", () => {
  it("is stored as a salted scrypt hash, never as the PIN", async () => {
    const first = await hashPin("2468");
    const second = await hashPin("2468");
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first).not.toContain("2468");
    expect(first).not.toBe(second);
    expect(await pinMatches("2468", first)).toBe(true);
    expect(await pinMatches("2469", first)).toBe(false);
    expect(await pinMatches("2468", "plain$2468")).toBe(false);
  });

  it("verifies the PIN an admin set and nothing else", async () => {
    expect(await hasKioskPin(db)).toBe(false);
    expect(await verifyKioskPin(db, "2468")).toBe(false);
    await setKioskPin(db, "2468", commandLine());
    expect(await hasKioskPin(db)).toBe(true);
    expect(await verifyKioskPin(db, "2468")).toBe(true);
    for (const wrong of ["2467", "24680", "", "abcd", "2468 "]) {
      expect(await verifyKioskPin(db, wrong)).toBe(false);
    }
    await setKioskPin(db, "13579", commandLine());
    expect(await verifyKioskPin(db, "2468")).toBe(false);
    expect(await verifyKioskPin(db, "13579")).toBe(true);
    const stored = await db("kiosk_settings").select("value");
    expect(JSON.stringify(stored)).not.toContain("13579");
  });

  it("takes the start-up PIN only when none is set, so an admin's change survives restarts", async () => {
    expect(await setInitialKioskPin(db, "1111")).toBe(true);
    await setKioskPin(db, "2222", commandLine());
    expect(await setInitialKioskPin(db, "1111")).toBe(false);
    expect(await verifyKioskPin(db, "2222")).toBe(true);
    expect(await verifyKioskPin(db, "1111")).toBe(false);
  });

  it("must be 4 to 12 digits", async () => {
    for (const bad of ["123", "1234567890123", "12a4", ""]) {
      const error = await setKioskPin(db, bad, commandLine()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).where.field).toBe("pin");
    }
  });
});
