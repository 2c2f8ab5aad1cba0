import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findResponse } from "../../server/queries/responses.ts";
import { createTestApp, newId, PROJECT_SURVEYS, type TestApp } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ surveysDir: PROJECT_SURVEYS });
});
afterAll(() => t.close());

const submit = (data: Record<string, unknown>, language = "vi") => {
  const id = newId();
  return request(t.app)
    .post("/api/surveys/community-needs/responses")
    .send({ id, language, channel: "web", data })
    .then((res) => ({ res, id }));
};

describe("the community needs survey", () => {
  it("stores a non-user's answers given in Vietnamese", async () => {
    const data = {
      library_use: "never",
      barriers: ["hours", "language", "other"],
      "barriers-Comment": "Không có chỗ đậu xe",
      barriers_main: "language",
      would_bring_you: "Sách tiếng Việt và giờ mở cửa buổi tối",
      services_wanted: ["english_classes", "coding"],
      feel_welcome: 3,
      age_band: "35_44",
      home_languages: ["vietnamese", "english"],
      zip: "95111",
      children_in_household: "yes",
    };
    const { res, id } = await submit(data);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await findResponse(t.db, id))?.data).toEqual(data);
  });

  it("drops the main-barrier answer when only one barrier was chosen (the question is hidden)", async () => {
    const { res, id } = await submit(
      { library_use: "weekly", barriers: ["hours"], barriers_main: "hours" },
      "es",
    );
    expect(res.status).toBe(201);
    expect((await findResponse(t.db, id))?.data).toEqual({
      library_use: "weekly",
      barriers: ["hours"],
    });
  });

  it("refuses a main barrier that was not among the chosen barriers", async () => {
    const { res } = await submit({
      library_use: "monthly",
      barriers: ["hours", "childcare"],
      barriers_main: "fines_fees",
    });
    expect(res.status).toBe(400);
    expect(res.body.details[0].question).toBe("barriers_main");
  });

  it("refuses 'prefer not to say' together with a language", async () => {
    const { res } = await submit({
      library_use: "weekly",
      home_languages: ["prefer_not", "spanish"],
    });
    expect(res.status).toBe(400);
    expect(res.body.details[0]).toEqual({
      question: "home_languages",
      message: "prefer_not cannot be combined with other choices",
    });
  });

  it("requires the library-use question", async () => {
    const { res } = await submit({ comment: "hola" }, "es");
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { question: string }) => d.question)).toContain("library_use");
  });
});
