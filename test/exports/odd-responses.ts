// Seeded responses with awkward values for the byte-identity test of the exports: commas,
// quotes, lone \r and \n and CRLF inside answers, text that starts like a formula (= + - @ tab),
// non-Latin scripts, emoji, empty strings, multi-choice and "other" answers, and values of the
// wrong type the way older versions or paper entry can leave them (a number where text was
// asked, a code no version has). Timestamps repeat, so the export's order breaks ties by id.
import path from "node:path";
import { communityNeedsGenerator } from "../../bench/export/generate.ts";
import { ROOT_DIR } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import type { ExportRequest } from "../../server/exports/survey-exports.ts";
import type { ResponseRecord } from "../../server/results/types.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import { RESULTS_SURVEYS_DIR, storeResponses } from "../results/helpers.ts";

/** Park–Miller minimal standard generator: a dependency-free seeded stream in [0, 1). */
function seeded(seed: number) {
  let state = seed % 2147483647 || 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const ODD_TEXTS = [
  "plain",
  "comma, inside",
  'a "quoted" word',
  '"',
  '""',
  "line one\nline two",
  "carriage\rreturn",
  "windows\r\nline",
  "ends with newline\n",
  "=SUM(A1:A9)",
  "+1 555 0100",
  "-minus first",
  "@mention",
  "\tleading tab",
  "\rleading return",
  "'already quoted",
  "希望周末开放时间更长，谢谢",
  "Cần thêm sách tiếng Việt",
  "نحتاج إلى كتب باللغة العربية",
  '주말에도, "열었으면" 좋겠습니다',
  "Хотелось бы больше книг",
  "emoji 📚🙂",
  "  spaces around  ",
  "",
  "trailing comma,",
  ",leading comma",
  "semi; colon",
  "\uFF1Dfullwidth equals",
];

/** `count` responses to test/results/fixtures/surveys/all-types.json. */
export function oddAllTypesResponses(count: number, seed = 21): ResponseRecord[] {
  const random = seeded(seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const subset = <T>(list: readonly T[]): T[] => list.filter(() => chance(0.5));
  const start = Date.parse("2024-03-01T00:00:00Z");
  const responses: ResponseRecord[] = [];
  for (let i = 0; i < count; i++) {
    const data: Record<string, unknown> = {};
    if (chance(0.9)) data.use = pick(["weekly", "monthly", "never", "other", "retired_code"]);
    if (data.use === "other") data["use-Comment"] = pick(ODD_TEXTS);
    if (chance(0.85)) {
      const barriers = chance(0.1) ? ["nothing"] : subset(["hours", "distance", "fees", "other"]);
      data.barriers = barriers;
      if (barriers.includes("other")) data["barriers-Comment"] = pick(ODD_TEXTS);
    }
    if (chance(0.8)) data.branch = pick(["central", "east", "closed_branch"]);
    if (chance(0.8)) data.langs = subset(["english", "spanish", "chinese"]);
    if (chance(0.8)) data.kids = chance(0.5);
    if (chance(0.8)) data.welcome = pick([1, 2, 3, 4, 5, "3", 7]);
    if (chance(0.7)) {
      data.priorities = pick([
        ["books", "stem", "space"],
        ["space", "books"],
        ["stem"],
        ["books", "gone"],
      ]);
    }
    if (chance(0.7)) {
      const agree: Record<string, unknown> = {};
      if (chance(0.8)) agree.staff = pick([1, 2, 3, "2"]);
      if (chance(0.8)) agree.space = pick([1, 2, 3, 9]);
      data.agree = agree;
    }
    if (chance(0.6)) {
      const visits: Record<string, Record<string, unknown>> = {};
      if (chance(0.7))
        visits.weekday = { freq: pick(["often", "rarely"]), hours: pick([0, 1.5, "2", -1]) };
      if (chance(0.5)) visits.weekend = { freq: pick(["often", "rarely", "never_code"]) };
      data.visits = visits;
    }
    if (chance(0.7)) data.zip = pick(["94110", "-94110", "0940", 94110, "=1+1", ""]);
    if (chance(0.6)) data.comment = pick(ODD_TEXTS);
    const channel = pick(["web", "kiosk", "paper", "event"]);
    responses.push({
      id: `odd-${String((i * 7919) % count).padStart(5, "0")}`,
      versionId: 1,
      language: pick(["en", "es"]),
      channel,
      location: channel === "kiosk" ? pick(["central", 'east, "annex"', "=north"]) : null,
      // Every third response shares its timestamp with the one before it.
      submittedAt: new Date(start + Math.floor((i * 2) / 3) * 3_600_000),
      data,
    });
  }
  return responses;
}

/** `count` responses to surveys/community-needs.json (the export benchmark's generator). */
export function oddCommunityNeedsResponses(count: number, seed = 21): ResponseRecord[] {
  const next = communityNeedsGenerator(seed);
  const random = seeded(seed + 1);
  const start = Date.parse("2025-02-01T00:00:00Z");
  return Array.from({ length: count }, (_, i) => {
    const generated = next();
    const data = { ...generated.data };
    if (random() < 0.3) data.comment = ODD_TEXTS[Math.floor(random() * ODD_TEXTS.length)];
    return {
      id: `cn-${String(i).padStart(5, "0")}`,
      versionId: 1,
      language: generated.language,
      channel: generated.channel,
      location: generated.location,
      submittedAt: new Date(start + Math.floor(i / 2) * 60_000),
      data,
    };
  });
}

/** The exports the byte-identity test compares, each with the file its expected bytes are in. */
export const EXPORT_CASES: readonly {
  file: string;
  request: ExportRequest & { format: "wide" | "long" };
}[] = [
  { file: "all-types-wide.csv", request: { slug: "all-types", format: "wide", bom: true } },
  {
    file: "all-types-wide-labels-es.csv",
    request: { slug: "all-types", format: "wide", labels: true, language: "es" },
  },
  { file: "all-types-long.csv", request: { slug: "all-types", format: "long" } },
  {
    file: "all-types-long-labels.csv",
    request: { slug: "all-types", format: "long", labels: true },
  },
  {
    file: "all-types-wide-users-kiosk.csv",
    request: {
      slug: "all-types",
      format: "wide",
      filter: { channels: ["kiosk", "web"], useStatus: ["user"], from: new Date("2024-03-03") },
    },
  },
  { file: "community-needs-wide.csv", request: { slug: "community-needs", format: "wide" } },
  {
    file: "community-needs-wide-labels.csv",
    request: { slug: "community-needs", format: "wide", labels: true, bom: true },
  },
  { file: "community-needs-long.csv", request: { slug: "community-needs", format: "long" } },
];

export const ODD_FIXTURES_DIR = path.join(ROOT_DIR, "test", "fixtures", "exports");

/** Syncs all-types and community-needs and stores the odd responses to both. */
export async function storeOddResponses(db: Db): Promise<void> {
  await syncSurveys(db, RESULTS_SURVEYS_DIR);
  await syncSurveys(db, PROJECT_SURVEYS);
  await storeResponses(db, "all-types", oddAllTypesResponses(300));
  await storeResponses(db, "community-needs", oddCommunityNeedsResponses(150));
}
