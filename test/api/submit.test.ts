import { readFileSync } from "node:fs";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { findResponse } from "../../server/queries/responses.ts";
import { setSurveyStatus } from "../../server/queries/surveys.ts";
import { CLOCK_SKEW_MS } from "../../server/surveys/submit.ts";
import { createTestApp, newId, projectSurveyFiles, type TestApp } from "../helpers/app.ts";

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
    const startedAt = new Date(Date.now() - 10 * 60_000).toISOString();
    const body = envelope(valid, { language: "es", startedAt });
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
    expect(stored?.startedAt?.toISOString()).toBe(startedAt);
    const columns = Object.keys(await t.db("responses").columnInfo());
    expect(columns.some((c) => /ip|agent|address/i.test(c))).toBe(false);
  });

  it("takes public submissions without starting a session, with or without a stale session cookie (issue 21)", async () => {
    // The API reads a staff login's session but starts none: a public submission sets no cookie
    // and stores no session, whether or not it carries an old session cookie.
    const sessionsBefore = Number((await t.db("sessions").count({ n: "*" }))[0]?.n);
    const plain = await post(envelope(valid));
    expect(plain.status).toBe(201);
    expect(plain.headers["set-cookie"]).toBeUndefined();
    const stale = await request(t.app)
      .post(URL)
      .set("Cookie", "opendoor.sid=s%3Anot-a-session.signature")
      .send(envelope(valid));
    expect(stale.status).toBe(201);
    expect(stale.headers["set-cookie"]).toBeUndefined();
    expect(Number((await t.db("sessions").count({ n: "*" }))[0]?.n)).toBe(sessionsBefore);
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

  it("counts one address's submissions across server processes sharing the database (issue 14)", async () => {
    // Regression: the count lived in each process's memory, so N processes allowed N times the limit.
    const first = await createTestApp({ config: { submitRateLimit: 2 } });
    const second = createApp({ db: first.db, config: first.config });
    try {
      const send = (app: typeof second) => request(app).post(URL).send(envelope(valid));
      expect((await send(first.app)).status).toBe(201);
      expect((await send(second)).status).toBe(201);
      expect((await send(first.app)).status).toBe(429);
      expect((await send(second)).status).toBe(429);
    } finally {
      await first.close();
    }
  });
});

// Issue 15: inputs that used to be silently wrong.
describe("POST /api/surveys/:slug/responses: no silent loss (issue 15)", () => {
  // The question types the surveys in surveys/ use, each with the every-type fixture's question
  // of that type. A test below checks the list against surveys/ so a new type is not missed.
  const questionOfType: Record<string, string> = {
    radiogroup: "use",
    checkbox: "barriers",
    comment: "why_never",
    dropdown: "branch",
    boolean: "kids",
    rating: "welcome",
    text: "zip",
    ranking: "priorities",
    matrix: "agree",
    tagbox: "langs",
  };
  /** The empty value that is a real "no answer" for a type ([] for lists, {} for a matrix). */
  const emptyAnswer: Record<string, unknown> = {
    checkbox: [],
    ranking: [],
    tagbox: [],
    matrix: {},
  };

  it("covers every question type that takes an answer in the surveys in surveys/", () => {
    const types = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        const element = node as Record<string, unknown>;
        if (typeof element.type === "string" && typeof element.name === "string")
          types.add(element.type);
        for (const key of ["pages", "elements", "templateElements"]) walk(element[key]);
      }
    };
    for (const file of projectSurveyFiles()) walk(JSON.parse(readFileSync(file, "utf8")));
    types.delete("html"); // shows text, takes no answer
    expect([...types].filter((type) => !(type in questionOfType))).toEqual([]);
  });

  for (const [type, question] of Object.entries(questionOfType)) {
    for (const [label, empty] of [
      ["{}", {}],
      ["[]", []],
    ] as const) {
      const allowed = JSON.stringify(emptyAnswer[type]) === label;
      if (allowed) continue;
      // The regression: {} was taken for "no answer", stored, and exported as "[object Object]".
      it(`rejects ${label} as the answer to a ${type} question (400, naming ${question}), and stores nothing`, async () => {
        const data: Record<string, unknown> = { ...valid, [question]: empty };
        if (question === "why_never") data.use = "never";
        const body = envelope(data);
        const res = await post(body);
        expect(res.status).toBe(400);
        const detail = res.body.details.find((d: { question: string }) => d.question === question);
        expect(detail, JSON.stringify(res.body)).toBeDefined();
        expect(detail.message).toMatch(/expected/);
        expect(await findResponse(t.db, body.id)).toBeUndefined();
      });
    }
  }

  it("still takes [] for an unanswered multi-select and {} for an unanswered matrix", async () => {
    const body = envelope({ ...valid, barriers: [], agree: {} });
    expect((await post(body)).status).toBe(201);
  });

  for (const [label, raw] of [
    ["null", "null"],
    ["a number", "123"],
    ["an array", "[]"],
    ["a string", '"x"'],
  ]) {
    it(`answers a JSON body that is ${label} with 400 "the body must be a JSON object"`, async () => {
      const res = await request(t.app).post(URL).set("Content-Type", "application/json").send(raw);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe("The body must be a JSON object");
      expect(res.body.error).not.toMatch(/not valid JSON/);
    });
  }

  for (const [route, allowed] of [
    [URL, "POST, OPTIONS"],
    ["/api/surveys/every-type", "GET, HEAD, OPTIONS"],
  ] as const) {
    for (const method of ["put", "patch", "delete"] as const) {
      it(`answers ${method.toUpperCase()} ${route} with 405 and Allow: ${allowed}`, async () => {
        const res = await request(t.app)[method](route);
        expect(res.status).toBe(405);
        expect(res.headers.allow).toBe(allowed);
        expect(res.body.error).toMatch(`${method.toUpperCase()} is not allowed here`);
      });
    }
  }

  it("answers GET on the responses route with 405 too, and OPTIONS with the allowed methods", async () => {
    const get = await request(t.app).get(URL);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe("POST, OPTIONS");
    const options = await request(t.app).options(URL);
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe("POST, OPTIONS");
  });

  describe("the same id again", () => {
    it("with the same content: 200 {id, duplicate: true}, stored once (a start time that differs does not count)", async () => {
      const body = envelope(valid, { location: "central" });
      expect((await post(body)).status).toBe(201);
      const replay = await post({ ...body, startedAt: new Date().toISOString() });
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual({ id: body.id, duplicate: true });
    });

    it("with the same answers in another order, or with answers the logic hides: still the same content", async () => {
      const body = envelope({ use: "weekly", welcome: 4, barriers: ["hours"] });
      expect((await post(body)).status).toBe(201);
      const reordered = { ...body, data: { barriers: ["hours"], welcome: 4, use: "weekly" } };
      expect((await post(reordered)).status).toBe(200);
      // why_never is hidden for weekly users: removed before storing, so it is not a difference.
      const hidden = { ...body, data: { ...body.data, why_never: "n/a" } };
      expect((await post(hidden)).status).toBe(200);
    });

    const changes: Array<[string, (body: ReturnType<typeof envelope>) => object, string]> = [
      ["another answer", (b) => ({ ...b, data: { ...b.data, welcome: 2 } }), "welcome"],
      ["an answer added", (b) => ({ ...b, data: { ...b.data, kids: true } }), "kids"],
      ["an answer left out", (b) => ({ ...b, data: { use: "weekly" } }), "barriers"],
      ["another language", (b) => ({ ...b, language: "es" }), "(language)"],
      ["another channel", (b) => ({ ...b, channel: "kiosk" }), "(channel)"],
      ["no location", (b) => ({ ...b, location: null }), "(location)"],
    ];
    for (const [what, change, named] of changes) {
      it(`with ${what}: 409 naming ${named}, and the stored response is unchanged`, async () => {
        const body = envelope(valid, { location: "central" });
        expect((await post(body)).status).toBe(201);
        const before = await findResponse(t.db, body.id);
        const res = await post(change(body));
        expect(res.status).toBe(409);
        expect(res.body.error).toMatch(/already stored with different content/);
        expect(res.body.details.map((d: { question: string }) => d.question)).toContain(named);
        expect(await findResponse(t.db, body.id)).toEqual(before);
      });
    }

    it("with invalid answers: 409, not 400 and not a silent 200", async () => {
      const body = envelope(valid);
      expect((await post(body)).status).toBe(201);
      const res = await post({ ...body, data: { use: "daily" } });
      expect(res.status).toBe(409);
    });

    it("arriving twice at once with different content: one is stored, the other is a 409", async () => {
      const body = envelope(valid);
      const other = { ...body, data: { ...valid, welcome: 1 } };
      const replies = await Promise.all([post(body), post(other)]);
      expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
      const [row] = await t.db("responses").where({ id: body.id }).count({ n: "*" });
      expect(Number(row?.n)).toBe(1);
    });

    it("arriving twice at once with the same content: stored once, 201 and 200", async () => {
      const body = envelope(valid);
      const replies = await Promise.all([post(body), post(body)]);
      expect(replies.map((r) => r.status).sort()).toEqual([200, 201]);
    });

    it("after the survey closed, with different content: 409; with the same content: 200", async () => {
      const app = await createTestApp();
      try {
        const body = envelope(valid);
        expect((await request(app.app).post(URL).send(body)).status).toBe(201);
        await setSurveyStatus(app.db, "every-type", "closed");
        expect((await request(app.app).post(URL).send(body)).status).toBe(200);
        const changed = { ...body, data: { ...valid, welcome: 5 } };
        expect((await request(app.app).post(URL).send(changed)).status).toBe(409);
      } finally {
        await app.close();
      }
    });
  });

  describe("startedAt outside a sane range is ignored (stored as unknown), the answers kept", () => {
    const hour = 60 * 60 * 1000;
    const cases: Array<[string, () => string, boolean]> = [
      [
        "ten minutes ago (before the test survey was loaded, within the allowance)",
        () => new Date(Date.now() - hour / 6).toISOString(),
        true,
      ],
      ["an hour ahead (clock skew)", () => new Date(Date.now() + hour).toISOString(), true],
      [
        "a minute inside the clock-skew allowance",
        () => new Date(Date.now() + CLOCK_SKEW_MS - 60_000).toISOString(),
        true,
      ],
      [
        "a minute beyond the clock-skew allowance",
        () => new Date(Date.now() + CLOCK_SKEW_MS + 60_000).toISOString(),
        false,
      ],
      ["two days in the future", () => new Date(Date.now() + 48 * hour).toISOString(), false],
      ["1970 (a kiosk whose clock was reset)", () => "1970-01-01T00:00:00Z", false],
      [
        "two days before the survey existed",
        () => new Date(Date.now() - 48 * hour).toISOString(),
        false,
      ],
    ];
    for (const [what, startedAt, kept] of cases) {
      it(`${what}: ${kept ? "kept" : "stored as null"}`, async () => {
        const sent = startedAt();
        const body = envelope(valid, { startedAt: sent });
        expect((await post(body)).status).toBe(201);
        const stored = await findResponse(t.db, body.id);
        expect(stored?.data).toEqual(valid);
        expect(stored?.startedAt?.toISOString() ?? null).toBe(
          kept ? new Date(sent).toISOString() : null,
        );
      });
    }
  });
});
