// docs/patron-mapping.md is the reference the CLI help points to: every example in it must be a
// mapping the importer accepts, and every key of the mapping schema must be documented there.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import { mappingSchema, parseMapping } from "../../server/imports/mapping.ts";

const doc = readFileSync(path.join(ROOT_DIR, "docs", "patron-mapping.md"), "utf8");
const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

describe("docs/patron-mapping.md", () => {
  it("has the SFPL, Sierra, Koha, Polaris and Evergreen examples, each a valid mapping", () => {
    expect(examples).toHaveLength(5);
    for (const example of examples) {
      expect(() => parseMapping(JSON.parse(example))).not.toThrow();
    }
    expect(doc).toContain("Supervisor District");
  });

  it("documents every key the mapping accepts", () => {
    const keys = Object.keys(mappingSchema.shape);
    const documented = [...doc.matchAll(/^\| `([a-zA-Z]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(keys.sort());
  });
});
