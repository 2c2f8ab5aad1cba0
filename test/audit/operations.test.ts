// Each audited operation writes its own entry, whatever calls it (issue 22): these call the
// operations as a script would, with no route around them, and find exactly one entry each, with
// who did it and how. Before, the routes wrote these entries, so a second caller would not have.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordLogout } from "../../server/auth/login.ts";
import type { Db } from "../../server/db.ts";
import { addAreasToServiceArea } from "../../server/imports/service-area.ts";
import { addLocation, renameLocation, retireLocation } from "../../server/kiosk/locations.ts";
import { setKioskPin } from "../../server/kiosk/pin.ts";
import { type AuditBy, type AuditEntry, listAudit } from "../../server/queries/audit-log.ts";
import { markOutsideServiceArea } from "../../server/queries/community.ts";
import {
  findFieldworkEndDate,
  listFieldworkTargets,
} from "../../server/queries/fieldwork-targets.ts";
import { listTranslations } from "../../server/queries/survey-translations.ts";
import { setFieldworkEndDate, setFieldworkTargets } from "../../server/results/fieldwork-plan.ts";
import { surveyFolders } from "../../server/surveys/catalogue.ts";
import {
  importTranslation,
  setTranslationStatus,
} from "../../server/surveys/translation-updates.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";

const by: AuditBy = { actor: { id: null, email: "ana" }, via: "command line" };
const SLUG = "every-type";
let t: TestApp;
let db: Db;

beforeAll(async () => {
  t = await createTestApp();
  db = t.db;
});
afterAll(() => t.close());

/** Runs the operation and returns the audit entries it added. */
async function entriesOf(operation: () => Promise<unknown>): Promise<AuditEntry[]> {
  const before = new Set((await listAudit(db)).map((e) => e.id));
  await operation();
  return (await listAudit(db)).filter((e) => !before.has(e.id));
}

describe("an audited operation called without a route", () => {
  it("setting a translation's status writes one translation.status entry, with who and how", async () => {
    const entries = await entriesOf(() =>
      setTranslationStatus(
        db,
        { slug: SLUG, language: "es", status: "reviewed", allowDraft: true },
        by,
      ),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorEmail: "ana",
      action: "translation.status",
      target: `${SLUG} es`,
      details: { via: "command line", status: "reviewed", allowDraft: true },
    });
    expect((await listTranslations(db, SLUG)).get("es")).toMatchObject({ status: "reviewed" });
  });

  it("importing a translation writes one translation.import entry naming the file and counts", async () => {
    const entries = await entriesOf(() =>
      importTranslation(
        db,
        surveyFolders(t.config),
        {
          slug: SLUG,
          language: "vi",
          strings: {},
          status: "draft",
          fileName: "vi.xlf",
          read: 0,
          changed: 0,
        },
        by,
      ),
    );
    expect(entries.map((e) => [e.action, e.target, e.details])).toEqual([
      [
        "translation.import",
        `${SLUG} vi`,
        { via: "command line", file: "vi.xlf", strings: 0, changed: 0 },
      ],
    ]);
  });

  it("setting fieldwork targets and the end date write one entry each", async () => {
    const targets = await entriesOf(() =>
      setFieldworkTargets(
        db,
        {
          slug: SLUG,
          dimension: "language",
          targets: [{ category: null, target: 300 }],
          request: { mode: "proportional", total: 300 },
        },
        by,
      ),
    );
    expect(targets.map((e) => [e.action, e.target, e.details])).toEqual([
      [
        "fieldwork.targets",
        SLUG,
        { via: "command line", dimension: "language", mode: "proportional", total: 300 },
      ],
    ]);
    expect(await listFieldworkTargets(db, SLUG)).toHaveLength(1);
    const end = await entriesOf(() => setFieldworkEndDate(db, SLUG, "2027-01-31", by));
    expect(end.map((e) => [e.action, e.details])).toEqual([
      ["fieldwork.end-date", { via: "command line", endDate: "2027-01-31" }],
    ]);
    expect(await findFieldworkEndDate(db, SLUG)).toBe("2027-01-31");
  });

  it("adding areas to the service area writes one serviceArea.add entry with the count", async () => {
    await db("geographies").insert([
      { geoid: "99003000100", name: "Tract 1", kind: "tract" },
      { geoid: "99003000200", name: "Tract 2", kind: "tract" },
    ]);
    await markOutsideServiceArea(db, ["99003000100", "99003000200"]);
    const entries = await entriesOf(() => addAreasToServiceArea(db, ["99003000100"], by));
    expect(entries.map((e) => [e.action, e.target, e.details])).toEqual([
      ["serviceArea.add", "1 areas", { via: "command line", geoids: ["99003000100"] }],
    ]);
  });

  it("a logout writes one logout entry", async () => {
    const entries = await entriesOf(() => recordLogout(db, by));
    expect(entries.map((e) => [e.action, e.actorEmail])).toEqual([["logout", "ana"]]);
  });

  it("each kiosk change writes one entry of its own", async () => {
    const actions = async (operation: () => Promise<unknown>) =>
      (await entriesOf(operation)).map((e) => e.action);
    expect(await actions(() => addLocation(db, "east", "East Branch", by))).toEqual(["kiosk.add"]);
    expect(await actions(() => renameLocation(db, "east", "Eastside", by))).toEqual([
      "kiosk.rename",
    ]);
    expect(await actions(() => retireLocation(db, "east", true, by))).toEqual(["kiosk.retire"]);
    expect(await actions(() => setKioskPin(db, "2468", by))).toEqual(["kiosk.pin"]);
  });
});
