// Plausible responses to the community needs survey for staff-page tests and screenshots,
// made by a seeded generator and stored through the real validation (submitResponse).
import type { Db } from "../../server/db.ts";
import { mulberry32 } from "../../server/imports/demo-data.ts";
import { submitResponse } from "../../server/surveys/submit.ts";

function uuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
  hex[12] = "4";
  hex[16] = "89ab"[Math.floor(next() * 4)] as string;
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const pick = <T>(next: () => number, items: readonly T[]): T =>
  items[Math.floor(next() * items.length)] as T;

function some<T>(next: () => number, items: readonly T[], chance: number): T[] {
  const chosen = items.filter(() => next() < chance);
  return chosen.length ? chosen : [pick(next, items)];
}

const BARRIERS = [
  "hours",
  "distance_transport",
  "fines_fees",
  "unaware_offerings",
  "language",
  "not_welcome",
  "card_requirements",
  "childcare",
  "internet_instead",
  "no_time",
];
const SERVICES = [
  "books_media",
  "homework_help",
  "stem_science",
  "technology_classes",
  "coding",
  "maker_space",
  "digital_skills",
  "job_career_help",
  "english_classes",
  "early_literacy_storytime",
  "teen_programs",
  "senior_programs",
];
const AGES = [
  "under_18",
  "18_24",
  "25_34",
  "35_44",
  "45_54",
  "55_64",
  "65_74",
  "75_plus",
  "prefer_not",
];
const COMMENTS = [
  "Please open later on weekdays.",
  "More books in Spanish for my kids.",
  "I did not know the library had coding classes.",
  "The bus does not go near the branch.",
  "Free parking would help.",
];

export interface SeedOptions {
  count: number;
  seed?: number;
  /** Responses are spread over this many days, ending at `end`. */
  days?: number;
  end?: Date;
  locations?: string[];
}

/** Stores `count` valid responses; returns their ids. */
export async function seedNeedsResponses(db: Db, options: SeedOptions): Promise<string[]> {
  const next = mulberry32(options.seed ?? 7);
  const end = options.end ?? new Date("2026-03-31T18:00:00Z");
  const days = options.days ?? 70;
  const locations = options.locations ?? [];
  const ids: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const language = pick(next, [
      "en",
      "en",
      "en",
      "en",
      "es",
      "es",
      "es",
      "zh",
      "vi",
      "tl",
      "ko",
      "ar",
    ]);
    const channel = pick(next, ["web", "web", "web", "kiosk", "kiosk", "paper", "event"]);
    const nonUser = next() < 0.3;
    const use = nonUser
      ? "never"
      : pick(next, ["weekly", "monthly", "few_times_year", "once_or_twice"]);
    const barriers = some(next, BARRIERS, nonUser ? 0.3 : 0.12);
    const data: Record<string, unknown> = {
      library_use: use,
      barriers,
      services_wanted: some(next, SERVICES, 0.2),
      feel_welcome: nonUser ? pick(next, [1, 2, 3, 3, 4]) : pick(next, [3, 4, 4, 5, 5]),
      age_band: pick(next, AGES),
    };
    if (!nonUser)
      data.library_use_ways = some(
        next,
        [
          "visit_branch",
          "borrow_books_media",
          "ebooks_online",
          "computers_wifi",
          "programs_events",
        ],
        0.35,
      );
    if (barriers.length > 1) data.barriers_main = pick(next, barriers);
    if (nonUser && next() < 0.5) data.would_bring_you = pick(next, COMMENTS);
    if (next() < 0.2) data.comment = pick(next, COMMENTS);
    const id = uuid(next);
    const submittedAt = new Date(end.getTime() - Math.floor(next() * days * 86400000));
    const location = channel !== "web" && locations.length ? pick(next, locations) : undefined;
    await submitResponse(
      db,
      "community-needs",
      { id, language, channel, ...(location ? { location } : {}), data },
      { staff: true, now: submittedAt },
    );
    ids.push(id);
  }
  return ids;
}
