// Regression: a malformed address (/s/%E0%A4%A) was refused before the locale middleware ran, so
// the error page itself failed (ReferenceError: t is not defined) and Express's fallback page
// showed the stack trace and server paths in development.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { createTestApp, PROJECT_SURVEYS, type TestApp } from "../helpers/app.ts";

const MALFORMED = ["/s/%E0%A4%A", "/kiosk/%E0%A4%A", "/api/surveys/%E0%A4%A"];

function expectNoInternals(text: string): void {
  expect(text).not.toContain("ReferenceError");
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain(ROOT_DIR);
  expect(text).not.toContain("node_modules");
}

for (const env of ["development", "production"] as const) {
  describe(`error pages with NODE_ENV=${env}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ surveysDir: PROJECT_SURVEYS, config: { env } });
    });
    afterAll(() => t.close());

    for (const url of MALFORMED.slice(0, 2)) {
      it(`answers ${url} with a translated 400 page, without a stack trace`, async () => {
        const res = await request(t.app).get(`${url}?lang=es`).set("Accept", "text/html");
        expect(res.status).toBe(400);
        expect(res.type).toBe("text/html");
        expect(res.text).toContain('<html lang="es"');
        expect(res.text).toContain("Esta dirección no es válida");
        expectNoInternals(res.text);
      });
    }

    it("answers a malformed staff address with the staff error page, without a stack trace", async () => {
      const res = await request(t.app).get("/staff/surveys/%E0%A4%A").set("Accept", "text/html");
      expect(res.status).toBe(400);
      expect(res.text).toContain("Open Door staff");
      expectNoInternals(res.text);
    });

    it("answers a malformed API address with JSON naming the problem", async () => {
      const res = await request(t.app).get(MALFORMED[2] as string);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe("The address is not valid");
      expectNoInternals(res.text);
    });

    it("shows a server failure as a plain apology, never the error itself", async () => {
      const broken = await createTestApp({ surveysDir: PROJECT_SURVEYS, config: { env } });
      await broken.db.destroy();
      const res = await request(broken.app).get("/").set("Accept", "text/html");
      expect(res.status).toBe(500);
      expect(res.text).toContain("Something went wrong on our side");
      expectNoInternals(res.text);
      expect(res.text).not.toMatch(/knex|pool|destroyed/i);
    });
  });
}
