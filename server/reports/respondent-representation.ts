// Respondents compared with the community: which groups are under-represented among a survey's
// respondents against the census shares (age and home language), through the usage-gap group
// comparison with respondents in place of active users.
import { describeGroup } from "../analysis/describe-group.ts";
import { dimensionGaps } from "../analysis/dimension-gaps.ts";
import { formatPercent } from "../analysis/finding-format.ts";
import { languageGroup } from "../analysis/language-group.ts";
import type {
  ActiveUserCount,
  CommunityPopulationRow,
  UsageGapDimension,
} from "../analysis/usage-gap-types.ts";
import type { Db } from "../db.ts";
import { populationBy, populationRow } from "../queries/community.ts";
import { countByAnswer } from "../queries/response-summary.ts";
import type { EvidenceList } from "./rubric-evidence-section.ts";
import { presentCount } from "./suppression.ts";

/**
 * Census rows of one dimension over a single geography kind: the kind with the most areas (the
 * finest), so that nested geographies (tracts and their county) are not counted twice.
 */
async function communityRows(
  db: Db,
  dimension: string,
): Promise<{ rows: CommunityPopulationRow[]; areas: number; kind: string } | null> {
  const cells = await populationBy(db, { dimension });
  if (cells.length === 0) return null;
  const areasByKind = new Map<string, Set<string>>();
  for (const cell of cells) {
    const areas = areasByKind.get(cell.kind) ?? new Set<string>();
    areas.add(cell.geoid);
    areasByKind.set(cell.kind, areas);
  }
  const [kind, areas] = [...areasByKind].sort((a, b) => b[1].size - a[1].size)[0] as [
    string,
    Set<string>,
  ];
  return {
    kind,
    areas: areas.size,
    rows: cells.filter((cell) => cell.kind === kind).map((cell) => populationRow(cell, dimension)),
  };
}

/** Label given to a respondent who named several languages other than English (unknown group). */
export const SEVERAL_LANGUAGES = "more than one language other than English";

/**
 * The census language group a respondent is counted in, from a multi-select answer of home
 * languages. ACS C16001 counts a person once: "English only", or the language other than English
 * spoken at home. So English alone → "english"; one other language (with or without English) →
 * that language; several other languages from different groups → unknown (named
 * SEVERAL_LANGUAGES), since the census would have recorded one of them; no answer or only
 * "prefer not to say" → unknown.
 */
export function respondentLanguage(answer: unknown): string | null {
  const values = Array.isArray(answer)
    ? answer.map(String)
    : typeof answer === "string"
      ? [answer]
      : [];
  const groups = new Map<string, string>();
  for (const value of values) {
    const group = languageGroup(value);
    if (group !== null && !groups.has(group)) groups.set(group, value);
  }
  const others = [...groups].filter(([group]) => group !== "English only");
  if (others.length > 1) return SEVERAL_LANGUAGES;
  if (others.length === 1) return (others[0] as [string, string])[1];
  if (groups.has("English only")) return groups.get("English only") as string;
  return values.length ? values.join(", ") : null;
}

/** Respondent counts by answer: single choices as stored, multi-selects through respondentLanguage. */
async function respondentRows(
  db: Db,
  slug: string,
  question: string,
  dimension: "age" | "language",
): Promise<ActiveUserCount[]> {
  const answers = await countByAnswer(db, slug, question);
  const counts = new Map<string | null, number>();
  for (const { value, count } of answers) {
    let category: string | null = value;
    if (dimension === "language" && value !== null) {
      let parsed: unknown = value;
      if (value.startsWith("[")) {
        try {
          parsed = JSON.parse(value);
        } catch {
          parsed = value;
        }
      }
      category = respondentLanguage(parsed);
    }
    counts.set(category, (counts.get(category) ?? 0) + count);
  }
  return [...counts].map(([category, count]) => ({ geoid: null, dimension, category, count }));
}

/** One under-represented group in words, without citing a withheld count. */
function describeUnder(dimension: string, group: UsageGapDimension["groups"][number], k: number) {
  const who = describeGroup(dimension, group.category).residents;
  const community =
    group.communityShare !== null && group.suppression.population === null
      ? `${formatPercent(group.communityShare)} of the community`
      : "a share of the community withheld (small census count)";
  if (group.suppression.users === "small")
    return `${who}: ${community}, fewer than ${k} respondents`;
  if (group.suppression.users !== null || group.userShare === null || !group.userShareInterval)
    return `${who}: ${community}; respondent count withheld (small counts nearby)`;
  const [lo, hi] = group.userShareInterval;
  return `${who}: ${community}, ${formatPercent(group.userShare)} of respondents (95% interval ${formatPercent(lo)}–${formatPercent(hi)})`;
}

interface Representation {
  lists: EvidenceList[];
  notes: string[];
  under: string[];
}

/**
 * Which groups are under-represented among a survey's respondents compared with the community:
 * the usage-gap group comparison (dimensionGaps: shares, Wilson interval, RI < 0.8 with the
 * interval's upper bound below the community share), with respondents in place of active users.
 */
export async function representation(
  db: Db,
  slug: string,
  k: number,
): Promise<Representation | null> {
  const out: Representation = { lists: [], notes: [], under: [] };
  let compared = false;
  for (const [dimension, question, name] of [
    ["age", "age_band", "Age"],
    ["language", "home_languages", "Language spoken at home"],
  ] as const) {
    const community = await communityRows(db, dimension);
    if (!community) continue;
    compared = true;
    const respondents = await respondentRows(db, slug, question, dimension);
    const known = respondents.filter((r) => r.category !== null).reduce((s, r) => s + r.count, 0);
    if (known < Math.max(k, 1)) {
      out.notes.push(
        `${name}: too few respondents gave an answer (${presentCount(known, k).display}) to compare with the community.`,
      );
      continue;
    }
    const gaps = dimensionGaps(dimension, community.rows, respondents, k);
    const under = gaps.groups.filter((g) => g.flag === "under");
    const areas = `${community.areas} ${community.kind}${community.areas === 1 ? "" : "s"}`;
    out.lists.push({
      title: `${name}: under-represented among respondents (census, ${areas})`,
      items: under.length
        ? under.map((g) => describeUnder(dimension, g, k))
        : [
            `No group is clearly under-represented among the ${presentCount(gaps.users, k).display} respondents who answered.`,
          ],
    });
    out.under.push(...under.map((g) => describeGroup(dimension, g.category).residents));
    const unknown = presentCount(gaps.unknownUsers, k);
    if (gaps.unknownUsers > 0)
      out.notes.push(
        `${name}: ${unknown.display} respondent${gaps.unknownUsers === 1 ? "" : "s"} did not say or could not be placed in a census group${dimension === "language" ? ` (no answer, "prefer not to say", or ${SEVERAL_LANGUAGES})` : ""}.`,
      );
  }
  if (!compared) return null;
  out.notes.push(
    "Under-represented: the group's share of respondents is below 0.8 of its share of the community, and the 95% Wilson interval of the respondent share lies below the community share (the usage-gap method).",
  );
  return out;
}
