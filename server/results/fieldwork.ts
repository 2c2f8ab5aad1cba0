// The fieldwork guide (issue 18): while a survey is open, who is missing from its respondents
// compared with the community, how representative the responses are, how far each target is, and
// what to do next. Pure: the report module (server/reports/fieldwork.ts) reads the database and
// suppresses small counts; this module only computes, from raw counts.
//
// Dimensions: the survey's profile questions read as census categories by the same mapping
// raking uses (profileMappings in profile-mappings.ts: age, language, area), plus library use (the
// survey's openDoor.useStatus rule) against the latest patron export's active users.
//
// Statistics (server/analysis): per category, the respondents' share of those known on the
// dimension against the community share, the representation index RI = share / community share
// with its Wilson-based interval; the unconditional partial R-indicators of each dimension from
// its census margin (Schouten, Shlomo & Skinner 2011); the overall R-indicator from the raking
// propensities (rakingRIndicator), with the maximal bias of a percentage S(ρ)/(2ρ̄); and the CV
// of the raking weights the sample would need. Respondents unknown on a dimension are left out of
// its comparison (assumed to be like the known ones, as raking assumes).
import { InsufficientDataError } from "../analysis/insufficient-data-error.ts";
import { partialRIndicators } from "../analysis/partial-r-indicators.ts";
import { rakingRIndicator } from "../analysis/raking-r-indicator.ts";
import { representationIndexInterval } from "../analysis/representation-index-interval.ts";
import { weightCoefficientOfVariation } from "../analysis/weight-coefficient-of-variation.ts";
import type { FieldworkTargetRow } from "../queries/fieldwork-targets.ts";
import {
  isoDay,
  projectTarget,
  proportionalTargets,
  type TargetProjection,
} from "./fieldwork-targets.ts";
import { useStatusOf } from "./groups.ts";
import {
  type CommunityMargins,
  profileMappings,
  type RakingDimension,
} from "./profile-mappings.ts";
import type { SurveyCodebook } from "./types.ts";
import { rakingWeights } from "./weighting.ts";

export type FieldworkDimension = RakingDimension | "libraryUse";

export const LIBRARY_USERS = "Library users";
export const NON_USERS = "Non-users";

export interface FieldworkRespondent {
  id: string;
  data: Record<string, unknown>;
  channel: string;
  location: string | null;
  submittedAt: Date;
}

export interface FieldworkInput {
  codebook: SurveyCodebook;
  respondents: readonly FieldworkRespondent[];
  margins: CommunityMargins;
  /** Active patrons and residents of the service area (latest patron export); null without one. */
  libraryUse: { activeUsers: number; residents: number } | null;
  targets: readonly FieldworkTargetRow[];
  /** The planned last day of fieldwork (YYYY-MM-DD), or null. */
  endDate: string | null;
  today: Date;
  /** Trend points are at least this many responses apart (SUPPRESS_BELOW). */
  suppressBelow: number;
}

export interface GuideCategory {
  category: string;
  population: number;
  communityShare: number;
  respondents: number;
  /** Share of the respondents known on the dimension; null when none is known. */
  respondentShare: number | null;
  representationIndex: number | null;
  interval: [number, number] | null;
  /** P_u(X, k) / ρ̄ = √(Nₖ/N)·(RIₖ − 1); null when there are no respondents yet. */
  relativePartial: number | null;
  target: number | null;
  projection: TargetProjection | null;
}

export interface GuideDimension {
  dimension: FieldworkDimension;
  question: string;
  categories: GuideCategory[];
  known: number;
  unknown: number;
  /** P_u(X) / ρ̄, the dimension's relative unconditional partial R-indicator. */
  relativePartial: number | null;
  /** The total of a "proportional to the community" target, when that is how it was set. */
  proportionalTotal: number | null;
  notes: string[];
}

export interface GuideOverall {
  r: number;
  meanPropensity: number;
  /** S(ρ)/(2ρ̄): how far a percentage could be off, as a fraction (0.1 = 10 points). */
  maximalBias: number;
  weightCv: number;
  designEffect: number;
  dimensions: RakingDimension[];
  /** Margins the bounded weights still miss by more than 1 point: weighting cannot fix these. */
  missedMargins: { dimension: RakingDimension; deviation: number }[];
}

export interface GuideTrendPoint {
  day: string;
  respondents: number;
  r: number | null;
  maximalBias: number | null;
}

/** Respondents of one channel or kiosk place, per dimension category ("" = unknown). */
export interface GuideBreakdown {
  key: string;
  respondents: number;
  byDimension: Partial<Record<FieldworkDimension, Map<string, number>>>;
}

export interface GuideAction {
  dimension: FieldworkDimension;
  category: string;
  /** (P_u(X,k)/ρ̄)²: how much bringing the group to its share would lower the dimension's P_u(X)²/ρ̄². */
  gain: number;
  /** The kiosk place whose respondents include the largest share of the group, if any. */
  bestLocation: string | null;
}

export interface FieldworkGuide {
  respondents: number;
  firstDay: string | null;
  dimensions: GuideDimension[];
  skipped: { dimension: FieldworkDimension; reason: string }[];
  overall: GuideOverall | null;
  overallNote: string | null;
  /** Points at least suppressBelow responses apart; the last holds every response. */
  trend: GuideTrendPoint[];
  channels: GuideBreakdown[];
  locations: GuideBreakdown[];
  actions: GuideAction[];
}

/**
 * One group's respondents against its community share, over `base` respondents: share, the
 * representation index RI = share / community share with its 95% interval (Wilson, census share
 * taken as exact), and √(community share)·(RI − 1), the group's relative unconditional partial
 * R-indicator when `base` is the respondents known on the dimension (partialRIndicators).
 */
export function compareWithCommunity(
  respondents: number,
  base: number,
  communityShare: number,
): Pick<GuideCategory, "respondentShare" | "representationIndex" | "interval" | "relativePartial"> {
  if (base <= 0) {
    return {
      respondentShare: null,
      representationIndex: null,
      interval: null,
      relativePartial: null,
    };
  }
  const share = respondents / base;
  const index = share / communityShare;
  return {
    respondentShare: share,
    representationIndex: index,
    interval: representationIndexInterval(respondents, base, communityShare, null).interval,
    relativePartial: Math.sqrt(communityShare) * (index - 1),
  };
}

/** Under this representation index a group is behind enough to suggest an action (DESIGN.md). */
export const UNDER_REPRESENTED = 0.8;
/** Groups under this share of residents get no action of their own (too small to chase). */
export const SMALLEST_GROUP_FOR_ACTION = 0.01;
/** At most this many actions are suggested, the largest gains first. */
export const MAX_ACTIONS = 8;
/** At most this many trend points are computed (each is a raking run). */
const MAX_TREND_POINTS = 12;

function overallFor(
  codebook: SurveyCodebook,
  respondents: readonly FieldworkRespondent[],
  margins: CommunityMargins,
  read: Partial<Record<RakingDimension, readonly (string | null)[]>>,
): GuideOverall {
  const weighting = rakingWeights(codebook, respondents, margins, {}, read);
  const first = weighting.dimensions[0];
  const mapping = profileMappings(codebook, margins).used.find(
    (m) => m.dimension === first?.dimension,
  );
  const population = [...(mapping?.margin.values() ?? [])].reduce((a, b) => a + b, 0);
  const weights = [...weighting.weights.values()];
  const indicator = rakingRIndicator(weights, Math.max(population, weights.length));
  return {
    r: indicator.r,
    meanPropensity: indicator.meanPropensity,
    maximalBias: indicator.coefficientOfVariation / 2,
    weightCv: weightCoefficientOfVariation(weights),
    designEffect: weighting.designEffect,
    dimensions: weighting.dimensions.map((d) => d.dimension),
    missedMargins: weighting.missedMargins,
  };
}

function targetsFor(
  dimension: FieldworkDimension,
  categories: readonly { category: string; share: number }[],
  rows: readonly FieldworkTargetRow[],
): { targets: Map<string, number>; proportionalTotal: number | null } {
  const mine = rows.filter((r) => r.dimension === dimension);
  const proportional = mine.find((r) => r.category === null);
  if (proportional) {
    const split = proportionalTargets(
      proportional.target,
      categories.map((c) => c.share),
    );
    return {
      targets: new Map(categories.map((c, i) => [c.category, split[i] ?? 0])),
      proportionalTotal: proportional.target,
    };
  }
  return {
    targets: new Map(mine.map((r) => [r.category ?? "", r.target])),
    proportionalTotal: null,
  };
}

/**
 * The guide for a survey's respondents so far.
 *
 * @returns per dimension the comparison with the community and the targets, the overall
 *   R-indicator and weight CV (null with a reason when raking is not possible), the trend, the
 *   channel and kiosk-place breakdowns, and the under-represented groups ranked by how much
 *   reaching their share would improve their dimension's partial R-indicator
 */
export function fieldworkGuide(input: FieldworkInput): FieldworkGuide {
  const { codebook, respondents, margins } = input;
  const sorted = [...respondents].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
  const firstResponse = sorted[0]?.submittedAt ?? null;
  const { used, skipped: rakingSkipped } = profileMappings(codebook, margins);
  const skipped: FieldworkGuide["skipped"] = [...rakingSkipped];

  // Category of every respondent on every dimension (null = not known).
  const dimensionCategories: {
    dimension: FieldworkDimension;
    question: string;
    margin: Map<string, number>;
    notes: string[];
    of: (r: FieldworkRespondent) => string | null;
  }[] = used.map((m) => ({
    dimension: m.dimension,
    question: m.question,
    margin: m.margin,
    notes: m.notes,
    of: (r) => {
      const category = m.map(r.data);
      return category !== null && m.margin.has(category) ? category : null;
    },
  }));
  if (!codebook.useStatus) {
    skipped.push({
      dimension: "libraryUse",
      reason: "the survey has no library-use question (openDoor.useStatus)",
    });
  } else if (!input.libraryUse || input.libraryUse.residents <= 0) {
    skipped.push({
      dimension: "libraryUse",
      reason: "no patron export and census population have been imported",
    });
  } else {
    const { activeUsers, residents } = input.libraryUse;
    const users = Math.min(activeUsers, residents);
    const rule = codebook.useStatus;
    dimensionCategories.push({
      dimension: "libraryUse",
      question: rule.question,
      margin: new Map([
        [LIBRARY_USERS, users],
        [NON_USERS, residents - users],
      ]),
      notes: [
        "Library users: active cardholders of all ages in the latest patron export, against all residents in the census; respondents are users or non-users by their answer to the library-use question.",
      ],
      of: (r) => {
        const status = useStatusOf(r.data, rule);
        return status === "user" ? LIBRARY_USERS : status === "non-user" ? NON_USERS : null;
      },
    });
  }

  const assigned = dimensionCategories.map((d) => sorted.map((r) => d.of(r)));
  // Raking reads the same categories: the respondents are read once for every rake below.
  const read: Partial<Record<RakingDimension, (string | null)[]>> = {};
  dimensionCategories.forEach((d, index) => {
    if (d.dimension !== "libraryUse") read[d.dimension] = assigned[index] ?? [];
  });
  const dimensions: GuideDimension[] = dimensionCategories.map((d, index) => {
    const categories = assigned[index] ?? [];
    const counts = new Map<string, number>();
    for (const c of categories) if (c !== null) counts.set(c, (counts.get(c) ?? 0) + 1);
    const known = categories.filter((c) => c !== null).length;
    const population = [...d.margin.values()].reduce((a, b) => a + b, 0);
    const rows = [...d.margin]
      .filter(([, count]) => count > 0)
      .map(([category, count]) => ({
        category,
        population: count,
        respondents: counts.get(category) ?? 0,
      }));
    let partial: ReturnType<typeof partialRIndicators> | null = null;
    try {
      partial = known > 0 ? partialRIndicators(rows) : null;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
    const { targets, proportionalTotal } = targetsFor(
      d.dimension,
      rows.map((r) => ({ category: r.category, share: r.population / population })),
      input.targets,
    );
    return {
      dimension: d.dimension,
      question: d.question,
      known,
      unknown: categories.length - known,
      relativePartial: partial?.relativePartial ?? null,
      proportionalTotal,
      notes: d.notes,
      categories: rows.map((row) => {
        const communityShare = row.population / population;
        const target = targets.get(row.category) ?? null;
        return {
          category: row.category,
          population: row.population,
          communityShare,
          respondents: row.respondents,
          ...compareWithCommunity(row.respondents, known, communityShare),
          relativePartial:
            partial?.categories.find((c) => c.category === row.category)?.relativePartial ?? null,
          target,
          projection:
            target !== null && firstResponse
              ? projectTarget(row.respondents, target, firstResponse, input.today, input.endDate)
              : target !== null
                ? projectTarget(0, target, input.today, input.today, input.endDate)
                : null,
        };
      }),
    };
  });

  let overall: GuideOverall | null = null;
  let overallNote: string | null = null;
  if (sorted.length === 0) overallNote = "There are no responses yet.";
  else {
    try {
      overall = overallFor(codebook, sorted, margins, read);
    } catch (error) {
      if (!(error instanceof RangeError) && !(error instanceof InsufficientDataError)) throw error;
      overallNote = `The overall R-indicator needs raking, which is not possible yet: ${error.message}`;
    }
  }

  // Trend: the overall indicator over the responses up to the end of a day, at days at least
  // suppressBelow responses apart (so no point differs from the last by a small group).
  const dayCounts = new Map<string, number>();
  for (const r of sorted)
    dayCounts.set(isoDay(r.submittedAt), (dayCounts.get(isoDay(r.submittedAt)) ?? 0) + 1);
  const ends: { day: string; respondents: number }[] = [];
  let cumulative = 0;
  let last = 0;
  for (const [day, count] of dayCounts) {
    cumulative += count;
    if (cumulative - last >= Math.max(1, input.suppressBelow)) {
      ends.push({ day, respondents: cumulative });
      last = cumulative;
    }
  }
  // The last point holds every response: a short last stretch joins the point before it.
  const lastDay = sorted.length ? isoDay(sorted[sorted.length - 1]?.submittedAt as Date) : null;
  if (lastDay && cumulative > last) {
    if (ends.length) ends[ends.length - 1] = { day: lastDay, respondents: cumulative };
  }
  const step = Math.max(1, Math.ceil(ends.length / MAX_TREND_POINTS));
  const points = ends.filter((_, i) => (ends.length - 1 - i) % step === 0);
  const trend = points.map(({ day, respondents: count }) => {
    if (count === sorted.length && overall) {
      return { day, respondents: count, r: overall.r, maximalBias: overall.maximalBias };
    }
    try {
      const o = overallFor(codebook, sorted.slice(0, count), margins, read);
      return { day, respondents: count, r: o.r, maximalBias: o.maximalBias };
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return { day, respondents: count, r: null, maximalBias: null };
    }
  });

  const breakdown = (keyOf: (r: FieldworkRespondent) => string | null): GuideBreakdown[] => {
    const groups = new Map<string, GuideBreakdown>();
    sorted.forEach((r, index) => {
      const key = keyOf(r);
      if (key === null) return;
      const group = groups.get(key) ?? { key, respondents: 0, byDimension: {} };
      group.respondents++;
      dimensionCategories.forEach((d, di) => {
        const category = assigned[di]?.[index] ?? null;
        const map = group.byDimension[d.dimension] ?? new Map<string, number>();
        map.set(category ?? "", (map.get(category ?? "") ?? 0) + 1);
        group.byDimension[d.dimension] = map;
      });
      groups.set(key, group);
    });
    return [...groups.values()].sort(
      (a, b) => b.respondents - a.respondents || a.key.localeCompare(b.key),
    );
  };
  const channels = breakdown((r) => r.channel);
  const locations = breakdown((r) => (r.channel === "kiosk" ? r.location : null));

  const actions: GuideAction[] = dimensions
    .flatMap((d) =>
      d.categories
        .filter(
          (c) =>
            c.communityShare >= SMALLEST_GROUP_FOR_ACTION &&
            (c.representationIndex === null || c.representationIndex < UNDER_REPRESENTED),
        )
        .map((c) => {
          const gain =
            c.relativePartial !== null
              ? c.relativePartial ** 2
              : // no respondent known on the dimension yet: RI = 0 for every category
                c.communityShare;
          const best = locations
            .map((l) => {
              const inGroup = l.byDimension[d.dimension]?.get(c.category) ?? 0;
              return { key: l.key, share: inGroup / l.respondents, inGroup };
            })
            .filter((l) => l.inGroup > 0)
            .sort((a, b) => b.share - a.share || a.key.localeCompare(b.key))[0];
          return {
            dimension: d.dimension,
            category: c.category,
            gain,
            bestLocation: best?.key ?? null,
          };
        }),
    )
    .sort((a, b) => b.gain - a.gain || a.category.localeCompare(b.category))
    .slice(0, MAX_ACTIONS);

  return {
    respondents: sorted.length,
    firstDay: firstResponse ? isoDay(firstResponse) : null,
    dimensions,
    skipped,
    overall,
    overallNote,
    trend,
    channels,
    locations,
    actions,
  };
}
