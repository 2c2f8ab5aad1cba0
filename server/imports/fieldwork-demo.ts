// Responses that give the fieldwork guide (issue 18) something to say: a survey hearing mostly
// from library users, English speakers and people over 35, with few people aged 18–24, nobody
// answering about Vietnamese at home, and one kiosk place (a community centre) that reaches
// non-users. Stored through the real validation (submitResponse). The demo loader and tests call
// it; it leaves the rest of the demo data alone.
import type { Db } from "../db.ts";
import { insertLocation } from "../queries/kiosk-locations.ts";
import { submitResponse } from "../surveys/submit.ts";
import { mulberry32 } from "./demo-data.ts";

export interface FieldworkScenarioOptions {
  /** Survey to answer (default community-needs: its profile questions are age_band, home_languages, zip). */
  slug?: string;
  /** ZIP codes respondents give (those of the community data). */
  zips: readonly string[];
  count?: number;
  /** The last day of responses; they are spread over `days` days before it. */
  end?: Date;
  days?: number;
  seed?: number;
}

/** The two kiosk places the scenario uses (created when missing). */
export const FIELDWORK_PLACES = [
  { id: "central-library", name: "Central Library" },
  { id: "eastside-center", name: "Eastside Community Center" },
] as const;

function uuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
  hex[12] = "4";
  hex[16] = "89ab"[Math.floor(next() * 4)] as string;
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** One value from weighted options. */
function weighted<T>(next: () => number, options: ReadonlyArray<readonly [T, number]>): T {
  const total = options.reduce((sum, [, w]) => sum + w, 0);
  let r = next() * total;
  for (const [value, w] of options) {
    r -= w;
    if (r < 0) return value;
  }
  return (options[options.length - 1] as readonly [T, number])[0];
}

/**
 * Stores the scenario's responses and returns their ids.
 *
 * Channels: web link 55%, library kiosk 25% (users, older), community-centre kiosk 12% (mostly
 * non-users, more of them young and Spanish-speaking), paper 8%. Ages 18–24 are about 4% of
 * respondents; no respondent speaks Vietnamese at home.
 */
export async function seedFieldworkScenario(
  db: Db,
  options: FieldworkScenarioOptions,
): Promise<string[]> {
  if (options.zips.length === 0)
    throw new RangeError("seedFieldworkScenario: give at least one ZIP code");
  const slug = options.slug ?? "community-needs";
  const next = mulberry32(options.seed ?? 18);
  const count = options.count ?? 240;
  const days = options.days ?? 21;
  const end = options.end ?? new Date();
  for (const place of FIELDWORK_PLACES) await insertLocation(db, place);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const channel = weighted(next, [
      ["web", 55],
      ["library", 25],
      ["centre", 12],
      ["paper", 8],
    ] as const);
    const atCentre = channel === "centre";
    const nonUser = next() < (atCentre ? 0.7 : 0.08);
    const age = weighted(next, [
      ["18_24", atCentre ? 12 : 2],
      ["25_34", 8],
      ["35_44", 14],
      ["45_54", 18],
      ["55_64", 22],
      ["65_74", 20],
      ["75_plus", 10],
      ["prefer_not", 3],
    ] as const);
    const languages = weighted(next, [
      [["english"], atCentre ? 30 : 80],
      [["english", "spanish"], atCentre ? 25 : 8],
      [["spanish"], atCentre ? 30 : 5],
      [["chinese"], 5],
      [["english", "tagalog"], 2],
    ] as const);
    const language =
      (languages as readonly string[]).includes("spanish") && next() < 0.6 ? "es" : "en";
    const data: Record<string, unknown> = {
      library_use: nonUser
        ? "never"
        : weighted(next, [
            ["weekly", 4],
            ["monthly", 3],
            ["few_times_year", 2],
            ["once_or_twice", 1],
          ] as const),
      services_wanted: [
        weighted(next, [
          ["books_media", 3],
          ["homework_help", 1],
          ["job_career_help", 1],
        ] as const),
      ],
      age_band: age,
      home_languages: [...languages],
      zip: options.zips[Math.floor(next() * options.zips.length)],
    };
    if (nonUser)
      data.barriers = [
        weighted(next, [
          ["hours", 2],
          ["unaware_offerings", 3],
          ["language", 1],
        ] as const),
      ];
    const id = uuid(next);
    const submittedAt = new Date(end.getTime() - Math.floor(next() * days * 86_400_000));
    const body =
      channel === "library" || channel === "centre"
        ? {
            id,
            language,
            channel: "kiosk",
            location: channel === "library" ? "central-library" : "eastside-center",
            data,
          }
        : { id, language, channel, data };
    await submitResponse(db, slug, body, { staff: true, now: submittedAt });
    ids.push(id);
  }
  return ids;
}
