// Kiosks under /l/:library (issue 23): a tablet enrolled for one library is a kiosk of that library
// only, each library keeps its own device cookie (a shared tablet can serve several), its own
// places and exit PIN, and everything a kiosk page sends stays inside its library.
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffAccount } from "../../server/auth/accounts.ts";
import { ROOT_DIR } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import { createEnrolmentCode } from "../../server/kiosk/enrolment.ts";
import { addLocation, listLocations } from "../../server/kiosk/locations.ts";
import { setKioskPin } from "../../server/kiosk/pin.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { findResponse } from "../../server/queries/responses.ts";
import { deviceCookie } from "../../server/routes/kiosk.ts";
import { createTestApp, newId, type TestApp, testConfig } from "../helpers/app.ts";
import { addLibrary } from "../helpers/second-library.ts";
import { FAST_SCRYPT, loginAs, PASSWORD } from "../staff/helpers.ts";
import { enrolledKiosk, type KioskAgent } from "./enrol.ts";

const FIXTURES = path.join(ROOT_DIR, "test", "kiosk", "fixtures");
const DEFAULT_PIN = "2468";
const BRANCH_PIN = "97531";
const BRANCH_KIOSK = "/l/branch/kiosk/kiosk-ok?location=bookmobile";

let t: TestApp;
let branch: Db;
let branchId: number;
/** A tablet enrolled for the default library only. */
let defaultKiosk: KioskAgent;
beforeAll(async () => {
  t = await createTestApp({
    surveysDir: path.join(FIXTURES, "surveys"),
    config: {
      kiosk: {
        ...testConfig().kiosk,
        locationsFile: path.join(FIXTURES, "kiosks.json"),
        initialPin: DEFAULT_PIN,
      },
    },
  });
  const added = await addLibrary(t.app, t.db, "branch", path.join(FIXTURES, "surveys"));
  branch = added.db;
  branchId = added.library.id;
  await addLocation(branch, "bookmobile", "Bookmobile", commandLine());
  defaultKiosk = await enrolledKiosk(t);
});
afterAll(() => t.close());

const cookiesOf = (res: request.Response) =>
  (res.headers["set-cookie"] as unknown as string[] | undefined) ?? [];

/** A new browser enrolled for library branch with a code made in branch's database. */
async function branchKiosk(agent = request.agent(t.app)): Promise<{
  agent: KioskAgent;
  cookie: string;
}> {
  const { code } = await createEnrolmentCode(branch, "Branch tablets", null);
  const res = await agent.post("/l/branch/kiosk/enrol?lang=es").type("form").send({ code });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe("/l/branch/kiosk?lang=es");
  const cookie = cookiesOf(res).find((c) => c.startsWith("opendoor.kiosk.branch="));
  if (!cookie) throw new Error("no branch device cookie");
  return { agent, cookie };
}

describe("enrolling a device under /l/:library", () => {
  it("sets a cookie named for the library and sent to its pages only, leaving the default library's alone", async () => {
    expect(deviceCookie({ id: 1, slug: "default" })).toEqual({ name: "opendoor.kiosk", path: "/" });
    const { cookie } = await branchKiosk();
    expect(cookie).toMatch(/; Path=\/l\/branch;/);
    expect(cookie).toMatch(/HttpOnly/);
  });

  it("accepts only the library's own enrolment codes", async () => {
    const { code } = await createEnrolmentCode(t.db, "Default tablets", null);
    const res = await request(t.app).post("/l/branch/kiosk/enrol").type("form").send({ code });
    expect(res.status).toBe(403);
    expect(cookiesOf(res)).toEqual([]);
  });

  it("shows the enrolment form posting to the library, and a staff login that comes back to it", async () => {
    const res = await request(t.app).get("/l/branch/kiosk?lang=en");
    expect(res.status).toBe(200);
    expect(res.text).toContain('action="/l/branch/kiosk/enrol?lang=en"');
    expect(res.text).toContain('href="/staff/login?next=%2Fl%2Fbranch%2Fkiosk"');
    expect(res.text).toContain('data-base="/l/branch"');
  });

  it("enrols the device for a logged-in member of the library, then lists the library's kiosk links", async () => {
    await createStaffAccount(
      t.db,
      {
        email: "branch-staff@library.test",
        password: PASSWORD,
        role: "staff",
        libraryId: branchId,
      },
      null,
      FAST_SCRYPT,
    );
    const { agent } = await loginAs(t.app, "branch-staff@library.test");
    const login = await agent.get("/staff/login?next=%2Fl%2Fbranch%2Fkiosk");
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe("/l/branch/kiosk");
    const form = await agent.get("/l/branch/kiosk");
    expect(form.text).toContain("branch-staff@library.test");
    const enrol = await agent.post("/l/branch/kiosk/enrol").type("form").send({});
    expect(enrol.status).toBe(303);
    const setup = await agent.get("/l/branch/kiosk");
    expect(setup.text).toContain('href="/l/branch/kiosk/kiosk-ok?location=bookmobile&amp;lang=en"');
    expect(setup.text).not.toContain("central");
  });
});

describe("device isolation between libraries", () => {
  it("does not take a device enrolled for the default library as a kiosk of branch", async () => {
    const res = await defaultKiosk.get(BRANCH_KIOSK);
    expect(res.status).toBe(403);
    expect(res.text).toContain("(/l/branch/kiosk)");
    expect((await defaultKiosk.get("/kiosk/kiosk-ok?location=central")).status).toBe(200);
  });

  it("does not take a device enrolled for branch as a kiosk of the default library", async () => {
    const { agent } = await branchKiosk();
    expect((await agent.get(BRANCH_KIOSK)).status).toBe(200);
    const res = await agent.get("/kiosk/kiosk-ok?location=central");
    expect(res.status).toBe(403);
    expect(res.text).toContain("(/kiosk)");
    expect((await agent.get("/l/default/kiosk/kiosk-ok?location=central")).status).toBe(403);
  });

  it("does not take one library's token under another library's cookie name", async () => {
    const { cookie } = await branchKiosk();
    const token = /^opendoor\.kiosk\.branch=([^;]+)/.exec(cookie)?.[1];
    const res = await request(t.app)
      .get("/kiosk/kiosk-ok?location=central")
      .set("Cookie", `opendoor.kiosk=${token}`);
    expect(res.status).toBe(403);
  });

  it("keeps a shared tablet enrolled for both libraries at once", async () => {
    const { agent } = await branchKiosk(await enrolledKiosk(t));
    expect((await agent.get(BRANCH_KIOSK)).status).toBe(200);
    expect((await agent.get("/kiosk/kiosk-ok?location=central")).status).toBe(200);
    expect((await agent.get("/l/default/kiosk/kiosk-ok?location=central")).status).toBe(200);
  });
});

describe("a kiosk page of library branch", () => {
  it("tells its script the library's base, for responses, survey checks and the PIN", async () => {
    const { agent } = await branchKiosk();
    const res = await agent.get(BRANCH_KIOSK);
    const json = /<script type="application\/json" id="kiosk-data">(.*?)<\/script>/s.exec(res.text);
    expect(JSON.parse(json?.[1] ?? "{}")).toMatchObject({
      base: "/l/branch",
      slug: "kiosk-ok",
      location: "bookmobile",
    });
    const own = await defaultKiosk.get("/kiosk/kiosk-ok?location=central");
    const ownJson = /id="kiosk-data">(.*?)<\/script>/s.exec(own.text)?.[1] ?? "{}";
    expect(JSON.parse(ownJson).base).toBe("");
  });

  it("serves the service worker for the library's kiosk scope", async () => {
    const res = await request(t.app).get("/l/branch/kiosk/sw.js");
    expect(res.status).toBe(200);
    expect(res.headers["service-worker-allowed"]).toBe("/l/branch/kiosk/");
    const own = await request(t.app).get("/kiosk/sw.js");
    expect(own.headers["service-worker-allowed"]).toBe("/kiosk/");
  });

  it("shows a closed survey's screen with the library's base, for its open-again check", async () => {
    const { agent } = await branchKiosk();
    await branch("surveys").where({ slug: "kiosk-ok" }).update({ status: "closed" });
    try {
      const res = await agent.get(BRANCH_KIOSK);
      expect(res.status).toBe(410);
      expect(res.text).toContain('data-base="/l/branch"');
      expect((await defaultKiosk.get("/kiosk/kiosk-ok?location=central")).status).toBe(200);
    } finally {
      await branch("surveys").where({ slug: "kiosk-ok" }).update({ status: "open" });
    }
  });

  it("stores a kiosk response at the library's own place in its database only", async () => {
    const body = {
      id: newId(),
      language: "en",
      channel: "kiosk",
      location: "bookmobile",
      data: { use: "never" },
    };
    const res = await request(t.app).post("/l/branch/api/surveys/kiosk-ok/responses").send(body);
    expect(res.status).toBe(201);
    expect(await findResponse(branch, body.id)).toMatchObject({ location: "bookmobile" });
    expect(await findResponse(t.db, body.id)).toBeUndefined();
    // The default library's place is not one of branch's, and the other way round.
    const central = await request(t.app)
      .post("/l/branch/api/surveys/kiosk-ok/responses")
      .send({ ...body, id: newId(), location: "central" });
    expect(central.status).toBe(400);
    const bookmobile = await request(t.app)
      .post("/api/surveys/kiosk-ok/responses")
      .send({ ...body, id: newId() });
    expect(bookmobile.status).toBe(400);
  });
});

describe("the kiosk set-up of the instance belongs to the default library", () => {
  it("seeds the locations file and start-up PIN into the default library only", async () => {
    await request(t.app).get("/l/branch/kiosk"); // branch's kiosks are set up by then
    expect((await listLocations(t.db)).map((l) => l.id)).toEqual(
      expect.arrayContaining(["central", "east-branch"]),
    );
    expect((await listLocations(branch)).map((l) => l.id)).toEqual(["bookmobile"]);
  });

  it("checks the exit PIN of the kiosk's own library", async () => {
    const { agent } = await branchKiosk();
    const exit = (kiosk: KioskAgent, url: string, pin: string) =>
      kiosk.post(url).set("Accept", "application/json").send({ pin });
    const unset = await exit(agent, "/l/branch/kiosk/exit", DEFAULT_PIN);
    expect(unset.status).toBe(409);
    await setKioskPin(branch, BRANCH_PIN, commandLine());
    expect((await exit(agent, "/l/branch/kiosk/exit", BRANCH_PIN)).body).toEqual({ ok: true });
    expect((await exit(agent, "/l/branch/kiosk/exit", DEFAULT_PIN)).status).toBe(403);
    expect((await exit(defaultKiosk, "/kiosk/exit", BRANCH_PIN)).status).toBe(403);
    expect((await exit(defaultKiosk, "/kiosk/exit", DEFAULT_PIN)).body).toEqual({ ok: true });
    // A device of the default library is not a kiosk of branch, whatever PIN it sends.
    expect((await exit(defaultKiosk, "/l/branch/kiosk/exit", BRANCH_PIN)).status).toBe(401);
  });
});
