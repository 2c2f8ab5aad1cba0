import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, newId, type TestApp } from "./helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("smoke", () => {
  it("stores a valid response", async () => {
    const id = newId();
    const res = await request(t.app)
      .post("/api/surveys/every-type/responses")
      .send({
        id,
        language: "es",
        channel: "web",
        data: {
          use: "weekly",
          barriers: ["hours", "other"],
          "barriers-Comment": "parking",
          welcome: 4,
          agree: { staff: 2 },
        },
      });
    expect(res.body).toEqual({ id });
    expect(res.status).toBe(201);
    const home = await request(t.app).get("/?lang=es");
    expect(home.text).toContain("Todos los tipos de pregunta");
  });
});
