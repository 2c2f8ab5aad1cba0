// What the rubric evidence says about one survey behind it: responses by language and channel,
// the share from non-users, the latest submission (every count through the suppression
// presenter), and a note when the survey is missing or closed.
import { isSmallCount } from "../analysis/small-count.ts";
import type { Db } from "../db.ts";
import { getLanguage } from "../i18n/languages.ts";
import { countByAnswer, countResponsesBy } from "../queries/response-summary.ts";
import { latestSubmission } from "../queries/rubric.ts";
import type { SurveyRow } from "../queries/surveys.ts";
import { surveyMeta } from "../surveys/definition.ts";
import { CHANNEL_LABELS } from "./overview.ts";
import { type KindEvidence, link } from "./rubric-evidence-section.ts";
import {
  type CountCell,
  presentCount,
  presentShare,
  suppressCounts,
  withheldCell,
} from "./suppression.ts";

/**
 * "English 35, Spanish 12, Chinese <10": one breakdown whose total is shown beside it, with
 * complementary suppression; `total` is withheld when the breakdown could not protect a cell.
 */
function breakdown(
  entries: ReadonlyArray<{ label: string; count: number }>,
  k: number,
): { text: string; total: CountCell } {
  const sorted = [...entries].filter((e) => e.count > 0).sort((a, b) => b.count - a.count);
  const { cells, total } = suppressCounts(
    sorted.map((e) => e.count),
    k,
  );
  return {
    text: sorted.map((e, i) => `${e.label} ${(cells[i] as CountCell).display}`).join(", "),
    total,
  };
}

interface SurveyBasics {
  survey: SurveyRow | undefined;
  total: number;
  count: CountCell;
  latest: string | null;
  languages: string;
  channels: string;
  /** "12 of 40 (30%)" style share of respondents who do not use the library; null without a rule. */
  nonUsers: string | null;
}

export async function surveyBasics(
  db: Db,
  surveys: ReadonlyMap<string, SurveyRow>,
  slug: string,
  k: number,
): Promise<SurveyBasics> {
  const survey = surveys.get(slug);
  const [byLanguage, byChannel, lastSubmitted] = await Promise.all([
    countResponsesBy(db, ["language"], { surveySlug: slug }),
    countResponsesBy(db, ["channel"], { surveySlug: slug }),
    latestSubmission(db, slug),
  ]);
  const total = byChannel.reduce((sum, row) => sum + row.count, 0);
  const latest = lastSubmitted ? lastSubmitted.toISOString().slice(0, 10) : null;
  let nonUsers: string | null = null;
  const useStatus = survey ? surveyMeta(survey.definition)?.useStatus : undefined;
  if (survey && useStatus && total > 0) {
    const answers = await countByAnswer(db, slug, useStatus.question);
    const answered = answers.filter((a) => a.value !== null).reduce((s, a) => s + a.count, 0);
    const non = answers
      .filter((a) => a.value !== null && useStatus.nonUserValues.includes(a.value))
      .reduce((s, a) => s + a.count, 0);
    const { cells, total: answeredCell } = suppressCounts([non, answered - non], k);
    const nonCell = cells[0] as CountCell;
    nonUsers = `${nonCell.display} of ${answeredCell.display} who answered (${presentShare(nonCell, answeredCell)})`;
  }
  const languages = breakdown(
    byLanguage.map((r) => ({
      label: getLanguage(r.key.language ?? "en").englishName,
      count: r.count,
    })),
    k,
  );
  const channels = breakdown(
    byChannel.map((r) => ({
      label: CHANNEL_LABELS[r.key.channel ?? ""] ?? String(r.key.channel),
      count: r.count,
    })),
    k,
  );
  // The total is shown beside both breakdowns: withheld when either could not protect a cell.
  // A withheld total that is not small reads "suppressed", never "<10".
  const count =
    (languages.total.suppressed || channels.total.suppressed) && !isSmallCount(total, k)
      ? withheldCell(k)
      : presentCount(total, k);
  return {
    survey,
    total,
    count,
    latest,
    languages: languages.text,
    channels: channels.text,
    nonUsers,
  };
}

/** Notes and steps when a survey behind the evidence is missing or closed. */
export function surveyState(
  evidence: KindEvidence,
  slug: string,
  survey: SurveyRow | undefined,
): void {
  if (!survey) {
    evidence.notes.push(
      `The "${slug}" survey is not installed: add surveys/${slug}.json from the survey library and restart Open Door.`,
    );
  } else if (survey.status === "closed") {
    evidence.notes.push(
      `The "${slug}" survey is closed; an admin can open it on the Surveys page.`,
    );
    evidence.links.push(link("/staff/surveys", "Surveys"));
  }
}
