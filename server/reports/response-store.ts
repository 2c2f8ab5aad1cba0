// What a server process keeps between staff requests (issue 21): each survey's responses read
// and parsed once, then brought up to date by reading only the responses inserted since, and
// the tables computed from them, kept for as long as the data they were made from is unchanged.
// Every use first reads the database's data stamp (server/queries/data-versions.ts: counters
// bumped by triggers in the writing transaction, and the survey's response count), so a write
// by any process, through any path, is noticed on the next request. Kept per database handle
// and only when the server enables it: the CLI reads once and streams instead. The handles of
// one server (one per library, issue 23) share one budget: RESULTS_CACHE_RESPONSES bounds the
// process, not each library, and the least recently used survey of any library goes first.
import type { Db } from "../db.ts";
import {
  type DataStamp,
  lastSequence,
  readDataStamp,
  responsesAfter,
} from "../queries/data-versions.ts";
import { type ResponseQueryFilter, streamResponses } from "../queries/response-export.ts";
import type { StoredResponse } from "../queries/responses.ts";

export interface ResponseCacheOptions {
  /** Most responses kept in memory over all surveys (of every handle sharing the budget); a larger survey is read per request. */
  maxResponses: number;
  /** Most computed tables kept, and most kept tabulators (least recently used go first). */
  maxResults?: number;
}

interface HeldSurvey {
  /** The "responses" counter the records were read under. */
  changes: number;
  /** The highest insertion sequence number read. */
  last: number;
  /** In submission order (then id), as streamResponses reads them. */
  records: StoredResponse[];
  ids: Set<string>;
  /** One copy of each short text (choice codes, languages…): kept answers share them. */
  pool: Map<string, string>;
  /** Changes when the records are more than the previous ones with new ones after them. */
  lineage: number;
  /** The same records in the order they were read: those read since come last. */
  arrivals: StoredResponse[];
  /** Changes only when the records are read again whole (not when new ones are added). */
  generation: number;
}

/** A survey's kept responses as one request sees them. */
export interface HeldView {
  records: readonly StoredResponse[];
  lineage: number;
  arrivals: readonly StoredResponse[];
  generation: number;
  /** The "inputs" counter (tags, definitions, census…) when they were checked. */
  inputs: number;
  /** Names the data: tables computed from it are kept under it. */
  stamp: string;
}

interface Accumulation {
  /** The lineage, or for accumulators that take responses in any order the generation. */
  lineage: number;
  inputs: number;
  context: string;
  fed: number;
  state: unknown;
}

/**
 * What the handles sharing a budget keep, least recently used first in each map; keys are a
 * handle's prefix and then the survey slug or the caller's key.
 */
export interface ResponseBudget {
  options: Required<ResponseCacheOptions>;
  surveys: Map<string, HeldSurvey>;
  results: Map<string, { stamp: string; value: Promise<unknown> }>;
  accumulations: Map<string, Accumulation>;
}

interface Cache {
  budget: ResponseBudget;
  /** Tells this handle's entries in the budget's maps from other handles'. */
  prefix: string;
  /** One refresh at a time per survey: concurrent requests wait for the same one. */
  refreshing: Map<string, Promise<HeldSurvey | undefined>>;
}

let lineages = 0;
let handles = 0;

const caches = new WeakMap<Db, Cache>();
const PAGE = 5000;

/** A budget that several database handles may share (enableResponseCache). */
export function responseBudget(options: ResponseCacheOptions): ResponseBudget {
  return {
    options: { maxResults: 64, ...options },
    surveys: new Map(),
    results: new Map(),
    accumulations: new Map(),
  };
}

/**
 * Keeps responses and tables for this database handle (the server calls it once per handle),
 * within a budget of its own or one shared with other handles.
 */
export function enableResponseCache(db: Db, budget: ResponseCacheOptions | ResponseBudget): void {
  caches.set(db, {
    budget: "surveys" in budget ? budget : responseBudget(budget),
    prefix: `${++handles}\u0000`,
    refreshing: new Map(),
  });
}

/** Responses and tables this handle holds now, for the benchmark's memory figures and for tests. */
export function responseCacheSize(db: Db): { responses: number; results: number } {
  const cache = caches.get(db);
  if (!cache) return { responses: 0, results: 0 };
  const own = (key: string) => key.startsWith(cache.prefix);
  let responses = 0;
  for (const [key, held] of cache.budget.surveys) if (own(key)) responses += held.records.length;
  let results = 0;
  for (const key of cache.budget.results.keys()) if (own(key)) results++;
  return { responses, results };
}

/** Responses held by every handle of a budget. */
export function budgetResponses(budget: ResponseBudget): number {
  let responses = 0;
  for (const held of budget.surveys.values()) responses += held.records.length;
  return responses;
}

/** Texts up to this long are shared; longer ones (free text) are mostly unique. */
const SHARED_TEXT = 64;

function share(value: unknown, pool: Map<string, string>): unknown {
  if (typeof value === "string") {
    if (value.length > SHARED_TEXT) return value;
    const kept = pool.get(value);
    if (kept !== undefined) return kept;
    pool.set(value, value);
    return value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = share(value[i], pool);
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = share(record[key], pool);
  }
  return value;
}

/**
 * The response with its repeated texts shared: parsed answers take about 40% less memory
 * (bench/README.md), and nothing a reader sees changes.
 */
function compact(response: StoredResponse, pool: Map<string, string>): StoredResponse {
  share(response.data, pool);
  response.language = share(response.language, pool) as string;
  response.channel = share(response.channel, pool) as string;
  if (response.location !== null) response.location = share(response.location, pool) as string;
  return response;
}

const bySubmission = (a: StoredResponse, b: StoredResponse) =>
  a.submittedAt.getTime() - b.submittedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

async function readAll(db: Db, slug: string, stamp: DataStamp): Promise<HeldSurvey> {
  // Read before the responses: any inserted while reading come again after it, and are skipped.
  const last = await lastSequence(db, slug);
  const records: StoredResponse[] = [];
  const pool = new Map<string, string>();
  for await (const response of streamResponses(db, { surveySlug: slug }, PAGE)) {
    records.push(compact(response, pool));
  }
  // Labelled with the stamp read before: a change while reading shows as a newer stamp.
  return {
    changes: stamp.changes,
    last,
    records,
    ids: new Set(records.map((r) => r.id)),
    pool,
    lineage: ++lineages,
    arrivals: records,
    generation: ++lineages,
  };
}

/** Adds the responses inserted after `held.last`; false when the counts then disagree. */
async function readNew(db: Db, slug: string, held: HeldSurvey): Promise<boolean> {
  const added: StoredResponse[] = [];
  for (;;) {
    const page = await responsesAfter(db, slug, held.last, PAGE);
    for (const response of page.responses) {
      if (held.ids.has(response.id)) continue;
      held.ids.add(response.id);
      added.push(compact(response, held.pool));
    }
    held.last = page.last;
    if (page.responses.length < PAGE) break;
  }
  added.sort(bySubmission);
  const tail = held.records[held.records.length - 1];
  const inOrder = !tail || !added[0] || bySubmission(tail, added[0]) <= 0;
  // A new array: a computation still reading the old one keeps the set its stamp names.
  const records = held.records.concat(added);
  // A paper survey entered late carries an earlier submission time.
  if (!inOrder) {
    records.sort(bySubmission);
    held.lineage = ++lineages;
  }
  held.records = records;
  held.arrivals = held.arrivals.concat(added);
  const check = await readDataStamp(db, slug);
  return check.changes === held.changes && check.count === held.records.length;
}

/** Drops the least recently used surveys of any handle until the budget holds. */
function evict(budget: ResponseBudget, keep: string): void {
  let total = budgetResponses(budget);
  for (const [key, held] of budget.surveys) {
    if (total <= budget.options.maxResponses) break;
    if (key === keep) continue;
    budget.surveys.delete(key);
    total -= held.records.length;
  }
}

async function refresh(db: Db, cache: Cache, slug: string, stamp: DataStamp) {
  const { budget } = cache;
  const key = cache.prefix + slug;
  let held = budget.surveys.get(key);
  if (held && held.changes === stamp.changes && stamp.count > held.records.length) {
    if (await readNew(db, slug, held)) {
      // It grew: others may have to make room (unless it was itself evicted while reading).
      if (budget.surveys.get(key) === held) evict(budget, key);
      return held;
    }
  }
  budget.surveys.delete(key);
  if (stamp.count > budget.options.maxResponses) return undefined;
  held = await readAll(db, slug, stamp);
  budget.surveys.set(key, held);
  evict(budget, key);
  return held;
}

/** Whether a reader may fill the cache with a survey it does not keep yet (default: yes). */
export interface KeptUse {
  fill?: boolean;
}

/**
 * A survey's responses as the database holds them now, in submission order, with the stamp
 * of the data they and everything else the tables read come from; undefined when this handle
 * keeps no responses or the survey has more than it may keep. With `fill: false` (the exports,
 * which stream) a survey not kept yet is not read into memory: undefined, and the caller streams.
 */
export async function heldResponses(
  db: Db,
  slug: string,
  { fill = true }: KeptUse = {},
): Promise<HeldView | undefined> {
  const cache = caches.get(db);
  if (!cache) return undefined;
  const { surveys } = cache.budget;
  const key = cache.prefix + slug;
  if (!fill && !surveys.has(key) && !cache.refreshing.has(slug)) return undefined;
  const waiting = cache.refreshing.get(slug);
  if (waiting) await waiting.catch(() => undefined);
  const stamp = await readDataStamp(db, slug);
  let held = surveys.get(key);
  if (!held || held.changes !== stamp.changes || held.records.length !== stamp.count) {
    const work = refresh(db, cache, slug, stamp);
    cache.refreshing.set(slug, work);
    try {
      held = await work;
    } finally {
      if (cache.refreshing.get(slug) === work) cache.refreshing.delete(slug);
    }
  } else {
    // Most recently used last, for eviction.
    surveys.delete(key);
    surveys.set(key, held);
  }
  if (!held) return undefined;
  return {
    records: held.records,
    lineage: held.lineage,
    arrivals: held.arrivals,
    generation: held.generation,
    inputs: stamp.inputs,
    stamp: `${stamp.changes}.${stamp.inputs}.${held.records.length}`,
  };
}

/** Whether a response passes the database part of a filter, exactly as the SQL of response-export. */
export function matchesQuery(response: StoredResponse, filter: ResponseQueryFilter): boolean {
  if (filter.versionIds?.length && !filter.versionIds.includes(response.versionId)) return false;
  if (filter.languages?.length && !filter.languages.includes(response.language)) return false;
  if (filter.channels?.length && !filter.channels.includes(response.channel)) return false;
  if (
    filter.locations?.length &&
    (response.location === null || !filter.locations.includes(response.location))
  )
    return false;
  const at = response.submittedAt.getTime();
  if (filter.from && at < filter.from.getTime()) return false;
  if (filter.to && at >= filter.to.getTime()) return false;
  return true;
}

/**
 * A value computed from the data of a stamp, kept until the stamp changes (at most maxResults
 * values, least recently used dropped first). Without a cache, or without a stamp, computes.
 * Callers must not change what they get: it is shared by every request with the same key.
 */
export async function keptResult<T>(
  db: Db,
  key: string,
  stamp: string | undefined,
  compute: () => Promise<T>,
): Promise<T> {
  const cache = caches.get(db);
  if (!cache || stamp === undefined) return compute();
  const { results, options } = cache.budget;
  const entryKey = cache.prefix + key;
  const kept = results.get(entryKey);
  results.delete(entryKey);
  if (kept && kept.stamp === stamp) {
    results.set(entryKey, kept);
    return kept.value as Promise<T>;
  }
  const value = compute();
  const entry = { stamp, value };
  results.set(entryKey, entry);
  value.catch(() => {
    if (results.get(entryKey) === entry) results.delete(entryKey);
  });
  for (const oldest of results.keys()) {
    if (results.size <= options.maxResults) break;
    results.delete(oldest);
  }
  return value;
}

/**
 * An accumulator kept per key over a survey's kept responses. Called again with the same
 * context (what the accumulator was made for, such as the codebook's versions) while the
 * responses only gained new ones after those it was fed, and nothing else the pages read
 * changed, it is fed only the new responses; otherwise a new one is made and fed them all.
 * Either way it has been fed every response in the order a computation from scratch uses, so
 * its sums agree to the last bit. With `anyOrder` (for accumulators whose result does not
 * depend on the order they are fed in, to the last bit) it is fed in the order the responses
 * were read instead, so new responses are only added even when some were submitted before
 * others (a paper entry). `feed` must not await: callers read the result right after.
 */
export function accumulate<S>(
  db: Db,
  held: HeldView,
  key: string,
  context: string,
  start: () => S,
  feed: (state: S, response: StoredResponse) => void,
  options: { anyOrder?: boolean } = {},
): S {
  const cache = caches.get(db);
  const lineage = options.anyOrder ? held.generation : held.lineage;
  const responses = options.anyOrder ? held.arrivals : held.records;
  const entryKey = (cache?.prefix ?? "") + key;
  let kept = cache?.budget.accumulations.get(entryKey);
  if (
    !kept ||
    kept.lineage !== lineage ||
    kept.inputs !== held.inputs ||
    kept.context !== context ||
    kept.fed > responses.length
  ) {
    kept = { lineage, inputs: held.inputs, context, fed: 0, state: start() };
  }
  const state = kept.state as S;
  for (let i = kept.fed; i < responses.length; i++) feed(state, responses[i] as StoredResponse);
  kept.fed = responses.length;
  if (cache) {
    const { accumulations, options } = cache.budget;
    accumulations.delete(entryKey);
    accumulations.set(entryKey, kept);
    for (const oldest of accumulations.keys()) {
      if (accumulations.size <= options.maxResults) break;
      accumulations.delete(oldest);
    }
  }
  return state;
}

/** The stamp of everything the pages read (all surveys' responses and the other inputs). */
export async function dataStamp(db: Db, slug?: string): Promise<string | undefined> {
  if (!caches.has(db)) return undefined;
  const stamp = await readDataStamp(db, slug);
  return `${stamp.changes}.${stamp.inputs}.${stamp.count}`;
}

/** The stamp of what the pages read besides responses (survey versions, translations, tags…). */
export async function inputsStamp(db: Db): Promise<string | undefined> {
  if (!caches.has(db)) return undefined;
  return `inputs.${(await readDataStamp(db)).inputs}`;
}
