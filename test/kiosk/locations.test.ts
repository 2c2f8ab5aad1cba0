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
import { commandLine, listAudit } from "../../server/queries/audit-log.ts";
import { createTestDb } from "../helpers/app.ts";

let db: Db;
beforeEach(async () => {
  db = await createTestDb();
});
afterEach(() => db.destroy());

describe("kiosk locations", () => {
  it("adds, renames and lists locations by name", async () => {
    await addLocation(db, "east", "East Branch", commandLine());
    const central = await addLocation(db, "central", "  Central   Library ", commandLine());
    expect(central).toMatchObject({ id: "central", name: "Central Library", retired: false });
    expect(central.createdAt).toBeInstanceOf(Date);
    await renameLocation(db, "east", "Eastside Branch", commandLine());
    expect((await listLocations(db)).map((l) => [l.id, l.name])).toEqual([
      ["central", "Central Library"],
      ["east", "Eastside Branch"],
    ]);
  });

  it("refuses a taken id, a malformed id, an empty name and an unknown location, naming the field", async () => {
    await addLocation(db, "central", "Central Library", commandLine());
    const cases: [() => Promise<unknown>, string, RegExp][] = [
      [() => addLocation(db, "central", "Again", commandLine()), "id", /already exists/],
      [() => addLocation(db, "has space", "X", commandLine()), "id", /letters, digits/],
      [() => addLocation(db, "x".repeat(101), "X", commandLine()), "id", /1 to 100/],
      [() => addLocation(db, "north", "   ", commandLine()), "name", /1 to 200/],
      [
        () => renameLocation(db, "nowhere", "X", commandLine()),
        "id",
        /no kiosk location "nowhere"/,
      ],
      [() => retireLocation(db, "nowhere", true, commandLine()), "id", /no kiosk location/],
    ];
    for (const [attempt, field, message] of cases) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).where.field).toBe(field);
      expect((error as InputError).message).toMatch(message);
    }
  });

  it("retires a location: no kiosk page opens there, but its responses are still accepted", async () => {
    await addLocation(db, "bookmobile", "Bookmobile", commandLine());
    await retireLocation(db, "bookmobile", true, commandLine());
    expect(await findActiveLocation(db, "bookmobile")).toBeUndefined();
    expect(await locationExists(db, "bookmobile")).toBe(true);
    expect(await listLocations(db)).toEqual([]);
    expect(await listLocations(db, { includeRetired: true })).toMatchObject([
      { id: "bookmobile", retired: true },
    ]);
    await retireLocation(db, "bookmobile", false, commandLine());
    expect(await findActiveLocation(db, "bookmobile")).toMatchObject({ name: "Bookmobile" });
  });

  it("adds configured locations once, never renaming or reviving one staff changed", async () => {
    await addLocation(db, "central", "Main Library", commandLine());
    await addLocation(db, "east", "East Branch", commandLine());
    await retireLocation(db, "east", true, commandLine());
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
    await addLocation(db, "west", "West Branch", {
      actor: { id: null, email: "ana" },
      via: "command line",
    });
    const entries = await listAudit(db);
    expect(entries.map((e) => [e.action, e.target, e.actorEmail, e.details?.via])).toEqual([
      ["kiosk.add", "west", "ana", "command line"],
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
