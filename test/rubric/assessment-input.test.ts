// Reading the "record an assessment" form: what is kept, and every refusal names its field.
import { describe, expect, it } from "vitest";
import { InputError } from "../../server/errors.ts";
import { checkLink, readAssessmentForm } from "../../server/rubric/assessment-input.ts";
import { getRubric } from "../../server/rubric/rubric.ts";

const rubric = getRubric();
const TODAY = "2026-11-26";
const base = {
  assessed_on: "2026-11-01",
  participants: " Team \r\n Advisory board ",
  score_a: "4",
};

function problems(form: Record<string, unknown>): Record<string, string> {
  try {
    readAssessmentForm(form, rubric, TODAY);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return Object.fromEntries((error as InputError).details.map((d) => [d.question, d.message]));
  }
  throw new Error("the form was accepted");
}

describe("reading the assessment form", () => {
  it("keeps scores, met indicators, trimmed notes and de-duplicated links; ignores _csrf and lang", () => {
    const assessment = readAssessmentForm(
      {
        ...base,
        _csrf: "token",
        lang: "es",
        score_g: "10",
        score_b: "",
        met_g4: "on",
        notes_g4: "  Board includes two youth members. ",
        links_g4: "https://example.org/a\r\n\r\nhttps://example.org/a\n/staff/surveys",
      },
      rubric,
      TODAY,
    );
    expect(assessment.participants).toBe("Team \n Advisory board");
    expect(assessment.scores).toEqual({ a: 4, g: 10 });
    expect(assessment.indicators.g4).toEqual({
      met: true,
      notes: "Board includes two youth members.",
      links: ["https://example.org/a", "/staff/surveys"],
    });
    expect(Object.values(assessment.indicators).filter((i) => i.met)).toHaveLength(1);
    expect(Object.keys(assessment.indicators)).toHaveLength(20);
  });

  it("accepts today's date and refuses tomorrow's", () => {
    expect(readAssessmentForm({ ...base, assessed_on: TODAY }, rubric, TODAY).assessedOn).toBe(
      TODAY,
    );
    expect(problems({ ...base, assessed_on: "2026-11-27" }).assessed_on).toMatch(/in the future/);
  });

  it("names every field that is wrong at once", () => {
    expect(
      problems({
        assessed_on: "26/11/2026",
        participants: "",
        score_a: "ten",
        score_b: "-1",
        score_h: "5",
        met_a1: "maybe",
        notes_zz: "x",
        colour: "blue",
        links_b1: "ftp://example.org/file",
        next_steps: "x".repeat(5001),
      }),
    ).toEqual({
      assessed_on: "write the date as YYYY-MM-DD",
      participants: "say who took part in the assessment",
      score_a: 'score for end goal (a) must be a whole number from 1 to 10 (got "ten")',
      score_b: 'score for end goal (b) must be a whole number from 1 to 10 (got "-1")',
      score_h: 'unknown end goal "h": the rubric\'s end goals are a, b, c, d, e, f, g',
      met_a1: 'must be checked or not (got "maybe")',
      notes_zz: expect.stringMatching(
        /^unknown indicator "zz": the rubric's indicators are a1, b1, b2, c1/,
      ),
      colour: "is not a field of the assessment form",
      links_b1: expect.stringMatching(/"ftp:\/\/example\.org\/file" is not a link/),
      next_steps: "is longer than 5000 characters",
    });
  });

  it("refuses a field sent twice", () => {
    expect(problems({ ...base, score_a: ["4", "9"] }).score_a).toBe("was sent more than once");
  });

  it("asks for at least one score", () => {
    expect(problems({ ...base, score_a: "" }).scores).toBe(
      "score at least one end goal from 1 to 10",
    );
  });
});

describe("a link to evidence", () => {
  it("is an http(s) address or a page of Open Door", () => {
    expect(checkLink("https://library.example.org/plan.pdf")).toBeNull();
    expect(checkLink("/staff/gaps")).toBeNull();
    expect(checkLink("//evil.example/x")).toMatch(/is not a link/);
    expect(checkLink("javascript:alert(1)")).toMatch(/is not a link/);
    expect(checkLink("/staff/a b")).toMatch(/contains spaces/);
  });

  // Regression: "/\\evil.example" passed as a same-site path, and browsers open it as //evil.example.
  it("refuses addresses a browser would open on another site or as script", () => {
    for (const link of [
      "/\\evil.example",
      "/\\/evil.example",
      "//evil.example",
      "/\t/evil.example",
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "https:evil.example",
      "https://",
      "http://exa mple.org",
    ]) {
      expect(`${JSON.stringify(link)}: ${checkLink(link)}`).toMatch(
        /is not a link|contains spaces/,
      );
    }
  });
});
