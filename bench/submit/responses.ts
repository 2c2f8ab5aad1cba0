// Varied, valid answers to the community needs survey, for benchmarks. Seeded, so runs repeat.
import { mulberry32 } from "../../server/imports/demo-data.ts";

const USE = ["weekly", "monthly", "few_times_year", "once_or_twice", "never"];
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
];
const TIMES = [
  "weekday_mornings",
  "weekday_afternoons",
  "weekday_evenings",
  "saturdays",
  "sundays",
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
const LANGS = ["english", "spanish", "chinese", "vietnamese", "tagalog", "korean", "arabic"];
export const LANGUAGE_CODES = ["en", "es", "zh", "vi", "tl", "ko", "ar"];

export function responseGenerator(seed = 1) {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const some = <T>(list: readonly T[], max: number): T[] => {
    const chosen = new Set<T>();
    const n = 1 + Math.floor(random() * max);
    while (chosen.size < n) chosen.add(pick(list));
    return [...chosen];
  };
  return (): Record<string, unknown> => {
    const use = pick(USE);
    const barriers = some(BARRIERS, 3);
    const data: Record<string, unknown> = {
      library_use: use,
      barriers,
      services_wanted: some(SERVICES, 4),
      preferred_times: some(TIMES, 2),
      feel_welcome: 1 + Math.floor(random() * 5),
      belonging: 1 + Math.floor(random() * 5),
      age_band: pick(AGES),
      home_languages: some(LANGS, 2),
      zip: String(95100 + Math.floor(random() * 60)),
    };
    if (barriers.length > 1) data.barriers_main = pick(barriers);
    if (use === "never") data.would_bring_you = "Evening hours and more books in my language";
    if (random() < 0.3) data.comment = "Thank you for asking the community what it needs.";
    return data;
  };
}
