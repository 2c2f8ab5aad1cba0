// Open answers (free text, "other (please specify)" texts, comment boxes) listed for reading
// and coding: with their language, channel and date, searchable, with the tags staff gave them.
import type { TagLookup } from "./table-types.ts";
import type { ResponseRecord, SurveyCodebook } from "./types.ts";

/** Where an open answer sits: the question's own answer, its "other" text or its comment box. */
export type OpenAnswerPart = "answer" | "other" | "comment";

export interface OpenAnswerSource {
  /** The key in the response data (also the key tags are stored under). */
  key: string;
  question: string;
  title: string;
  part: OpenAnswerPart;
}

export interface OpenAnswer extends OpenAnswerSource {
  responseId: string;
  text: string;
  language: string;
  channel: string;
  location: string | null;
  submittedAt: Date;
  tags: readonly string[];
}

export interface OpenAnswerQuery {
  /** Only these questions (by name). */
  questions?: string[];
  /** Words to find in the text or its tags, ignoring case and accents. */
  search?: string;
  /** Only answers with this tag. */
  tag?: string;
  /** Paging: skip this many, return at most `limit` (default 50, at most 500). */
  offset?: number;
  limit?: number;
  /**
   * Privacy (issue 13): a source's answers are listed only when at least this many respondents
   * answered it (before search and tag), so a handful of people cannot be read one by one.
   */
  minimumAnswered?: number;
}

export interface OpenAnswerPage {
  /** Answers matching the query (before paging). */
  total: number;
  answers: OpenAnswer[];
  /** Tags on the matching answers, most used first. */
  tagCounts: { tag: string; count: number }[];
  /** Sources answered by 1 … minimumAnswered − 1 respondents: their answers are not listed. */
  withheld: OpenAnswerSource[];
}

export const MAX_TAG_LENGTH = 50;

/**
 * A tag as stored: trimmed, inner spaces collapsed, lower case (so "Transport" and "transport "
 * are one tag). Throws when empty or longer than 50 characters.
 */
export function normalizeTag(tag: string): string {
  const normalized = tag.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase();
  if (normalized === "") throw new RangeError("a tag cannot be empty");
  if ([...normalized].length > MAX_TAG_LENGTH) {
    throw new RangeError(`a tag is at most ${MAX_TAG_LENGTH} characters ("${normalized}")`);
  }
  return normalized;
}

/** Text folded for searching: no accents or other marks, lower case. */
export function foldForSearch(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

/** Every place in the survey where a respondent can type free text. */
export function openAnswerSources(codebook: SurveyCodebook): OpenAnswerSource[] {
  const sources: OpenAnswerSource[] = [];
  for (const question of codebook.questions) {
    const base = { question: question.name, title: question.title };
    if ((question.kind === "text" && !question.numeric) || question.kind === "comment") {
      sources.push({ ...base, key: question.name, part: "answer" });
    }
    if ((question.kind === "single" || question.kind === "multiple") && question.other) {
      sources.push({ ...base, key: question.other.textKey, part: "other" });
    }
    if (question.commentKey) sources.push({ ...base, key: question.commentKey, part: "comment" });
  }
  return sources;
}

/** Collects open answers one response at a time; `page()` sorts newest first and pages. */
export class OpenAnswerCollector {
  private readonly sources: OpenAnswerSource[];
  private readonly search: string[];
  private readonly tag: string | undefined;
  private readonly matches: OpenAnswer[] = [];
  private readonly answered = new Map<string, number>();

  constructor(
    codebook: SurveyCodebook,
    private readonly query: OpenAnswerQuery = {},
    private readonly tags: TagLookup = () => [],
  ) {
    const wanted = query.questions?.length ? new Set(query.questions) : undefined;
    this.sources = openAnswerSources(codebook).filter((s) => !wanted || wanted.has(s.question));
    this.search = foldForSearch(query.search ?? "")
      .split(/\s+/)
      .filter(Boolean);
    this.tag = query.tag ? normalizeTag(query.tag) : undefined;
  }

  add(response: ResponseRecord): void {
    for (const source of this.sources) {
      const value = response.data[source.key];
      if (typeof value !== "string" && typeof value !== "number") continue;
      const text = String(value).trim();
      if (text === "") continue;
      this.answered.set(source.key, (this.answered.get(source.key) ?? 0) + 1);
      const tags = this.tags(response.id, source.key);
      if (this.tag && !tags.includes(this.tag)) continue;
      if (this.search.length > 0) {
        const haystack = foldForSearch([text, ...tags].join(" "));
        if (!this.search.every((word) => haystack.includes(word))) continue;
      }
      this.matches.push({
        ...source,
        responseId: response.id,
        text,
        language: response.language,
        channel: response.channel,
        location: response.location,
        submittedAt: response.submittedAt,
        tags,
      });
    }
  }

  page(): OpenAnswerPage {
    const offset = Math.max(0, Math.floor(this.query.offset ?? 0));
    const limit = Math.min(500, Math.max(1, Math.floor(this.query.limit ?? 50)));
    const minimum = this.query.minimumAnswered ?? 0;
    const enough = (key: string) => (this.answered.get(key) ?? 0) >= minimum;
    const withheld = this.sources.filter(
      (source) => (this.answered.get(source.key) ?? 0) > 0 && !enough(source.key),
    );
    const sorted = this.matches
      .filter((answer) => enough(answer.key))
      .sort(
        (a, b) =>
          b.submittedAt.getTime() - a.submittedAt.getTime() ||
          a.responseId.localeCompare(b.responseId) ||
          a.key.localeCompare(b.key),
      );
    const counts = new Map<string, number>();
    for (const answer of sorted) {
      for (const tag of answer.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    }
    return {
      total: sorted.length,
      answers: sorted.slice(offset, offset + limit),
      tagCounts: [...counts.entries()]
        .map(([tag, count]) => ({ tag, count }))
        .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag)),
      withheld,
    };
  }
}

/**
 * Lists the open answers of a set of responses, newest first.
 *
 * @example
 * listOpenAnswers(codebook, responses, { search: "horario", limit: 20 }).answers[0];
 * // { question: "barriers", part: "other", text: "El horario…", language: "es", tags: ["hours"], … }
 */
export function listOpenAnswers(
  codebook: SurveyCodebook,
  responses: Iterable<ResponseRecord>,
  query: OpenAnswerQuery = {},
  tags?: TagLookup,
): OpenAnswerPage {
  const collector = new OpenAnswerCollector(codebook, query, tags);
  for (const response of responses) collector.add(response);
  return collector.page();
}
