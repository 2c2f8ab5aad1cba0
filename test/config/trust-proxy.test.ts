import request from "supertest";
import { describe, expect, it } from "vitest";
import { loadConfig, parseTrustProxy } from "../../server/config.ts";
import { createStaffTestApp, csrfToken, emailFor } from "../staff/helpers.ts";

const env = (TRUST_PROXY: string) => ({
  NODE_ENV: "test",
  SESSION_SECRET: "x".repeat(32),
  DATA_DIR: "data/test",
  TRUST_PROXY,
});

describe("TRUST_PROXY", () => {
  it("refuses `true` at start-up and says what to set instead", () => {
    expect(() => loadConfig(env("true"))).toThrow(/TRUST_PROXY: `true`.*TRUST_PROXY=1/s);
  });

  it("accepts a hop count, addresses, subnets and the names Express knows", () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy("false")).toBe(false);
    expect(parseTrustProxy("2")).toBe(2);
    expect(
      parseTrustProxy("10.0.0.5, 10.1.0.0/16,loopback,::1,fd00::/8,192.168.0.0/255.255.0.0"),
    ).toEqual([
      "10.0.0.5",
      "10.1.0.0/16",
      "loopback",
      "::1",
      "fd00::/8",
      "192.168.0.0/255.255.0.0",
    ]);
  });

  it("names the entry that is neither an address nor a subnet", () => {
    expect(() => loadConfig(env("10.0.0.1,proxy.library.org"))).toThrow(
      /TRUST_PROXY: "proxy\.library\.org" is not a hop count/,
    );
    expect(() => parseTrustProxy("10.0.0.0/33")).toThrow(/10\.0\.0\.0\/33/);
  });

  it("with one trusted hop, a client cannot dodge the per-address login limit by inventing X-Forwarded-For entries", async () => {
    const t = await createStaffTestApp({
      config: {
        trustProxy: 1,
        staff: {
          sessionIdleMinutes: 60,
          cookieSecure: "auto",
          loginLimitPerAccount: 100,
          loginLimitPerAddress: 3,
          uploadMaxMb: 10,
        },
      },
    });
    try {
      const agent = request.agent(t.app);
      const token = csrfToken((await agent.get("/staff/login")).text);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        // What the proxy sends on: the client's invented entry, then the address it really saw.
        const res = await agent
          .post("/staff/login")
          .set("X-Forwarded-For", `198.51.100.${i}, 203.0.113.7`)
          .type("form")
          .send({ email: emailFor("staff"), password: "wrong password here", _csrf: token });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await t.close();
    }
  });
});
