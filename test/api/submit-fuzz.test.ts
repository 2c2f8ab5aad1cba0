// Issue 15 "Proof", the submission half: a property test (fast-check) over
// POST /api/surveys/:slug/responses through supertest on a real SQLite database. Whatever the body
// (random JSON, broken JSON, valid envelopes with random answers, replays of stored ids with other
// content), the server never answers 5xx, every refusal names the problem, a refused request leaves
// the stored responses exactly as they were, and what is stored passes the survey's checks again.
// fast-check prints the seed and the shrunk input of any failure, so a failure can be replayed.
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESPONSE_COLUMNS } from "../../server/queries/responses.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { ResponseValidator } from "../../server/surveys/validate-response.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";

const SLUG = "every-type";
const URL = `/api/surveys/${SLUG}/responses`;

let t: TestApp;
let validator: ResponseValidator;
beforeAll(async () => {
  t = await createTestApp();
  const survey = await findSurvey(t.db, SLUG);
  const { openDoor: _meta, ...json } = survey?.definition ?? {};
  validator = new ResponseValidator(json);
});
afterAll(() => t.close());

/** Every stored response, in a stable order: compared before and after each request. */
async function snapshot(): Promise<string> {
  return JSON.stringify(await t.db("responses").orderBy("id").select(RESPONSE_COLUMNS));
}

const QUESTIONS = [
  "use",
  "barriers",
  "why_never",
  "branch",
  "kids",
  "welcome",
  "zip",
  "priorities",
  "agree",
  "langs",
];
const SINGLE_VALUE_QUESTIONS = ["use", "why_never", "branch", "kids", "welcome", "zip"];
/** Answers that are sometimes right: the survey's own choice codes and shapes. */
const plausibleAnswer = fc.oneof(
  fc.constantFrom("weekly", "never", "hours", "fees", "nothing", "other", "central", "east"),
  fc.constantFrom("94110", "books", "stem", "english", "spanish", true, false, 1, 2, 3, 4, 5),
  fc.constantFrom(["hours"], ["hours", "fees"], ["books", "stem"], { staff: 1 }, { space: 2 }),
  fc.constantFrom({}, [], "", null, 0, -0, "[object Object]"),
  fc.jsonValue({ maxDepth: 3 }),
);
const answers = fc.dictionary(
  fc.oneof(
    fc.constantFrom(...QUESTIONS),
    fc.constantFrom("barriers-Comment", "use-Comment", "__proto__", "constructor"),
    fc.string({ maxLength: 12 }),
  ),
  plausibleAnswer,
  { maxKeys: 8 },
);
const isoTime = fc
  .integer({ min: -5e12, max: 5e12 })
  .map((offset) => new Date(Date.now() + offset).toISOString());
const envelope = fc.record(
  {
    id: fc.oneof(fc.uuid({ version: 4 }), fc.string({ maxLength: 40 }), fc.jsonValue()),
    language: fc.oneof(fc.constantFrom("en", "es", "fr", ""), fc.jsonValue()),
    channel: fc.oneof(fc.constantFrom("web", "kiosk", "paper", "pigeon"), fc.jsonValue()),
    location: fc.oneof(fc.constantFrom("central", "nowhere", "a b", null), fc.jsonValue()),
    startedAt: fc.oneof(isoTime, fc.string({ maxLength: 30 }), fc.jsonValue()),
    data: fc.oneof({ weight: 4, arbitrary: answers }, fc.jsonValue()),
    extra: fc.jsonValue(),
  },
  { requiredKeys: [] },
);
/** Answers the survey accepts (some of the time the logic makes them invalid: why_never). */
const validAnswers = fc
  .record(
    {
      use: fc.constantFrom("weekly", "never"),
      barriers: fc.subarray(["hours", "fees"]),
      branch: fc.constantFrom("central", "east"),
      kids: fc.boolean(),
      welcome: fc.integer({ min: 1, max: 5 }),
      zip: fc.constantFrom("94110", "10001"),
      priorities: fc.constantFrom(["books", "stem"], ["stem", "books"]),
      agree: fc.constantFrom({ staff: 1 }, { staff: 2, space: 1 }),
      langs: fc.subarray(["english", "spanish"]),
    },
    { requiredKeys: ["use"] },
  )
  .map((data) => (data.use === "never" ? { ...data, why_never: "too far" } : data));
const validEnvelope = fc.record(
  {
    id: fc.uuid({ version: 4 }),
    language: fc.constantFrom("en", "es"),
    channel: fc.constantFrom("web", "kiosk"),
    location: fc.constantFrom("central", null),
    startedAt: isoTime,
    data: validAnswers,
  },
  { requiredKeys: ["id", "language", "channel", "data"] },
);
/** A valid envelope with one thing changed: an envelope field or one answer, set or removed. */
const mutatedEnvelope = fc
  .tuple(
    validEnvelope,
    fc.constantFrom("id", "language", "channel", "location", "startedAt", "data", "extra"),
    fc.oneof(fc.constantFrom(...QUESTIONS), fc.string({ maxLength: 12 })),
    fc.option(plausibleAnswer, { nil: undefined }),
    fc.boolean(),
  )
  .map(([valid, field, question, value, inData]) => {
    const copy: Record<string, unknown> = { ...valid, data: { ...valid.data } };
    const target = inData ? (copy.data as Record<string, unknown>) : copy;
    const key = inData ? question : field;
    if (value === undefined) delete target[key];
    else target[key] = value;
    return copy;
  });
/** A raw body: a JSON document of any shape, an envelope, or text that is not JSON at all. */
const body = fc.oneof(
  { weight: 2, arbitrary: validEnvelope.map((value) => JSON.stringify(value)) },
  { weight: 5, arbitrary: mutatedEnvelope.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: envelope.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: mutatedEnvelope.map((value) => JSON.stringify(value).slice(0, -1)) },
);

interface Reply {
  status: number;
  body: { error?: unknown; details?: unknown; id?: unknown };
}

function expectNamedProblem(res: Reply, sent: string): void {
  const context = `${res.status} ${JSON.stringify(res.body)} for ${sent}`;
  expect(res.status, context).toBeLessThan(500);
  if (res.status < 400) return;
  expect(typeof res.body.error, context).toBe("string");
  expect(String(res.body.error).length, context).toBeGreaterThan(10);
  expect(Array.isArray(res.body.details), context).toBe(true);
  const details = res.body.details as Array<{ question: unknown; message: unknown }>;
  for (const detail of details) {
    expect(typeof detail.question, context).toBe("string");
    expect(typeof detail.message, context).toBe("string");
    expect(String(detail.message).length, context).toBeGreaterThan(0);
  }
  // "Invalid" alone does not name a problem: these errors must say what and where.
  if (/envelope is invalid|answers are invalid/.test(String(res.body.error)))
    expect(details.length, context).toBeGreaterThan(0);
}

/** Sends one raw body; checks the answer and what it did to the stored responses. */
async function send(raw: string, contentType = "application/json"): Promise<Reply> {
  const before = await snapshot();
  const res = await request(t.app).post(URL).set("Content-Type", contentType).send(raw);
  expectNamedProblem(res, raw);
  const after = await snapshot();
  if (res.status === 201) {
    const id = String(res.body.id);
    const [row] = await t.db("responses").where({ id }).select("data");
    const stored = JSON.parse(row.data);
    // What is stored is exactly what passed the checks: checking it again changes nothing.
    expect(validator.validate(stored)).toEqual({ ok: true, data: stored });
    // A question that takes one value never stores a list or an object ({} once did).
    for (const question of SINGLE_VALUE_QUESTIONS)
      expect(typeof stored[question], `${question} in ${raw}`).not.toBe("object");
  } else {
    expect(after, `${res.status} changed the stored responses for ${raw}`).toBe(before);
  }
  return res;
}

describe("fuzzing POST /api/surveys/:slug/responses", { timeout: 240_000 }, () => {
  it("never answers 5xx, names every problem, and leaves the database unchanged on a refusal", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const { status } = await send(raw);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
      { numRuns: 300 },
    );
    // The generator reaches both sides: stored responses and refusals.
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  });

  it("a stored id sent again is 200 with the same content and 409 with any other, never stored twice", async () => {
    const valid = {
      language: "en",
      channel: "web",
      data: { use: "weekly", barriers: ["hours"], welcome: 4 },
    };
    await fc.assert(
      fc.asyncProperty(fc.uuid({ version: 4 }), answers, async (id, otherData) => {
        const first = await send(JSON.stringify({ id, ...valid }));
        expect(first.status).toBe(201);
        const again = await send(JSON.stringify({ id, ...valid }));
        expect(again.status).toBe(200);
        const other = await send(JSON.stringify({ id, ...valid, data: otherData }));
        // The same content only when the other answers clean up to the answers stored.
        const cleaned = validator.validate(otherData);
        const same =
          cleaned.ok && isDeepStrictEqual(JSON.parse(JSON.stringify(cleaned.data)), valid.data);
        expect(other.status).toBe(same ? 200 : 409);
        const [count] = await t.db("responses").where({ id }).count({ n: "*" });
        expect(Number(count?.n)).toBe(1);
      }),
      { numRuns: 60 },
    );
  });

  it("refuses what is not declared as JSON with 415, whatever the body", async () => {
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "text/csv"),
        async (raw, type) => {
          expect((await send(raw, type)).status).toBe(415);
        },
      ),
      { numRuns: 40 },
    );
  });
});
