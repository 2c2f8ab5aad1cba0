// The public pages and the submission API under /l/:library (issue 23): every page links, submits
// and falls back inside its own library, and a response posted there is stored in that library's
// database only. The unprefixed URLs stay the default library's, and /l/default is it too.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { findResponse } from "../../server/queries/responses.ts";
import { setSurveyStatus } from "../../server/queries/surveys.ts";
import { createTestApp, newId, PROJECT_SURVEYS, type TestApp } from "../helpers/app.ts";
import { addLibrary } from "../helpers/second-library.ts";

let t: TestApp;
/** Library "branch"'s own database. */
let branch: Db;
beforeAll(async () => {
  t = await createTestApp({ surveysDir: PROJECT_SURVEYS });
  ({ db: branch } = await addLibrary(t.app, t.db, "branch", PROJECT_SURVEYS));
});
afterAll(() => t.close());

const answers = { library_use: "never", barriers: ["hours"] };
const envelope = () => ({ id: newId(), language: "en", channel: "web", data: answers });
const count = (db: Db) =>
  db("responses")
    .count({ n: "*" })
    .first()
    .then((row) => Number(row?.n));

describe("public pages under /l/:library", () => {
  it("lists the library's surveys with links, the brand link and the language switch inside /l/branch", async () => {
    const res = await request(t.app).get("/l/branch/?lang=es");
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/l/branch/s/community-needs?lang=es"');
    expect(res.text).toContain('<a class="brand" href="/l/branch/?lang=es">');
    // The language switch is relative (?lang=xx), so it stays on this library's page.
    expect(res.text).toContain('href="?lang=vi"');
    expect(res.text).not.toMatch(/href="\/s\//);
  });

  it("answers /l/branch without a trailing slash, and sends a missing page's visitor back to the library's home", async () => {
    expect((await request(t.app).get("/l/branch")).status).toBe(200);
    const missing = await request(t.app).get("/l/branch/s/no-such-survey?lang=en");
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("We could not find that survey.");
    expect(missing.text).toContain('<p><a href="/l/branch/?lang=en">');
  });

  it("gives the survey page its library's base for the script, and nothing inline", async () => {
    const res = await request(t.app).get("/l/branch/s/community-needs?lang=en");
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-base="/l/branch"');
    expect(res.text).toContain('data-slug="community-needs"');
    // Only JSON data blocks and external scripts: the CSP allows no inline script.
    expect(res.text).not.toMatch(/<script(?![^>]*(src=|type="application\/json"))/);
  });

  it("keeps the unprefixed pages the default library's, with an empty base", async () => {
    const home = await request(t.app).get("/?lang=en");
    expect(home.text).toContain('href="/s/community-needs?lang=en"');
    expect(home.text).toContain('<a class="brand" href="/?lang=en">');
    const page = await request(t.app).get("/s/community-needs");
    expect(page.text).toContain('data-base=""');
  });

  it("serves the default library at /l/default too, with links that stay there", async () => {
    const home = await request(t.app).get("/l/default/?lang=en");
    expect(home.status).toBe(200);
    expect(home.text).toContain('href="/l/default/s/community-needs?lang=en"');
    const page = await request(t.app).get("/l/default/s/community-needs");
    expect(page.text).toContain('data-base="/l/default"');
  });

  it("shows a closed survey of one library as closed there only", async () => {
    await setSurveyStatus(branch, "community-needs", "closed");
    try {
      expect((await request(t.app).get("/l/branch/s/community-needs")).status).toBe(410);
      expect((await request(t.app).get("/s/community-needs")).status).toBe(200);
    } finally {
      await setSurveyStatus(branch, "community-needs", "open");
    }
  });
});

describe("POST /l/:library/api/surveys/:slug/responses", () => {
  it("stores a response posted under /l/branch in branch's database only", async () => {
    const [before, beforeDefault] = [await count(branch), await count(t.db)];
    const body = envelope();
    const res = await request(t.app)
      .post("/l/branch/api/surveys/community-needs/responses")
      .send(body);
    expect(res.status).toBe(201);
    expect(await findResponse(branch, body.id)).toMatchObject({ channel: "web", data: answers });
    expect(await findResponse(t.db, body.id)).toBeUndefined();
    expect([await count(branch), await count(t.db)]).toEqual([before + 1, beforeDefault]);
  });

  it("stores a response posted unprefixed or under /l/default in the default library's database", async () => {
    for (const url of [
      "/api/surveys/community-needs/responses",
      "/l/default/api/surveys/community-needs/responses",
    ]) {
      const body = envelope();
      expect((await request(t.app).post(url).send(body)).status).toBe(201);
      expect(await findResponse(t.db, body.id)).toBeDefined();
      expect(await findResponse(branch, body.id)).toBeUndefined();
    }
  });

  it("stores the same response id once per library: a replay to the other library is its own row", async () => {
    const body = envelope();
    const url = "/l/branch/api/surveys/community-needs/responses";
    expect((await request(t.app).post(url).send(body)).status).toBe(201);
    const again = await request(t.app).post(url).send(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: body.id, duplicate: true });
  });

  it("serves the library's survey definition and answers API errors in JSON (regression: /l/… errors were HTML pages)", async () => {
    const definition = await request(t.app).get("/l/branch/api/surveys/community-needs");
    expect(definition.status).toBe(200);
    expect(definition.body.status).toBe("open");
    const invalid = await request(t.app)
      .post("/l/branch/api/surveys/community-needs/responses")
      .set("Accept", "text/html")
      .send({ ...envelope(), data: { library_use: "sometimes-maybe" } });
    expect(invalid.status).toBe(400);
    expect(invalid.type).toBe("application/json");
    expect(invalid.body.details.length).toBeGreaterThan(0);
    const unknown = await request(t.app)
      .post("/l/branch/api/surveys/no-such-survey/responses")
      .set("Accept", "text/html")
      .send(envelope());
    expect(unknown.status).toBe(404);
    expect(unknown.type).toBe("application/json");
  });
});

describe("an unknown library in the URL", () => {
  it("is a 404 page that names it, in the visitor's language, linking to the default library's home", async () => {
    const res = await request(t.app).get("/l/nowhere/s/community-needs?lang=es");
    expect(res.status).toBe(404);
    expect(res.text).toContain("No encontramos la biblioteca «nowhere».");
    expect(res.text).toContain('<html lang="es" dir="ltr">');
    expect(res.text).toContain('href="/?lang=es"');
    const english = await request(t.app).get("/l/nowhere/").set("Accept-Language", "en");
    expect(english.status).toBe(404);
    expect(english.text).toContain("We could not find the library “nowhere”.");
    const kiosk = await request(t.app).get("/l/nowhere/kiosk?lang=ar");
    expect(kiosk.status).toBe(404);
    expect(kiosk.text).toContain("لم نتمكن من العثور على المكتبة «nowhere»");
  });

  it("is a JSON 404 on the API, and nothing is stored anywhere", async () => {
    const [before, beforeDefault] = [await count(branch), await count(t.db)];
    const res = await request(t.app)
      .post("/l/nowhere/api/surveys/community-needs/responses")
      .send(envelope());
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('There is no library "nowhere"');
    expect([await count(branch), await count(t.db)]).toEqual([before, beforeDefault]);
  });
});
