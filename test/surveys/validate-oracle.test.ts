// The validator evaluates a plan read from SurveyJS's model rather than a live model (for speed).
// This test keeps it honest: on many random responses it must agree with a live survey-core
// Model about which answers survive completion and which required questions are missing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Model } from "survey-core";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../server/imports/demo-data.ts";
import { ResponseValidator } from "../../server/surveys/validate-response.ts";
import { FIXTURE_SURVEYS, PROJECT_SURVEYS } from "../helpers/app.ts";

type Json = Record<string, unknown>;

function load(file: string): Json {
  const { openDoor: _meta, ...json } = JSON.parse(readFileSync(file, "utf8"));
  return json;
}

/** Random answers drawn from each question's own choices, including answers the logic will hide. */
function randomAnswers(model: Model, random: () => number): Json {
  const data: Json = {};
  for (const q of model.getAllQuestions()) {
    if (random() < 0.35) continue;
    const type = q.getType();
    const choices = ((q as unknown as { choices?: Array<{ value: unknown }> }).choices ?? []).map(
      (c) => c.value,
    );
    if (type === "radiogroup" || type === "dropdown")
      data[q.name] = choices[Math.floor(random() * choices.length)];
    else if (type === "checkbox" || type === "tagbox") {
      const picked = choices.filter(() => random() < 0.3);
      if (picked.length) data[q.name] = picked;
    } else if (type === "rating") data[q.name] = 1 + Math.floor(random() * 5);
    else if (type === "text" || type === "comment")
      data[q.name] = random() < 0.5 ? "95110" : "some words";
    else if (type === "boolean") data[q.name] = random() < 0.5;
  }
  return data;
}

/** What survey-core keeps on completion, and which questions it says need an answer. */
function surveyJsVerdict(json: Json, data: Json) {
  const model = new Model(json);
  model.data = structuredClone(data);
  model.validate(true, false, undefined, false);
  const required = model
    .getAllQuestions()
    .filter(
      (q) =>
        q.isVisible && q.isParentVisible && q.errors.some((e) => e.getErrorType() === "required"),
    )
    .map((q) => q.name)
    .sort();
  model.doComplete();
  return { kept: model.data as Json, required };
}

const surveys = [
  path.join(PROJECT_SURVEYS, "community-needs.json"),
  path.join(FIXTURE_SURVEYS, "every-type.json"),
];

describe("the validator agrees with a live survey-core model", () => {
  for (const file of surveys) {
    it(`on 80 random responses to ${path.basename(file)}`, () => {
      const json = load(file);
      const validator = new ResponseValidator(json);
      const random = mulberry32(42);
      const shape = new Model(json);
      let compared = 0;
      for (let i = 0; i < 80; i++) {
        const data = randomAnswers(shape, random);
        const expected = surveyJsVerdict(json, data);
        const result = validator.validate(structuredClone(data));
        if (result.ok) {
          expect(result.data, JSON.stringify(data)).toEqual(expected.kept);
          expect(expected.required).toEqual([]);
          compared++;
        } else {
          const ours = result.details
            .filter((d) => d.message === "an answer is required")
            .map((d) => d.question)
            .sort();
          expect(ours, JSON.stringify(data)).toEqual(expected.required);
        }
      }
      expect(compared).toBeGreaterThan(10);
    });
  }
});
