import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { InputError } from "../../server/errors.ts";
import {
  addLocation,
  addMissingLocations,
  findActiveLocation,
  listLocations,
  locationExists,
  renameLocation,
  retireLocation,
} from "../../server/kiosk/locations.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { createTestDb } from "../helpers/app.ts";

let db: Db;
beforeEach(async () => {
  db = await createTestDb();
});
afterEach(() => db.destroy());

describe("kiosk locations", () => {
  it("adds, renames and lists locations by name", async () => {
    await addLocation(db, "east", "East Branch");
    const central = await addLocation(db, "central", "  Central   Library ");
    expect(central).toMatchObject({ id: "central", name: "Central Library", retired: false });
    expect(central.createdAt).toBeInstanceOf(Date);
    await renameLocation(db, "east", "Eastside Branch");
    expect((await listLocations(db)).map((l) => [l.id, l.name])).toEqual([
      ["central", "Central Library"],
      ["east", "Eastside Branch"],
    ]);
  });

  it("refuses a taken id, a malformed id, an empty name and an unknown location, naming the field", async () => {
    await addLocation(db, "central", "Central Library");
    const cases: [() => Promise<unknown>, string, RegExp][] = [
      [() => addLocation(db, "central", "Again"), "id", /already exists/],
      [() => addLocation(db, "has space", "X"), "id", /letters, digits/],
      [() => addLocation(db, "x".repeat(101), "X"), "id", /1 to 100/],
      [() => addLocation(db, "north", "   "), "name", /1 to 200/],
      [() => renameLocation(db, "nowhere", "X"), "id", /no kiosk location "nowhere"/],
      [() => retireLocation(db, "nowhere"), "id", /no kiosk location/],
    ];
    for (const [attempt, field, message] of cases) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).where.field).toBe(field);
      expect((error as InputError).message).toMatch(message);
    }
  });

  it("retires a location: no kiosk page opens there, but its responses are still accepted", async () => {
    await addLocation(db, "bookmobile", "Bookmobile");
    await retireLocation(db, "bookmobile");
    expect(await findActiveLocation(db, "bookmobile")).toBeUndefined();
    expect(await locationExists(db, "bookmobile")).toBe(true);
    expect(await listLocations(db)).toEqual([]);
    expect(await listLocations(db, { includeRetired: true })).toMatchObject([
      { id: "bookmobile", retired: true },
    ]);
    await retireLocation(db, "bookmobile", false);
    expect(await findActiveLocation(db, "bookmobile")).toMatchObject({ name: "Bookmobile" });
  });

  it("adds configured locations once, never renaming or reviving one staff changed", async () => {
    await addLocation(db, "central", "Main Library");
    await addLocation(db, "east", "East Branch");
    await retireLocation(db, "east");
    const added = await addMissingLocations(db, [
      { id: "central", name: "Central Library" },
      { id: "east", name: "East Branch" },
      { id: "west", name: "West Branch" },
    ]);
    expect(added).toEqual(["west"]);
    expect(
      (await listLocations(db, { includeRetired: true })).map((l) => [l.id, l.name, l.retired]),
    ).toEqual([
      ["east", "East Branch", true],
      ["central", "Main Library", false],
      ["west", "West Branch", false],
    ]);
  });

  // Issue 22: the audit entry is written by the change itself, not by the staff page calling it.
  it("audits each change made by someone once, and a refused change not at all", async () => {
    const by = { actor: { id: 3, email: "admin@library.org" }, via: "web" } as const;
    await addLocation(db, "east", "East Branch", by);
    await renameLocation(db, "east", "Eastside Branch", by);
    await retireLocation(db, "east", true, by);
    await expect(addLocation(db, "east", "Again", by)).rejects.toBeInstanceOf(InputError);
    await addLocation(db, "west", "West Branch");
    const entries = await listAudit(db);
    expect(entries.map((e) => [e.action, e.target, e.actorEmail, e.details?.via])).toEqual([
      ["kiosk.retire", "east", "admin@library.org", "web"],
      ["kiosk.rename", "east", "admin@library.org", "web"],
      ["kiosk.add", "east", "admin@library.org", "web"],
    ]);
  });

  it("does not look up ids that cannot be locations", async () => {
    expect(await findActiveLocation(db, "../etc")).toBeUndefined();
    expect(await locationExists(db, "nowhere")).toBe(false);
  });
});
