// What the two-library walk (isolation-suite.ts) found that crosses from one library into another
// through the instance's shared parts: accounts that belong to several libraries, the kiosk
// places file, and the page for a library that does not exist. On SQLite (the data paths are the
// same on PostgreSQL: the walk runs there too).
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfToken } from "../staff/helpers.ts";
import { createTwoLibraries, EMAILS, type TwoLibraries } from "./two-libraries.ts";

let t: TwoLibraries;

beforeAll(async () => {
  t = await createTwoLibraries({ kind: "sqlite" }, "gapb");
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe("an account that belongs to A and to B", () => {
  it("gets no password link from A's admin: it would let A's admin log in as B's member", async () => {
    const { agent } = t.aAdmin;
    const page = await agent.get("/staff/users");
    expect(page.text).toContain(EMAILS.both);
    const res = await agent
      .post(`/staff/users/${t.userIds.both}/reset-link`)
      .set("Accept", "text/html")
      .type("form")
      .send({ _csrf: csrfToken(page.text) });
    expect(res.status).toBe(409);
    expect(res.text).toContain(`${EMAILS.both} also belongs to`);
    expect(await t.instance("password_resets").where({ user_id: t.userIds.both })).toEqual([]);
  });
});

describe("the audit log", () => {
  it("of A shows none of B's members' logins and logouts on A's audit page", async () => {
    // createTwoLibraries logged B's admin in; its login went to the instance's audit_log,
    // which is A's.
    const page = await t.aAdmin.agent.get("/staff/audit").set("Accept", "text/html");
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(EMAILS.bAdmin);
  });
});

describe("kiosk places", () => {
  it("are each library's own: the instance's kiosk file (the default library's places) is not copied into B", async () => {
    // createTwoLibraries opened /kiosk and /l/B/kiosk once each, as a first visit would.
    const places = (await t.bDb("kiosk_locations").orderBy("id").pluck("id")) as string[];
    expect(places).toEqual(["bmark-room"]);
  });
});

describe("a library that does not exist", () => {
  it("is named on its public 404 page, not only in the API's answer", async () => {
    const res = await request(t.app).get("/l/no-such-library/s/community-needs");
    expect(res.status).toBe(404);
    expect(res.text).toContain("no-such-library");
  });
});
