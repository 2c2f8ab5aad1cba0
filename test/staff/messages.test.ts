// The public-facing pages staff print (the paper survey and the flyer) are fully translated.
import { describe, expect, it } from "vitest";
import { catalogueKeys, itTranslatesEveryKey } from "../helpers/catalogue-keys.ts";

const keys = catalogueKeys((k) => k.startsWith("paper.") || k.startsWith("flyer."));
/** Keys whose text may read the same in another language (punctuation, a verb like "Print"). */
const MAY_MATCH = new Set(["paper.quoted", "paper.or"]);

describe("paper survey and flyer messages", () => {
  it("exist", () => {
    expect(keys.length).toBeGreaterThanOrEqual(15);
  });

  itTranslatesEveryKey(keys, { mayMatch: MAY_MATCH });
});
