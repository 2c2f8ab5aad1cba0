import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseSurveyDefinition, readSurveyFile } from "../../server/surveys/definition.ts";
import { findMissingTranslations } from "../../server/surveys/translations.ts";
import { projectSurveyFiles } from "../helpers/app.ts";

describe("survey translations", () => {
  const surveys = projectSurveyFiles().map(readSurveyFile);

  it("finds the project's surveys, the standard ones too", () => {
    expect(surveys.map((s) => s.slug)).toContain("community-needs");
    expect(surveys.map((s) => s.slug)).toContain("program-outcome");
  });

  for (const survey of surveys) {
    it(`${survey.slug}: every localizable string has all of ${survey.meta.languages.join(", ")}`, () => {
      const problems = findMissingTranslations(survey.json, survey.meta.languages);
      expect(
        problems.map(
          (p) => `${path.basename(survey.slug)} ${p.path}: missing ${p.missing.join(", ")}`,
        ),
      ).toEqual([]);
    });
  }

  it("flags a plain string, a missing language, a bare choice and an untranslated validator", () => {
    const def = parseSurveyDefinition(
      "demo",
      JSON.stringify({
        openDoor: { languages: ["en", "es"] },
        title: "Plain English only",
        elements: [
          {
            type: "radiogroup",
            name: "q1",
            title: { default: "Question", es: "Pregunta" },
            choices: ["yes", { value: "no", text: { default: "No" } }, { value: 3 }],
          },
          {
            type: "text",
            name: "zip",
            title: { default: "ZIP", es: "Código postal" },
            validators: [{ type: "regex", regex: "^\\d{5}$", text: { default: "Five digits" } }],
          },
        ],
      }),
    );
    expect(findMissingTranslations(def.json, def.meta.languages)).toEqual([
      { path: "title", missing: ["en", "es"] },
      { path: "elements[0].choices[0]", missing: ["en", "es"] },
      { path: "elements[0].choices[1].text", missing: ["es"] },
      { path: "elements[1].validators[0].text", missing: ["es"] },
    ]);
  });
});
