// A sample shaped like the community survey's for the raking bench and tests: age (7 bands),
// language group (9) and area (25 ZIP codes), each drawn leaning towards its first categories
// (the last is drawn 6 times less often than the first) against nearly even community margins,
// so that the cells of the last categories need weights above 5 and the default bounds
// [0.2, 5] bind. About 4% of answers are unknown. Seeded, so runs repeat.
import type { RakingRespondent } from "../../server/analysis/rake.ts";
import { mulberry32 } from "../../server/imports/demo-data.ts";

/** `respondents` generated answers and the margins to rake them to. */
export function generatedRakingCase(respondents: number, seed = 21) {
  const random = mulberry32(seed);
  const variables = {
    age: 7,
    language: 9,
    area: 25,
  };
  const margins: Record<string, Record<string, number>> = {};
  const skew: Record<string, number[]> = {};
  for (const [variable, size] of Object.entries(variables)) {
    margins[variable] = {};
    skew[variable] = [];
    for (let k = 0; k < size; k++) {
      (margins[variable] as Record<string, number>)[`${variable}-${k}`] = 1000 + 50 * k;
      // The sample leans hard towards the first categories: the last ones need weights > 5.
      (skew[variable] as number[]).push(1 / (1 + (5 * k) / (size - 1)));
    }
  }
  const draw = (variable: string): string | null => {
    if (random() < 0.04) return random() < 0.5 ? null : "prefer_not_to_say";
    const weights = skew[variable] as number[];
    const total = weights.reduce((a, b) => a + b, 0);
    let u = random() * total;
    for (let k = 0; k < weights.length; k++) {
      u -= weights[k] as number;
      if (u <= 0) return `${variable}-${k}`;
    }
    return `${variable}-${weights.length - 1}`;
  };
  const people: RakingRespondent[] = Array.from({ length: respondents }, () => ({
    age: draw("age"),
    language: draw("language"),
    area: draw("area"),
  }));
  return { respondents: people, margins };
}
