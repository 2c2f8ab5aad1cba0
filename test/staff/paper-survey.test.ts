import { describe, expect, it } from "vitest";
import { translator } from "../../server/i18n/messages.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { paperSurvey } from "../../server/reports/paper-survey.ts";
import { clientDefinition } from "../../server/surveys/public-survey.ts";
import { createTestApp, PROJECT_SURVEYS } from "../helpers/app.ts";

async function needsSurvey(lang: string) {
  const t = await createTestApp({ surveysDir: PROJECT_SURVEYS });
  const survey = await findSurvey(t.db, "community-needs");
  await t.close();
  if (!survey) throw new Error("community-needs missing");
  return paperSurvey(clientDefinition(survey), lang, translator(lang));
}

const questions = (paper: Awaited<ReturnType<typeof needsSurvey>>) =>
  paper.pages.flatMap((p) => p.questions);

describe("the paper version of a survey", () => {
  it("prints every question of the survey, numbered in order", async () => {
    const paper = await needsSurvey("en");
    const printed = questions(paper).filter((q) => q.body.kind !== "html");
    expect(printed.map((q) => q.number)).toEqual(printed.map((_, i) => i + 1));
    expect(printed.map((q) => q.name)).toContain("library_use");
    expect(printed.map((q) => q.name)).toContain("comment");
  });

  it("prints every choice, with a write-in line for 'other'", async () => {
    const paper = await needsSurvey("en");
    const barriers = questions(paper).find((q) => q.name === "barriers");
    expect(barriers?.body.kind).toBe("choices");
    if (barriers?.body.kind !== "choices") return;
    expect(barriers.body.multiple).toBe(true);
    expect(barriers.body.choices.length).toBeGreaterThanOrEqual(11);
    expect(barriers.body.choices.filter((c) => c.writeIn)).toHaveLength(1);
  });

  it("turns the survey's logic into instructions a reader can follow", async () => {
    const paper = await needsSurvey("en");
    const byName = new Map(questions(paper).map((q) => [q.name, q]));
    expect(byName.get("would_bring_you")?.condition).toBe(
      "Answer only if your answer to question 1 was “Not in the last 12 months”.",
    );
    expect(byName.get("library_use_ways")?.condition).toBe(
      "Answer only if your answer to question 1 was not “Not in the last 12 months”.",
    );
    // choicesFromQuestion: the paper form lists the source question's choices.
    const main = byName.get("barriers_main");
    expect(main?.condition).toContain("Choose one of the answers you ticked in question 3.");
    expect(main?.body.kind === "choices" && main.body.choices.length).toBeGreaterThanOrEqual(11);
  });

  it("is entirely in the chosen language, instructions included", async () => {
    const paper = await needsSurvey("es");
    expect(paper.title).toBe("Encuesta para la comunidad: ayúdenos a mejorar su biblioteca");
    const bring = questions(paper).find((q) => q.name === "would_bring_you");
    expect(bring?.title).toBe("¿Qué le animaría a usar la biblioteca?");
    expect(bring?.condition).toBe(
      "Conteste solo si en la pregunta 1 respondió «Ninguna vez en los últimos 12 meses».",
    );
    const welcome = questions(paper).find((q) => q.name === "feel_welcome");
    expect(welcome?.body).toMatchObject({ kind: "rating", minText: "Nada", maxText: "Mucho" });
  });
});
