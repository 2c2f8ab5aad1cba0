import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findResponse } from "../../server/queries/responses.ts";
import { setSurveyStatus } from "../../server/queries/surveys.ts";
import { createTestApp, newId, type TestApp } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const URL = "/api/surveys/every-type/responses";
const valid = { use: "weekly", barriers: ["hours"], welcome: 4 };
const post = (body: unknown) =>
  request(t.app)
    .post(URL)
    .send(body as object);
const envelope = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: newId(),
  language: "en",
  channel: "web",
  data,
  ...extra,
});

describe("POST /api/surveys/:slug/responses", () => {
  it("stores a valid response with its version, language and channel, and no IP address", async () => {
    const body = envelope(valid, { language: "es", startedAt: "2026-11-26T10:00:00Z" });
    const res = await post(body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: body.id });
    const stored = await findResponse(t.db, body.id);
    expect(stored).toMatchObject({
      surveySlug: "every-type",
      language: "es",
      channel: "web",
      data: valid,
    });
    expect(stored?.startedAt?.toISOString()).toBe("2026-11-26T10:00:00.000Z");
    const columns = Object.keys(await t.db("responses").columnInfo());
    expect(columns.some((c) => /ip|agent|address/i.test(c))).toBe(false);
  });

  it("stores a replayed response once and says it was a duplicate", async () => {
    const body = envelope(valid);
    expect((await post(body)).status).toBe(201);
    const replay = await post(body);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ id: body.id, duplicate: true });
    const [row] = await t.db("responses").where({ id: body.id }).count({ n: "*" });
    expect(Number(row?.n)).toBe(1);
  });

  it("acknowledges a replay after the survey closed, but refuses new responses with 410", async () => {
    const app = await createTestApp();
    try {
      const body = envelope(valid);
      expect((await request(app.app).post(URL).send(body)).status).toBe(201);
      await setSurveyStatus(app.db, "every-type", "closed");
      expect((await request(app.app).post(URL).send(body)).status).toBe(200);
      const fresh = await request(app.app).post(URL).send(envelope(valid));
      expect(fresh.status).toBe(410);
      expect(fresh.body.error).toMatch(/closed/);
    } finally {
      await app.close();
    }
  });

  it("removes answers to questions the answers' own logic hides, and stores exactly what it validated", async () => {
    const body = envelope({ use: "weekly", why_never: "no time" });
    expect((await post(body)).status).toBe(201);
    expect((await findResponse(t.db, body.id))?.data).toEqual({ use: "weekly" });
  });

  it("answers 404 for an unknown survey", async () => {
    const res = await request(t.app)
      .post("/api/surveys/no-such-survey/responses")
      .send(envelope(valid));
    expect(res.status).toBe(404);
  });

  it("answers 415 when the body is not JSON", async () => {
    const res = await request(t.app).post(URL).type("form").send("id=1");
    expect(res.status).toBe(415);
    expect(res.body.error).toMatch(/JSON/);
  });

  it("answers 400 for malformed JSON", async () => {
    const res = await request(t.app)
      .post(URL)
      .set("Content-Type", "application/json")
      .send('{"id": ');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/not valid JSON/);
  });

  it("answers 413 when the body is too large", async () => {
    const res = await post(envelope({ use: "weekly", zip: "x".repeat(300_000) }));
    expect(res.status).toBe(413);
  });

  // Each case: the data sent, and the question the error must name.
  const badAnswers: Array<[string, Record<string, unknown>, string, RegExp]> = [
    [
      "an unknown question",
      { ...valid, favourite_colour: "blue" },
      "favourite_colour",
      /unknown question/,
    ],
    ["a required question left out", { barriers: ["hours"] }, "use", /required|response/i],
    [
      "a required question shown by the answers' logic left out",
      { use: "never" },
      "why_never",
      /required|response/i,
    ],
    ["a value that is not a choice", { use: "daily" }, "use", /not among the question's choices/],
    ["a number where a choice code is expected", { use: 7 }, "use", /not among/],
    ["a list for a single-choice question", { use: ["weekly"] }, "use", /one choice value/],
    [
      "a single value for a multi-select question",
      { ...valid, barriers: "hours" },
      "barriers",
      /list of choice values/,
    ],
    [
      "an unknown choice in a multi-select",
      { ...valid, barriers: ["hours", "parking"] },
      "barriers",
      /parking/,
    ],
    ["a choice listed twice", { ...valid, barriers: ["hours", "hours"] }, "barriers", /twice/],
    [
      "an exclusive choice combined with others",
      { ...valid, barriers: ["nothing", "fees"] },
      "barriers",
      /cannot be combined/,
    ],
    [
      "'other' without its text",
      { ...valid, barriers: ["other"] },
      "barriers",
      /other|comment|value/i,
    ],
    [
      "other text that is not a string",
      { ...valid, barriers: ["other"], "barriers-Comment": 12 },
      "barriers",
      /string/,
    ],
    [
      "a comment for a question without one",
      { ...valid, "use-Comment": "hi" },
      "use-Comment",
      /unknown question/,
    ],
    ["a rating outside the scale", { ...valid, welcome: 6 }, "welcome", /rating values/],
    ["a rating given as text", { ...valid, welcome: "4" }, "welcome", /rating values/],
    ["a boolean given as text", { ...valid, kids: "yes" }, "kids", /yes or no/],
    [
      "text too long for its question",
      { use: "never", why_never: "x".repeat(51) },
      "why_never",
      /limit is 50/,
    ],
    ["text that fails the question's pattern", { ...valid, zip: "9410" }, "zip", /Five digits/],
    ["an object where text is expected", { ...valid, zip: { a: 1 } }, "zip", /expected text/],
    [
      "a ranking with an unknown item",
      { ...valid, priorities: ["books", "games"] },
      "priorities",
      /ranked order/,
    ],
    [
      "a ranking with an item twice",
      { ...valid, priorities: ["books", "books"] },
      "priorities",
      /ranked order/,
    ],
    [
      "a matrix row that does not exist",
      { ...valid, agree: { parking: 1 } },
      "agree",
      /unknown row/,
    ],
    [
      "a matrix cell that is not a column",
      { ...valid, agree: { staff: 9 } },
      "agree",
      /not among the columns/,
    ],
    ["a matrix answered with a list", { ...valid, agree: [1, 2] }, "agree", /row → column/],
    ["a dropdown value not offered", { ...valid, branch: "west" }, "branch", /not among/],
    ["a tagbox value not offered", { ...valid, langs: ["klingon"] }, "langs", /klingon/],
  ];

  for (const [what, data, question, message] of badAnswers) {
    it(`rejects ${what} (400, naming ${question})`, async () => {
      const body = envelope(data);
      const res = await post(body);
      expect(res.status).toBe(400);
      const detail = res.body.details.find((d: { question: string }) => d.question === question);
      expect(detail, JSON.stringify(res.body.details)).toBeDefined();
      expect(detail.message).toMatch(message);
      expect(await findResponse(t.db, body.id)).toBeUndefined();
    });
  }

  const badEnvelopes: Array<[string, Record<string, unknown>, string]> = [
    ["an id that is not a UUID v4", { id: "1234" }, "(id)"],
    ["a missing id", { id: undefined }, "(id)"],
    ["a language the survey does not offer", { language: "fr" }, "(language)"],
    ["an unknown channel", { channel: "carrier-pigeon" }, "(channel)"],
    ["a start time that is not ISO 8601", { startedAt: "yesterday" }, "(startedAt)"],
    ["a location id with spaces", { location: "Main Branch; DROP" }, "(location)"],
    ["an unexpected envelope field", { ip: "1.2.3.4" }, ""],
    ["data that is not an object", { data: ["weekly"] }, "(data)"],
  ];

  for (const [what, change, question] of badEnvelopes) {
    it(`rejects ${what} (400, naming ${question || "the envelope"})`, async () => {
      const res = await post({ ...envelope(valid), ...change });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { question: string }) => d.question)).toContain(question);
    });
  }

  it("refuses paper, event and interview responses from the public (403)", async () => {
    for (const channel of ["paper", "event", "interview"]) {
      const res = await post(envelope(valid, { channel }));
      expect([400, 403]).toContain(res.status);
    }
    const paper = await post(envelope(valid, { channel: "paper" }));
    expect(paper.status).toBe(403);
  });

  it("rate-limits submissions from one address (429)", async () => {
    const limited = await createTestApp({ config: { submitRateLimit: 2 } });
    try {
      const send = () => request(limited.app).post(URL).send(envelope(valid));
      expect((await send()).status).toBe(201);
      expect((await send()).status).toBe(201);
      const third = await send();
      expect(third.status).toBe(429);
      expect(third.body.error).toMatch(/Too many/);
    } finally {
      await limited.close();
    }
  });
});
