import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyKioskPin } from "../../server/kiosk/pin.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { findLocation } from "../../server/queries/kiosk-locations.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
let admin: { agent: Agent; csrf: string };

beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  admin = await loginAs(t.app, emailFor("admin"));
});
afterAll(() => t.close());

const post = (url: string, body: Record<string, string>) =>
  admin.agent
    .post(url)
    .type("form")
    .send({ ...body, _csrf: admin.csrf });

describe("kiosks and places", () => {
  it("adds a place and shows its kiosk link for each open kiosk survey", async () => {
    const res = await post("/staff/kiosks", { id: "north-branch", name: "North Branch" });
    expect(res.status).toBe(303);
    const page = await admin.agent.get("/staff/kiosks");
    expect(page.text).toContain("North Branch");
    expect(page.text).toContain("/kiosk/community-needs?location=north-branch");
  });

  it("re-shows the form with the problem when an id is taken or malformed", async () => {
    const taken = await post("/staff/kiosks", { id: "north-branch", name: "Again" });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain("already exists");
    const bad = await post("/staff/kiosks", { id: "north branch!", name: "Bad" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Id: must be 1 to 100 letters");
  });

  it("renames and retires a place, and logs both", async () => {
    await post("/staff/kiosks/north-branch/rename", { name: "North Branch Library" });
    await post("/staff/kiosks/north-branch/retire", {});
    expect(await findLocation(t.db, "north-branch")).toMatchObject({
      name: "North Branch Library",
      retired: true,
    });
    const actions = (await listAudit(t.db, {})).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["kiosk.add", "kiosk.rename", "kiosk.retire"]));
  });

  it("sets the exit PIN, stored only as a hash", async () => {
    const mismatch = await post("/staff/kiosks/pin", { pin: "2468", pinAgain: "2469" });
    expect(mismatch.status).toBe(400);
    const short = await post("/staff/kiosks/pin", { pin: "12", pinAgain: "12" });
    expect(short.text).toContain("PIN must be 4 to 12 digits");
    const ok = await post("/staff/kiosks/pin", { pin: "246810", pinAgain: "246810" });
    expect(ok.status).toBe(303);
    expect(await verifyKioskPin(t.db, "246810")).toBe(true);
    const stored = await t.db("kiosk_settings").select("value");
    expect(JSON.stringify(stored)).not.toContain("246810");
  });
});
