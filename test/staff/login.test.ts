import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../server/queries/audit-log.ts";
import {
  createStaffTestApp,
  csrfToken,
  emailFor,
  loginAs,
  PASSWORD,
  type StaffTestApp,
} from "./helpers.ts";

let t: StaffTestApp;
beforeAll(async () => {
  t = await createStaffTestApp({ config: { staff: { ...baseStaff(), loginLimitPerAccount: 3 } } });
});
afterAll(() => t.close());

function baseStaff() {
  return {
    sessionIdleMinutes: 60,
    cookieSecure: "auto" as const,
    loginLimitPerAccount: 5,
    loginLimitPerAddress: 100,
    uploadMaxMb: 10,
  };
}

describe("staff login", () => {
  it("sends a visitor who is not logged in to the login page, remembering where they were going", async () => {
    const res = await request(t.app).get("/staff/users").set("Accept", "text/html");
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/staff/login?next=%2Fstaff%2Fusers");
  });

  it("logs in with the right password and lands on the page asked for", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/staff/login?next=/staff/audit");
    expect(page.status).toBe(200);
    const res = await agent
      .post("/staff/login")
      .type("form")
      .send({
        email: emailFor("admin").toUpperCase(),
        password: PASSWORD,
        next: "/staff/audit",
        _csrf: csrfToken(page.text),
      });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/staff/audit");
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/opendoor\.sid=.*HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const audit = await agent.get("/staff/audit");
    expect(audit.status).toBe(200);
    expect(audit.text).toContain("admin@library.test");
  });

  it("marks the cookies Secure behind an HTTPS proxy (TRUST_PROXY), and not over plain HTTP", async () => {
    const proxied = await createStaffTestApp({ config: { trustProxy: 1 } });
    try {
      const agent = request.agent(proxied.app);
      const page = await agent.get("/staff/login").set("X-Forwarded-Proto", "https");
      const cookies = page.headers["set-cookie"] as unknown as string[];
      const cookie = (name: string) => cookies.find((c) => c.startsWith(`${name}=`)) ?? "";
      expect(cookie("opendoor.sid")).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
      expect(cookie("opendoor.csrf")).toMatch(/; HttpOnly; Secure; SameSite=Strict$/);
      const plain = await request(proxied.app).get("/staff/login");
      expect(String(plain.headers["set-cookie"])).not.toMatch(/Secure/i);
    } finally {
      await proxied.close();
    }
  });

  it("refuses a wrong password with the same message as an unknown account", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/staff/login");
    const token = csrfToken(page.text);
    const wrong = await agent
      .post("/staff/login")
      .type("form")
      .send({ email: emailFor("staff"), password: "not the password", _csrf: token });
    const unknown = await agent
      .post("/staff/login")
      .type("form")
      .send({ email: "nobody@library.test", password: "not the password", _csrf: token });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = (html: string) => /role="alert"[^>]*>([^<]+)</.exec(html)?.[1];
    expect(message(wrong.text)).toBe(message(unknown.text));
    const failed = await listAudit(t.db, { action: "login.failed" });
    expect(failed.map((e) => e.target)).toEqual(
      expect.arrayContaining([emailFor("staff"), "nobody@library.test"]),
    );
  });

  it("never redirects a login to another site", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/staff/login");
    const res = await agent
      .post("/staff/login")
      .type("form")
      .send({
        email: emailFor("staff"),
        password: PASSWORD,
        next: "//evil.example/staff",
        _csrf: csrfToken(page.text),
      });
    expect(res.headers.location).toBe("/staff");
  });

  it("refuses a login form without its CSRF token", async () => {
    const agent = request.agent(t.app);
    await agent.get("/staff/login");
    const res = await agent
      .post("/staff/login")
      .type("form")
      .send({ email: emailFor("admin"), password: PASSWORD });
    expect(res.status).toBe(403);
  });

  it("rate-limits failed logins per account, even with the right password afterwards", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/staff/login");
    const token = csrfToken(page.text);
    const attempt = (password: string) =>
      agent
        .post("/staff/login")
        .type("form")
        .send({ email: emailFor("analyst"), password, _csrf: token });
    for (let i = 0; i < 3; i++) expect((await attempt("wrong password here")).status).toBe(401);
    const limited = await attempt(PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain("Too many failed logins for this account");
  });

  it("logs out, and the old session no longer opens staff pages", async () => {
    const { agent, csrf } = await loginAs(t.app, emailFor("staff"));
    expect((await agent.get("/staff")).status).toBe(200);
    const out = await agent.post("/staff/logout").type("form").send({ _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe("/staff/login");
    expect((await agent.get("/staff").set("Accept", "text/html")).status).toBe(303);
  });

  it("ends the session of an account that an admin disables", async () => {
    const { agent } = await loginAs(t.app, emailFor("staff"));
    const admin = await loginAs(t.app, emailFor("admin"));
    const res = await admin.agent
      .post(`/staff/users/${t.ids.staff}/disable`)
      .type("form")
      .send({ _csrf: admin.csrf });
    expect(res.status).toBe(303);
    expect((await agent.get("/staff").set("Accept", "text/html")).status).toBe(303);
    await admin.agent
      .post(`/staff/users/${t.ids.staff}/enable`)
      .type("form")
      .send({ _csrf: admin.csrf });
  });
});
