// The usage-gap methods note and its words: built once from the message catalogues, in every
// language the project has.
import { describe, expect, it } from "vitest";
import { presentUsageGaps } from "../../server/analysis/present-usage-gaps.ts";
import { usageGaps } from "../../server/analysis/usage-gaps.ts";
import { translator } from "../../server/i18n/messages.ts";
import { gapMethodsNote, groupsWithoutCensusError } from "../../server/reports/gap-methods-note.ts";
import {
  activeUsers,
  communityPopulation,
  SERVICE_AREA,
} from "../analysis/fixtures/usage-gap-community.ts";
import {
  catalogueKeys,
  englishCatalogue,
  itTranslatesEveryKey,
} from "../helpers/catalogue-keys.ts";

const keys = catalogueKeys((key) => key.startsWith("gaps."));

function document(withoutMoe: boolean) {
  const population = communityPopulation().map((row) =>
    withoutMoe && row.dimension === "language" && row.category === "Spanish:"
      ? { ...row, moe: null }
      : row,
  );
  return presentUsageGaps(
    usageGaps({
      population,
      users: activeUsers(),
      serviceArea: SERVICE_AREA,
      suppressBelow: 10,
      asOf: "2024-03-31",
    }),
  );
}

describe("gapMethodsNote", () => {
  it("says which errors the intervals include, the flag rule, reliability and Holm, once each", () => {
    const note = gapMethodsNote(document(false), translator("en"));
    expect(note).toEqual([
      englishCatalogue["gaps.methods.interval"],
      englishCatalogue["gaps.methods.flags"],
      englishCatalogue["gaps.methods.reliability"],
      englishCatalogue["gaps.methods.multiple"],
    ]);
    expect(note.join(" ").match(/Holm/g)).toHaveLength(1);
  });

  it("names the groups whose intervals leave census error out when a margin of error is missing", () => {
    const presented = document(true);
    // One Spanish row without a MOE: the language total has none, so no language share does.
    expect(groupsWithoutCensusError(presented)).toEqual([
      "language: English only",
      "language: Spanish",
      "language: Chinese (incl. Mandarin, Cantonese)",
    ]);
    expect(gapMethodsNote(presented, translator("es"))[1]).toBe(
      "El censo no da margen de error para language: English only; language: Spanish; language: Chinese (incl. Mandarin, Cantonese): sus intervalos no incluyen el error del censo y la fiabilidad de esas estimaciones es desconocida.",
    );
  });
});

describe("usage-gap messages", () => {
  it("exist", () => {
    expect(keys.length).toBe(10);
  });

  itTranslatesEveryKey(keys);
});
