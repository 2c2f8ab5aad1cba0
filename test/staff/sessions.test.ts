// Sessions end when they should: an account disabled, given another role or a new password loses
// every session at once (regression: they survived all three, and a re-enabled account's old
// sessions came back); logging out ends one session; "sign out everywhere" ends them all.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setStaffPassword } from "../../server/auth/accounts.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import type { Role } from "../../server/queries/staff-users.ts";
import {
  type Agent,
  addStaffAccount,
  createStaffTestApp,
  csrfToken,
  emailFor,
  FAST_SCRYPT,
  loginAs,
  PASSWORD,
  type StaffTestApp,
} from "./helpers.ts";

let t: StaffTestApp;
let admin: { agent: Agent; csrf: string };
beforeAll(async () => {
  t = await createStaffTestApp();
  admin = await loginAs(t.app, emailFor("admin"));
});
afterAll(() => t.close());

let counter = 0;
async function newAccount(role: Role = "staff") {
  counter += 1;
  const email = `person${counter}@library.test`;
  const user = await addStaffAccount(t.db, email, role);
  return { id: user.id, email };
}

/** 200 while the session is alive; a redirect to the login page once it has ended. */
const overview = async (agent: Agent) =>
  (await agent.get("/staff").set("Accept", "text/html")).status;

describe("ending sessions", () => {
  it("ends every session of an account that is disabled, and they stay ended when it is enabled again", async () => {
    const { id, email } = await newAccount();
    const [phone, desk] = [await loginAs(t.app, email), await loginAs(t.app, email)];
    expect(await overview(phone.agent)).toBe(200);
    await admin.agent.post(`/staff/users/${id}/disable`).type("form").send({ _csrf: admin.csrf });
    await admin.agent.post(`/staff/users/${id}/enable`).type("form").send({ _csrf: admin.csrf });
    expect(await overview(phone.agent)).toBe(303);
    expect(await overview(desk.agent)).toBe(303);
    // The account itself works again with a fresh login.
    expect(await overview((await loginAs(t.app, email)).agent)).toBe(200);
  });

  it("ends every session of an account whose role changes", async () => {
    const { id, email } = await newAccount();
    const session = await loginAs(t.app, email);
    await admin.agent
      .post(`/staff/users/${id}/role`)
      .type("form")
      .send({ role: "analyst", _csrf: admin.csrf });
    expect(await overview(session.agent)).toBe(303);
  });

  it("ends every session of an account whose password an admin sets", async () => {
    const { id, email } = await newAccount();
    const session = await loginAs(t.app, email);
    await setStaffPassword(t.db, id, "a brand new long password", null, FAST_SCRYPT);
    expect(await overview(session.agent)).toBe(303);
  });

  it("logs out one session and leaves the account's others alone", async () => {
    const { email } = await newAccount();
    const [one, two] = [await loginAs(t.app, email), await loginAs(t.app, email)];
    await one.agent.post("/staff/logout").type("form").send({ _csrf: one.csrf });
    expect(await overview(one.agent)).toBe(303);
    expect(await overview(two.agent)).toBe(200);
  });

  it("signs out everywhere, this session included, and says so in the audit log", async () => {
    const { email } = await newAccount();
    const [one, two] = [await loginAs(t.app, email), await loginAs(t.app, email)];
    const res = await one.agent
      .post("/staff/account/sign-out")
      .type("form")
      .send({ _csrf: one.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/staff/login");
    expect(await overview(one.agent)).toBe(303);
    expect(await overview(two.agent)).toBe(303);
    const [entry] = await listAudit(t.db, { action: "account.sign-out-everywhere" });
    expect(entry).toMatchObject({ actorEmail: email, target: email });
  });
});

describe("changing your own password at /staff/account", () => {
  const change = (who: { agent: Agent; csrf: string }, fields: Record<string, string>) =>
    who.agent
      .post("/staff/account/password")
      .type("form")
      .send({ _csrf: who.csrf, ...fields });

  it("shows the form to every role", async () => {
    const res = await (await loginAs(t.app, emailFor("staff"))).agent.get("/staff/account");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Change your password");
    expect(res.text).toContain("Sign out everywhere");
  });

  it("needs the current password, 12 characters and not a common password", async () => {
    const { email } = await newAccount();
    const me = await loginAs(t.app, email);
    const cases: Array<[Record<string, string>, string]> = [
      [
        {
          current: "not my password",
          password: "a fine new password",
          again: "a fine new password",
        },
        "is not your current password",
      ],
      [{ current: PASSWORD, password: "short one", again: "short one" }, "at least 12 characters"],
      // On the shipped list of the 10,000 most common passwords (SecLists), or one of them with
      // digits added, or repeated.
      [
        { current: PASSWORD, password: "Unbelievable", again: "Unbelievable" },
        "most common passwords",
      ],
      [
        { current: PASSWORD, password: "qwertyuiop12", again: "qwertyuiop12" },
        "most common passwords",
      ],
      [
        { current: PASSWORD, password: "password1234", again: "password1234" },
        "most common passwords",
      ],
      [
        { current: PASSWORD, password: "monkeymonkey", again: "monkeymonkey" },
        "most common passwords",
      ],
      [
        { current: PASSWORD, password: "a fine new password", again: "a different one!" },
        "differs from the new password",
      ],
    ];
    for (const [fields, message] of cases) {
      const res = await change(me, fields);
      expect(`${fields.password} → ${res.status}`).toBe(`${fields.password} → 400`);
      expect(res.text).toContain(message);
    }
    // Nothing changed: the old password still logs in.
    expect(await overview((await loginAs(t.app, email, PASSWORD)).agent)).toBe(200);
  });

  it("changes it, keeps this session, ends the others, and logs who did it", async () => {
    const { email } = await newAccount();
    const [me, elsewhere] = [await loginAs(t.app, email), await loginAs(t.app, email)];
    const next = "three unrelated words here";
    const res = await change(me, { current: PASSWORD, password: next, again: next });
    expect(res.status).toBe(303);
    expect(await overview(me.agent)).toBe(200);
    expect(await overview(elsewhere.agent)).toBe(303);
    await expect(loginAs(t.app, email, PASSWORD)).rejects.toThrow(/failed with 401/);
    expect(await overview((await loginAs(t.app, email, next)).agent)).toBe(200);
    const [entry] = await listAudit(t.db, { action: "account.password" });
    expect(entry).toMatchObject({ actorEmail: email, target: email });
  });
});

describe("one-time password links from an admin", () => {
  async function makeLink(id: number) {
    const res = await admin.agent
      .post(`/staff/users/${id}/reset-link`)
      .type("form")
      .send({ _csrf: admin.csrf });
    expect(res.status).toBe(200);
    const url = /id="reset-link-url"[^>]*value="([^"]+)"/.exec(res.text)?.[1];
    if (!url) throw new Error("no link on the page");
    return new URL(url).pathname;
  }

  async function useLink(path: string, password: string, again = password) {
    const agent = request.agent(t.app);
    const form = await agent.get(path);
    if (form.status !== 200) return form;
    return agent
      .post(path)
      .type("form")
      .send({ password, again, _csrf: csrfToken(form.text) });
  }

  it("shows the link once, stores only its hash, and sets a new password once", async () => {
    const { id, email } = await newAccount();
    const old = await loginAs(t.app, email);
    const path = await makeLink(id);
    const token = path.split("/").pop() as string;
    const stored = await t.db("password_resets").where({ user_id: id }).first();
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
    // The users page does not show it again.
    expect((await admin.agent.get("/staff/users")).text).not.toContain(token);

    const page = await request(t.app).get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain(email);

    // A refused password does not use up the link.
    expect((await useLink(path, "password1234")).status).toBe(400);
    const done = await useLink(path, "a new password from the link");
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe("/staff/login");

    expect(await overview(old.agent)).toBe(303);
    expect(
      await overview((await loginAs(t.app, email, "a new password from the link")).agent),
    ).toBe(200);
    expect((await useLink(path, "yet another long password")).status).toBe(404);

    const made = await listAudit(t.db, { action: "user.reset-link" });
    expect(made[0]).toMatchObject({ actorEmail: emailFor("admin"), target: email });
    const used = await listAudit(t.db, { action: "user.password-reset" });
    expect(used[0]).toMatchObject({ actorEmail: email, target: email });
  });

  it("voids the older link when a new one is made, and refuses links after 24 hours", async () => {
    const { id } = await newAccount();
    const first = await makeLink(id);
    const second = await makeLink(id);
    expect((await request(t.app).get(first)).status).toBe(404);
    expect((await request(t.app).get(second)).status).toBe(200);
    await t
      .db("password_resets")
      .where({ user_id: id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    expect((await request(t.app).get(second)).status).toBe(404);
  });

  it("refuses the link's form without its CSRF token", async () => {
    const { id } = await newAccount();
    const path = await makeLink(id);
    const agent = request.agent(t.app);
    await agent.get(path);
    const res = await agent
      .post(path)
      .type("form")
      .send({ password: "a new password from the link", again: "a new password from the link" });
    expect(res.status).toBe(403);
  });

  it("is for admins only", async () => {
    const { id } = await newAccount();
    const analyst = await loginAs(t.app, emailFor("analyst"));
    const res = await analyst.agent
      .post(`/staff/users/${id}/reset-link`)
      .type("form")
      .send({ _csrf: analyst.csrf });
    expect(res.status).toBe(403);
  });
});
