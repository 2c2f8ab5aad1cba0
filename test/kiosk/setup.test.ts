import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KioskConfig } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import { InputError } from "../../server/errors.ts";
import { listLocations } from "../../server/kiosk/locations.ts";
import { hasKioskPin, verifyKioskPin } from "../../server/kiosk/pin.ts";
import { createKiosks, readKioskFile, seedKiosks } from "../../server/kiosk/setup.ts";
import { createTestDb, testConfig } from "../helpers/app.ts";

const dir = mkdtempSync(path.join(tmpdir(), "opendoor-kiosks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, content);
  return full;
}

describe("the kiosk locations file", () => {
  it("reads the shipped db/kiosks.json", () => {
    const kiosks = readKioskFile(testConfig().kiosk.locationsFile);
    expect(kiosks.locations.length).toBeGreaterThan(0);
  });

  it("means no locations when it does not exist", () => {
    expect(readKioskFile(path.join(dir, "missing.json"))).toEqual({ locations: [] });
  });

  it("names the file and the field when it is wrong", () => {
    const cases: [string, string, RegExp, string | undefined][] = [
      ["syntax.json", "{ locations: [] }", /not valid JSON/, undefined],
      [
        "bad-id.json",
        '{"locations":[{"id":"a b","name":"A"}]}',
        /letters, digits/,
        "locations.0.id",
      ],
      ["no-name.json", '{"locations":[{"id":"a"}]}', /expected string/i, "locations.0.name"],
      ["extra.json", '{"locations":[],"pin":"1234"}', /unrecognized key/i, undefined],
      [
        "twice.json",
        '{"locations":[{"id":"a","name":"A"},{"id":"a","name":"B"}]}',
        /appears twice/,
        "locations.1.id",
      ],
    ];
    for (const [name, content, message, field] of cases) {
      const full = file(name, content);
      const error = (() => {
        try {
          readKioskFile(full);
        } catch (e) {
          return e;
        }
      })();
      expect(error, name).toBeInstanceOf(InputError);
      expect((error as InputError).message).toMatch(message);
      expect((error as InputError).message).toContain(full);
      expect((error as InputError).where.field).toBe(field);
    }
  });
});

describe("createKiosks", () => {
  let db: Db;
  beforeEach(async () => {
    db = await createTestDb();
  });
  afterEach(() => db.destroy());

  const config = (overrides: Partial<KioskConfig>): KioskConfig => ({
    ...testConfig().kiosk,
    ...overrides,
  });

  it("checks the file when the app is built, so a broken file stops start-up", () => {
    const broken = file("broken.json", "[");
    expect(() => createKiosks(db, config({ locationsFile: broken }))).toThrow(InputError);
  });

  it("writes the configured locations and start-up PIN once, before they are needed", async () => {
    const locations = file(
      "two.json",
      '{"locations":[{"id":"central","name":"Central"},{"id":"east","name":"East"}]}',
    );
    const kiosks = createKiosks(db, config({ locationsFile: locations, initialPin: "8642" }));
    expect(await listLocations(db)).toEqual([]);
    expect(await kiosks.isKnownLocation("east")).toBe(true);
    expect(await kiosks.isKnownLocation("west")).toBe(false);
    await Promise.all([kiosks.ready(), kiosks.ready()]);
    expect((await listLocations(db)).map((l) => l.id)).toEqual(["central", "east"]);
    expect(await verifyKioskPin(db, "8642")).toBe(true);
  });

  it("gives another library of a consortium neither the file's places nor the start-up PIN", async () => {
    const locations = file(
      "default-only.json",
      '{"locations":[{"id":"central","name":"Central"}]}',
    );
    const kiosks = createKiosks(
      db,
      config({ locationsFile: locations, initialPin: "8642" }),
      false,
    );
    await kiosks.ready();
    expect(await listLocations(db)).toEqual([]);
    expect(await kiosks.isKnownLocation("central")).toBe(false);
    expect(await hasKioskPin(db)).toBe(false);
  });

  it("can run at every start-up without changing what staff changed", async () => {
    const locations = file("seed.json", '{"locations":[{"id":"central","name":"Central"}]}');
    const kioskConfig = config({ locationsFile: locations, initialPin: "1111" });
    await seedKiosks(db, kioskConfig);
    await db("kiosk_locations").where({ id: "central" }).update({ name: "Main Library" });
    await seedKiosks(db, kioskConfig);
    expect((await listLocations(db)).map((l) => l.name)).toEqual(["Main Library"]);
    expect(await verifyKioskPin(db, "1111")).toBe(true);
  });
});
