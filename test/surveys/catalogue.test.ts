import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { InputError } from "../../server/errors.ts";
import { findResponse } from "../../server/queries/responses.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { loadSurveyFiles, syncSurveys } from "../../server/surveys/catalogue.ts";
import { parseSurveyDefinition, surveyMeta } from "../../server/surveys/definition.ts";
import { createTestDb, FIXTURE_SURVEYS, newId, testConfig } from "../helpers/app.ts";

const dirs: string[] = [];
function surveysDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "opendoor-surveys-"));
  cpSync(FIXTURE_SURVEYS, dir, { recursive: true });
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function problem(slug: string, text: string): string {
  try {
    parseSurveyDefinition(slug, text, `surveys/${slug}.json`);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).toString();
  }
  throw new Error("expected the definition to be rejected");
}

describe("survey definitions", () => {
  it("names the file, line and column of a JSON syntax error", () => {
    expect(problem("broken", '{\n  "title": "x",\n  "pages": [\n}')).toMatch(
      /^surveys\/broken\.json, line 4, column 1: not valid JSON/,
    );
  });

  it("rejects a file name that cannot be a survey address", () => {
    expect(problem("My Survey", "{}")).toMatch(/lowercase letters, digits and dashes/);
  });

  it("rejects a survey with no questions", () => {
    expect(problem("empty", '{"title": "Nothing"}')).toMatch(
      /empty\.json: the survey has no questions/,
    );
  });

  it("rejects two questions that store the same answer", () => {
    const json = {
      elements: [
        { type: "text", name: "a" },
        { type: "text", name: "b", valueName: "a" },
      ],
    };
    expect(problem("twice", JSON.stringify(json))).toMatch(
      /field b: two questions store their answer as "a"/,
    );
  });

  it("rejects a property SurveyJS does not know", () => {
    const json = { elements: [{ type: "text", name: "a", colour: "red" }] };
    expect(problem("unknown", JSON.stringify(json))).toMatch(/SurveyJS cannot read it.*colour/);
  });

  it("rejects an unknown openDoor setting or language, naming the field", () => {
    const base = { elements: [{ type: "text", name: "a" }] };
    expect(problem("meta", JSON.stringify({ ...base, openDoor: { language: ["en"] } }))).toMatch(
      /field openDoor/,
    );
    expect(
      problem("meta", JSON.stringify({ ...base, openDoor: { languages: ["en", "fr"] } })),
    ).toMatch(/field openDoor\.languages\.1/);
  });

  it("rejects an openDoor.profile that names a question the survey does not have", () => {
    const base = { elements: [{ type: "text", name: "postcode" }] };
    expect(
      problem("profile", JSON.stringify({ ...base, openDoor: { profile: { area: "zip" } } })),
    ).toMatch(/field openDoor\.profile\.area: the survey has no question "zip"/);
    const def = parseSurveyDefinition(
      "profile",
      JSON.stringify({ ...base, openDoor: { profile: { area: "postcode" } } }),
    );
    expect(def.meta.profile).toEqual({ area: "postcode" });
  });

  it("infers the languages of a survey dropped in from the SurveyJS builder", () => {
    const json = {
      title: { default: "Hi", es: "Hola", vi: "Xin chào" },
      elements: [{ type: "text", name: "a" }],
    };
    const def = parseSurveyDefinition("builder", JSON.stringify(json));
    expect(def.meta.languages).toEqual(["en", "es", "vi"]);
    expect(def.meta.audience).toBe("public");
  });

  it("stops at the first broken file in the folder, naming it", () => {
    const dir = surveysDir();
    writeFileSync(path.join(dir, "zz-broken.json"), "{ nope");
    expect(() => loadSurveyFiles(dir)).toThrow(/zz-broken\.json/);
  });
});

describe("survey versions", () => {
  it("reads a stored survey's openDoor settings as the file's, languages and channels filled in", async () => {
    const dir = surveysDir();
    const db = await createTestDb(testConfig({ surveysDir: dir }));
    try {
      await syncSurveys(db, dir);
      const file = path.join(dir, "every-type.json");
      const parsed = parseSurveyDefinition("every-type", readFileSync(file, "utf8"), file);
      const stored = await findSurvey(db, "every-type");
      expect(stored && surveyMeta(stored.definition)).toEqual(parsed.meta);
      expect(surveyMeta({ title: "stored without settings" })).toBeUndefined();
    } finally {
      await db.destroy();
    }
  });

  it("records a new version when a file changes, and old responses keep theirs", async () => {
    const dir = surveysDir();
    const config = testConfig({ surveysDir: dir });
    const db = await createTestDb(config);
    try {
      const first = await syncSurveys(db, dir);
      const v1 = first.find((s) => s.slug === "every-type");
      expect(v1?.newVersion).toBe(true);

      // Unchanged content, even re-indented, is not a new version.
      const file = path.join(dir, "every-type.json");
      const json = JSON.parse(readFileSync(file, "utf8"));
      writeFileSync(file, JSON.stringify(json, null, 4));
      expect((await syncSurveys(db, dir)).find((s) => s.slug === "every-type")).toEqual({
        ...v1,
        newVersion: false,
      });

      const app = createApp({ db, config });
      const oldId = newId();
      const send = (id: string) =>
        request(app)
          .post("/api/surveys/every-type/responses")
          .send({ id, language: "en", channel: "web", data: { use: "weekly" } });
      expect((await send(oldId)).status).toBe(201);

      json.pages[0].elements[0].choices.push({
        value: "monthly",
        text: { default: "Monthly", es: "Mensual" },
      });
      writeFileSync(file, JSON.stringify(json));
      const v2 = (await syncSurveys(db, dir)).find((s) => s.slug === "every-type");
      expect(v2?.newVersion).toBe(true);
      expect(v2?.versionId).not.toBe(v1?.versionId);
      expect((await findSurvey(db, "every-type"))?.versionId).toBe(v2?.versionId);

      const newIdValue = newId();
      const res = await request(app)
        .post("/api/surveys/every-type/responses")
        .send({ id: newIdValue, language: "en", channel: "web", data: { use: "monthly" } });
      expect(res.status).toBe(201);
      expect((await findResponse(db, oldId))?.versionId).toBe(v1?.versionId);
      expect((await findResponse(db, newIdValue))?.versionId).toBe(v2?.versionId);
    } finally {
      await db.destroy();
    }
  });
});
