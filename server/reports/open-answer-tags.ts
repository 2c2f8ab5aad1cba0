// Open answers of a results request with their tags: the tag lookup the tables use, the
// searchable listing, and tagging and untagging one answer (checked against the survey).

import type { Db } from "../db.ts";
import { InputError, NotFound } from "../errors.ts";
import { addTag, listSurveyTags, removeTag } from "../queries/open-answer-tags.ts";
import { findResponse } from "../queries/responses.ts";
import {
  normalizeTag,
  OpenAnswerCollector,
  type OpenAnswerPage,
  type OpenAnswerQuery,
  openAnswerSources,
} from "../results/open-answers.ts";
import type { TagLookup } from "../results/table-types.ts";
import {
  badRequest,
  forEachScoped,
  loadResultsSurvey,
  loadScopedSurvey,
  type ResultsScope,
} from "./survey-scope.ts";

/** Tags of a survey's open answers, as a lookup for tables and listings. */
export async function tagLookup(db: Db, slug: string): Promise<TagLookup> {
  const byAnswer = new Map<string, string[]>();
  for (const tag of await listSurveyTags(db, slug)) {
    const key = `${tag.responseId}\u0000${tag.question}`;
    const list = byAnswer.get(key) ?? [];
    list.push(tag.tag);
    byAnswer.set(key, list);
  }
  return (responseId, answerKey) => byAnswer.get(`${responseId}\u0000${answerKey}`) ?? [];
}

/**
 * Open answers of a scope with their tags: searchable, filterable by question or tag, paged.
 *
 * @example
 * await surveyOpenAnswers(db, { slug: "community-needs" }, { search: "bus", limit: 20 });
 */
export async function surveyOpenAnswers(
  db: Db,
  scope: ResultsScope,
  query: OpenAnswerQuery = {},
): Promise<OpenAnswerPage> {
  const { codebook } = await loadScopedSurvey(db, scope);
  const tags = await tagLookup(db, scope.slug);
  const tagged = badRequest(() => new OpenAnswerCollector(codebook, query, tags));
  await forEachScoped(db, scope.slug, codebook, scope.filter, (response) => tagged.add(response));
  return tagged.page();
}

/** Checks that an answer exists, belongs to the survey and is an open answer; returns the tag. */
async function checkTagTarget(
  db: Db,
  input: { slug: string; responseId: string; question: string; tag: string },
): Promise<string> {
  const { codebook } = await loadResultsSurvey(db, input.slug);
  const source = openAnswerSources(codebook).find((s) => s.key === input.question);
  if (!source) {
    throw new InputError(`"${input.question}" is not an open answer of the survey "${input.slug}"`);
  }
  const response = await findResponse(db, input.responseId);
  if (!response || response.surveySlug !== input.slug) {
    throw new NotFound(`The survey "${input.slug}" has no response ${input.responseId}`);
  }
  if (typeof response.data[input.question] !== "string" || response.data[input.question] === "") {
    throw new InputError(
      `Response ${input.responseId} has no answer to "${input.question}" to tag`,
    );
  }
  return badRequest(() => normalizeTag(input.tag));
}

/**
 * Tags one open answer (by its response id and answer key, e.g. "comment" or
 * "barriers-Comment"). Tagging twice is harmless: `added` says whether it was new.
 */
export async function tagOpenAnswer(
  db: Db,
  input: {
    slug: string;
    responseId: string;
    question: string;
    tag: string;
    createdBy?: number | null;
  },
): Promise<{ tag: string; added: boolean }> {
  const tag = await checkTagTarget(db, input);
  const added = await addTag(db, { ...input, tag });
  return { tag, added };
}

/** Removes a tag from an open answer; `removed` says whether it was there. */
export async function untagOpenAnswer(
  db: Db,
  input: { slug: string; responseId: string; question: string; tag: string },
): Promise<{ tag: string; removed: boolean }> {
  const tag = badRequest(() => normalizeTag(input.tag));
  const removed = await removeTag(db, {
    responseId: input.responseId,
    question: input.question,
    tag,
  });
  return { tag, removed };
}
