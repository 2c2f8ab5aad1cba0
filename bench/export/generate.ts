// 100,000 varied answers to the community needs survey for the export benchmark: every
// question, its logic respected (ways of use only for users, "what would bring you" only for
// non-users, the main barrier only with two or more), free text in seven languages with commas,
// quotes and the odd formula-looking answer. Seeded, so runs repeat.
import type { Db } from "../../server/db.ts";
import { mulberry32 } from "../../server/imports/demo-data.ts";

const USE = ["weekly", "monthly", "few_times_year", "once_or_twice", "never"];
const WAYS = [
  "visit_branch",
  "borrow_books_media",
  "ebooks_online",
  "computers_wifi",
  "programs_events",
  "study_meeting_space",
  "bookmobile_outreach",
];
const BARRIERS = [
  "hours",
  "distance_transport",
  "fines_fees",
  "unaware_offerings",
  "language",
  "not_welcome",
  "card_requirements",
  "accessibility",
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
  "citizenship_help",
  "early_literacy_storytime",
  "teen_programs",
  "senior_programs",
  "computers_internet",
  "quiet_study",
  "meeting_space",
  "cultural_events",
  "health_wellness",
];
const TIMES = [
  "weekday_mornings",
  "weekday_afternoons",
  "weekday_evenings",
  "saturdays",
  "sundays",
];
const PLACES = [
  "library_branch",
  "school",
  "community_center",
  "park",
  "place_of_worship",
  "online",
  "at_home_delivery",
];
const FORMATS = [
  "in_person_group",
  "one_on_one",
  "online_live",
  "recorded_video",
  "printed_materials",
  "take_home_kits",
];
const SOURCES = [
  "library_website",
  "social_media",
  "email_newsletter",
  "text_message",
  "school",
  "friends_family",
  "flyers_posters",
  "radio_tv",
  "community_organizations",
  "place_of_worship",
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
const HOME = ["english", "spanish", "chinese", "vietnamese", "tagalog", "korean", "arabic"];
const ZIPS = [
  "94102",
  "94103",
  "94107",
  "94110",
  "94112",
  "94115",
  "94122",
  "94124",
  "94133",
  "94134",
];
const LANGUAGES = ["en", "es", "zh", "vi", "tl", "ko", "ar"];
const TEXTS = [
  "Open later on weekdays, please.",
  "Más horas los sábados, y clases de inglés.",
  "希望周末开放时间更长",
  "Cần thêm sách tiếng Việt cho trẻ em",
  "Sana may mga klase sa gabi",
  "주말에도 열었으면 좋겠습니다",
  "نحتاج إلى كتب باللغة العربية",
  'The "quiet room" is never quiet, sorry',
  '=HYPERLINK("http://example.com")',
  "-1 for the parking",
];
const OTHER_TEXTS = [
  "Too far by bus",
  "No sé dónde está",
  "工作太忙",
  "+ the fines",
  "Hmong",
  "Somali",
];

export interface GeneratedResponse {
  language: string;
  channel: string;
  location: string | null;
  data: Record<string, unknown>;
}

export function communityNeedsGenerator(seed = 7) {
  const random = mulberry32(seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const some = <T>(list: readonly T[], max: number): T[] => {
    const chosen = new Set<T>();
    const n = 1 + Math.floor(random() * max);
    while (chosen.size < n) chosen.add(pick(list));
    return [...chosen];
  };
  const withOther = (data: Record<string, unknown>, name: string, values: string[], p: number) => {
    if (chance(p)) {
      values.push("other");
      data[`${name}-Comment`] = pick(OTHER_TEXTS);
    }
    data[name] = values;
  };
  return (): GeneratedResponse => {
    const data: Record<string, unknown> = {};
    const use = pick(USE);
    data.library_use = use;
    if (use !== "never") withOther(data, "library_use_ways", some(WAYS, 3), 0.03);
    if (chance(0.15)) {
      data.barriers = ["nothing_needed"];
    } else {
      withOther(data, "barriers", some(BARRIERS, 3), 0.08);
      const barriers = data.barriers as string[];
      if (barriers.length > 1) data.barriers_main = pick(barriers);
    }
    if (use === "never" && chance(0.4)) data.would_bring_you = pick(TEXTS);
    withOther(data, "services_wanted", some(SERVICES, 5), 0.04);
    data.preferred_times = some(TIMES, 2);
    withOther(data, "preferred_places", some(PLACES, 2), 0.02);
    data.preferred_formats = some(FORMATS, 2);
    withOther(data, "info_sources", some(SOURCES, 3), 0.03);
    data.feel_welcome = 1 + Math.floor(random() * 5);
    data.belonging = 1 + Math.floor(random() * 5);
    data.age_band = pick(AGES);
    if (chance(0.05)) data.home_languages = ["prefer_not"];
    else withOther(data, "home_languages", some(HOME, 2), 0.02);
    if (chance(0.8)) data.zip = pick(ZIPS);
    data.children_in_household = pick(["yes", "no", "prefer_not"]);
    if (chance(0.3)) data.comment = pick(TEXTS);
    const channel = chance(0.7) ? "web" : chance(0.8) ? "kiosk" : "paper";
    return {
      language: pick(LANGUAGES),
      channel,
      location: channel === "kiosk" ? pick(["central", "east", "north"]) : null,
      data,
    };
  };
}

/**
 * Inserts `count` generated responses to community-needs (survey version `versionId`), one a
 * minute from 1 January 2025, in transactions of 5,000. Shared by the export and staff-page
 * benchmarks.
 */
export async function insertGeneratedResponses(
  db: Db,
  versionId: number,
  count: number,
  seed = 7,
): Promise<void> {
  const next = communityNeedsGenerator(seed);
  const start = Date.parse("2025-01-01T00:00:00Z");
  const CHUNK = 5000;
  for (let done = 0; done < count; done += CHUNK) {
    const rows: Record<string, unknown>[] = [];
    for (let i = done; i < Math.min(count, done + CHUNK); i++) {
      const response = next();
      const submitted = new Date(start + i * 60_000);
      rows.push({
        id: crypto.randomUUID(),
        survey_slug: "community-needs",
        version_id: versionId,
        language: response.language,
        channel: response.channel,
        location: response.location,
        started_at: new Date(submitted.getTime() - 300_000),
        submitted_at: submitted,
        data: JSON.stringify(response.data),
      });
    }
    await db.transaction((trx) => trx.batchInsert("responses", rows, 500));
  }
}
