// The demo's survey side: responses to the community survey (online, kiosk, paper and event, in
// the seven languages, from library users and non-users), interviews with non-users, program
// feedback, tags on some open answers and two equity self-assessments. Seeded, so every demo
// tells the same story; dated in the weeks before it is loaded, so "over time" shows recent weeks.
//
// Answers are drawn question by question from each survey file, then SurveyJS decides which
// questions a respondent would have seen (answers to hidden ones are dropped), and every response
// is checked by the validator that checks real submissions: a demo response is one a respondent
// could have sent.
import { Model } from "survey-core";
import type { Db } from "../db.ts";
import { addTag } from "../queries/open-answer-tags.ts";
import { insertResponse } from "../queries/responses.ts";
import { insertAssessment } from "../queries/rubric.ts";
import { findSurvey } from "../queries/surveys.ts";
import { endGoalsOf, getRubric, indicatorsOf } from "../rubric/rubric.ts";
import type { Channel } from "../surveys/definition.ts";
import { ResponseValidator } from "../surveys/validate-response.ts";
import { DEMO_SEED, mulberry32 } from "./demo-data.ts";

type Random = () => number;
type Answers = Record<string, unknown>;

/** How many responses each demo survey gets, and how they arrive. */
const DEMO_SURVEYS: {
  slug: string;
  count: number;
  channels: Partial<Record<Channel, number>>;
  languages: Record<string, number>;
}[] = [
  {
    slug: "community-needs",
    count: 460,
    channels: { web: 45, kiosk: 33, paper: 16, event: 6 },
    languages: { en: 58, es: 20, vi: 8, zh: 6, tl: 4, ko: 2, ar: 2 },
  },
  {
    slug: "non-user-interview",
    count: 36,
    channels: { interview: 30, event: 6 },
    languages: { en: 16, es: 12, vi: 6, ar: 2 },
  },
  {
    slug: "program-outcome",
    count: 64,
    channels: { paper: 40, event: 24 },
    languages: { en: 44, es: 14, zh: 6 },
  },
];

/** Kiosk places of db/kiosks.json (the demo's kiosks stand there). */
const KIOSK_PLACES = ["central", "eastside", "bookmobile"];
const ZIPS = ["99101", "99102", "99103", "99104", "99105", "99107"];
const PROGRAMS = ["Homework help", "Citizenship class", "Tech help for seniors", "Story time"];

/** Answer weights where a uniform draw would not tell a story (default: uniform). */
const CHOICE_WEIGHTS: Record<string, Record<string, number>> = {
  library_use: { weekly: 22, monthly: 20, few_times_year: 20, once_or_twice: 16, never: 22 },
  age_band: {
    under_18: 5,
    "18_24": 7,
    "25_34": 10,
    "35_44": 18,
    "45_54": 17,
    "55_64": 15,
    "65_74": 14,
    "75_plus": 8,
    prefer_not: 6,
  },
  last_library_use: { never: 12, more_than_5_years: 10, "1_to_5_years": 8, within_last_year: 4 },
  interview_setting: { one_on_one: 6, group_dialogue: 3, community_event: 3 },
};

/** The home language a respondent answering in a language most likely speaks. */
const HOME_LANGUAGE: Record<string, string> = {
  en: "english",
  es: "spanish",
  zh: "chinese",
  vi: "vietnamese",
  tl: "tagalog",
  ko: "korean",
  ar: "arabic",
};

/**
 * Open answers, with the tag a staff member gave each. The same six remarks in every language
 * (real translations, as respondents would write them).
 */
const REMARKS: { tag: string; text: Record<string, string> }[] = [
  {
    tag: "hours",
    text: {
      en: "Please stay open later on weekdays. I work until six and the branch is already closed.",
      es: "Por favor abran más tarde entre semana. Trabajo hasta las seis y la biblioteca ya está cerrada.",
      zh: "希望工作日能开到更晚。我六点才下班，那时图书馆已经关门了。",
      vi: "Xin mở cửa muộn hơn vào các ngày trong tuần. Tôi làm đến sáu giờ thì thư viện đã đóng cửa.",
      tl: "Sana bukas pa kayo nang mas gabi tuwing weekdays. Alas-sais ako natatapos sa trabaho at sarado na ang aklatan.",
      ko: "평일에 좀 더 늦게까지 열어 주세요. 여섯 시에 퇴근하면 도서관이 이미 닫혀 있어요.",
      ar: "أرجو أن تبقى المكتبة مفتوحة لوقت متأخر في أيام الأسبوع. أعمل حتى السادسة وتكون المكتبة قد أغلقت.",
    },
  },
  {
    tag: "languages",
    text: {
      en: "More children's books in Spanish and Vietnamese, so grandparents can read with the kids.",
      es: "Más libros infantiles en español, para que los abuelos puedan leer con los niños.",
      zh: "希望多一些中文童书，这样老人也能陪孩子一起读。",
      vi: "Cần thêm sách thiếu nhi bằng tiếng Việt để ông bà có thể đọc cùng các cháu.",
      tl: "Sana mas maraming librong pambata sa Tagalog para makabasa ang mga lolo at lola kasama ang mga bata.",
      ko: "한국어 어린이 책이 더 있으면 좋겠어요. 조부모님도 아이들과 함께 읽을 수 있게요.",
      ar: "نحتاج إلى المزيد من كتب الأطفال بالعربية حتى يتمكن الأجداد من القراءة مع الأطفال.",
    },
  },
  {
    tag: "transport",
    text: {
      en: "There is no bus to the branch from our side of the river. The bookmobile would help.",
      es: "No hay autobús a la biblioteca desde nuestro lado del río. El bibliobús ayudaría.",
      zh: "从我们河这边没有公交车去图书馆。流动图书车会很有帮助。",
      vi: "Không có xe buýt từ bên này sông đến thư viện. Xe thư viện lưu động sẽ giúp ích nhiều.",
      tl: "Walang bus papunta sa aklatan mula sa aming panig ng ilog. Makakatulong ang bookmobile.",
      ko: "강 건너 우리 동네에서는 도서관 가는 버스가 없어요. 이동도서관이 오면 좋겠어요.",
      ar: "لا توجد حافلة إلى المكتبة من جهتنا من النهر. المكتبة المتنقلة ستساعد كثيرًا.",
    },
  },
  {
    tag: "awareness",
    text: {
      en: "I did not know the library lends laptops and hotspots. Tell people at the schools.",
      es: "No sabía que la biblioteca presta computadoras portátiles e internet. Avisen en las escuelas.",
      zh: "我不知道图书馆可以借笔记本电脑和上网设备。应该在学校里宣传。",
      vi: "Tôi không biết thư viện cho mượn máy tính xách tay và thiết bị phát wifi. Hãy thông báo ở các trường học.",
      tl: "Hindi ko alam na nagpapahiram ang aklatan ng laptop at hotspot. Ipaalam ninyo sa mga paaralan.",
      ko: "도서관에서 노트북과 와이파이 기기를 빌려준다는 걸 몰랐어요. 학교에 알려 주세요.",
      ar: "لم أكن أعلم أن المكتبة تعير الحواسيب المحمولة وأجهزة الإنترنت. أخبروا الناس في المدارس.",
    },
  },
  {
    tag: "programs",
    text: {
      en: "Story time on Saturday mornings would let working parents come too.",
      es: "Una hora del cuento los sábados por la mañana permitiría que vinieran también los padres que trabajan.",
      zh: "如果周六上午有故事会，上班的父母也能带孩子来。",
      vi: "Giờ kể chuyện vào sáng thứ Bảy sẽ giúp cha mẹ đi làm cũng có thể đến.",
      tl: "Kung may story time tuwing Sabado ng umaga, makakadalo rin ang mga magulang na nagtatrabaho.",
      ko: "토요일 오전에 동화 구연 시간이 있으면 일하는 부모도 갈 수 있어요.",
      ar: "لو كانت ساعة الحكايات صباح السبت لتمكن الآباء العاملون من الحضور أيضًا.",
    },
  },
  {
    tag: "welcome",
    text: {
      en: "The staff at Central were very kind when I got my card, even without an ID from here.",
      es: "El personal de la biblioteca central fue muy amable cuando saqué mi tarjeta, aunque no tenía identificación de aquí.",
      zh: "我办证时中心馆的工作人员非常热情，即使我没有本地证件。",
      vi: "Nhân viên ở thư viện trung tâm rất tử tế khi tôi làm thẻ, dù tôi không có giấy tờ ở đây.",
      tl: "Napakabait ng mga kawani sa Central nang kumuha ako ng card, kahit wala akong ID mula rito.",
      ko: "중앙도서관 직원들이 카드를 만들 때 아주 친절했어요. 여기 신분증이 없었는데도요.",
      ar: "كان موظفو المكتبة المركزية لطفاء جدًا عندما استخرجت بطاقتي، رغم أنه لم تكن لدي هوية من هنا.",
    },
  },
];

function pick<T>(items: readonly T[], random: Random): T {
  return items[Math.floor(random() * items.length)] as T;
}

function pickWeighted(weights: Record<string, number>, random: Random): string {
  const entries = Object.entries(weights);
  let left = random() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of entries) {
    left -= weight;
    if (left < 0) return value;
  }
  return entries[entries.length - 1]?.[0] ?? "";
}

interface Element {
  type: string;
  name: string;
  choices?: unknown[];
  rows?: unknown[];
  columns?: unknown[];
  rateMin?: number;
  rateMax?: number;
  elements?: Element[];
}

const choiceValue = (item: unknown) =>
  typeof item === "object" && item !== null ? (item as { value: unknown }).value : item;

/** Answers that exclude the others ("nothing needed", "prefer not to say"). */
const EXCLUSIVE = new Set(["nothing_needed", "prefer_not", "none_identified"]);

function answerFor(element: Element, language: string, random: Random): unknown {
  const choices = (element.choices ?? []).map(choiceValue).map(String);
  switch (element.type) {
    case "radiogroup":
    case "dropdown": {
      const weights = CHOICE_WEIGHTS[element.name];
      return weights
        ? pickWeighted(weights, random)
        : choices.length
          ? pick(choices, random)
          : undefined;
    }
    case "checkbox": {
      if (element.name === "home_languages") {
        const home = HOME_LANGUAGE[language] ?? "english";
        return home !== "english" && random() < 0.4 ? [home, "english"] : [home];
      }
      const pool = choices.filter((c) => !EXCLUSIVE.has(c));
      const chosen = new Set<string>();
      const n = 1 + Math.floor(random() * 3);
      while (chosen.size < Math.min(n, pool.length)) chosen.add(pick(pool, random));
      return [...chosen];
    }
    case "rating": {
      const min = element.rateMin ?? 1;
      const max = element.rateMax ?? 5;
      // Mostly favourable, as program and welcome ratings are.
      return Math.max(min, max - Math.floor(random() * random() * (max - min + 1)));
    }
    case "boolean":
      return element.name === "consent" ? true : random() < 0.7;
    case "matrix": {
      const columns = (element.columns ?? []).map(choiceValue);
      return Object.fromEntries(
        (element.rows ?? []).map((row) => [
          String(choiceValue(row)),
          pick(columns.slice(-3), random),
        ]),
      );
    }
    case "ranking": {
      const order = [...choices];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] as string, order[i] as string];
      }
      return order;
    }
    case "text":
      if (element.name === "zip") return random() < 0.7 ? pick(ZIPS, random) : undefined;
      if (element.name === "program_name") return pick(PROGRAMS, random);
      if (element.name === "interview_place")
        return pick(["Laundromat on 5th", "Church hall", "Food bank"], random);
      if (element.name === "group_size") return String(3 + Math.floor(random() * 6));
      return undefined;
    case "comment":
      return random() < 0.4 ? pick(REMARKS, random).text[language] : undefined;
    default:
      return undefined;
  }
}

function elementsOf(definition: Record<string, unknown>): Element[] {
  const out: Element[] = [];
  const walk = (elements: Element[] | undefined) => {
    for (const element of elements ?? []) {
      if (element.elements) walk(element.elements);
      else out.push(element);
    }
  };
  for (const page of (definition.pages as { elements?: Element[] }[] | undefined) ?? [])
    walk(page.elements);
  return out;
}

/** Drops the answers to questions the respondent would not have been shown. */
function visibleAnswers(model: Model, answers: Answers): Answers {
  model.data = answers;
  const kept: Answers = {};
  for (const question of model.getAllQuestions()) {
    const value = answers[question.valueName || question.name];
    if (question.isVisible && value !== undefined)
      kept[question.valueName || question.name] = value;
  }
  return kept;
}

export interface DemoActivity {
  responseIds: string[];
  assessmentIds: number[];
  tags: number;
}

/**
 * Stores the demo's responses, tags and assessments. `now` dates them: responses over the twelve
 * weeks before, assessments a year apart up to last month.
 */
export async function loadDemoActivity(db: Db, now = new Date()): Promise<DemoActivity> {
  const random = mulberry32(DEMO_SEED + 1);
  const responseIds: string[] = [];
  let tags = 0;
  for (const plan of DEMO_SURVEYS) {
    const survey = await findSurvey(db, plan.slug);
    if (!survey) continue; // a library that removed this survey file: nothing to show for it
    const definition = survey.definition;
    const model = new Model(definition);
    const validator = new ResponseValidator(definition);
    const elements = elementsOf(definition);
    for (let i = 0; i < plan.count; i++) {
      const language = pickWeighted(plan.languages, random);
      const channel = pickWeighted(plan.channels as Record<string, number>, random);
      const answers: Answers = {};
      for (const element of elements) {
        const value = answerFor(element, language, random);
        if (value !== undefined) answers[element.name] = value;
      }
      const data = visibleAnswers(model, answers);
      const checked = validator.validate(data);
      if (!checked.ok) {
        throw new Error(
          `demo response for ${plan.slug} is not valid: ${checked.details.map((d) => `${d.question}: ${d.message}`).join("; ")}`,
        );
      }
      const submittedAt = new Date(now.getTime() - Math.floor(random() * 84 * 86_400_000));
      const id = uuidFrom(random);
      await insertResponse(db, {
        id,
        surveySlug: plan.slug,
        versionId: survey.versionId,
        language,
        channel,
        location: channel === "kiosk" ? pick(KIOSK_PLACES, random) : null,
        startedAt: new Date(submittedAt.getTime() - (3 + Math.floor(random() * 9)) * 60_000),
        submittedAt,
        data: checked.data,
      });
      responseIds.push(id);
      // A staff member has read and tagged most of the open answers.
      for (const [question, value] of Object.entries(checked.data)) {
        const remark = REMARKS.find((r) => Object.values(r.text).includes(value as string));
        if (remark && random() < 0.7) {
          if (await addTag(db, { responseId: id, question, tag: remark.tag })) tags++;
        }
      }
    }
  }
  return { responseIds, assessmentIds: await demoAssessments(db, now, random), tags };
}

/** Two self-assessments a year apart, the second a little further along. */
async function demoAssessments(db: Db, now: Date, random: Random): Promise<number[]> {
  const rubric = getRubric();
  const goals = endGoalsOf(rubric);
  const indicators = indicatorsOf(rubric);
  const ids: number[] = [];
  for (const [yearsAgo, base] of [
    [1, 3],
    [0, 5],
  ] as const) {
    const day = new Date(now.getTime() - (yearsAgo * 365 + 30) * 86_400_000);
    ids.push(
      await insertAssessment(
        db,
        {
          assessedOn: day.toISOString().slice(0, 10),
          participants:
            "Outreach coordinator, two branch managers, a community partner (Riverbend Family Center)",
          nextSteps:
            "Hold two listening sessions in Spanish and Vietnamese; extend Eastside hours on Thursdays.",
          scores: Object.fromEntries(
            goals.map((goal) => [goal.id, Math.min(10, base + Math.floor(random() * 3))]),
          ),
          indicators: Object.fromEntries(
            indicators.map((indicator) => {
              const met = random() < (yearsAgo ? 0.3 : 0.5);
              return [
                indicator.id,
                {
                  met,
                  notes: met
                    ? "Seen in the community survey results and the usage-gap report."
                    : "",
                  links: [],
                },
              ];
            }),
          ),
        },
        null,
      ),
    );
  }
  return ids;
}

/** A version 4 UUID from the seeded generator (a demo response id, the same on every load). */
function uuidFrom(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
