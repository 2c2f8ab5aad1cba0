// The fieldwork guide as the page's charts and as CSV rows, from the presented report.

import type { ChartTable, TextCell } from "./chart-table.ts";
import type { FieldworkReport, PresentedDimension } from "./fieldwork-present.ts";
import type { CountCell } from "./suppression.ts";

function text(display: string, value: number | null = null, range?: [number, number]): TextCell {
  return { value, display, suppressed: false, range };
}

const share = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);
const ratio = (v: number | null) => (v === null ? "–" : v.toFixed(2));

/** The page's charts: paired bars and index per dimension, the trend. */
export function fieldworkCharts(report: FieldworkReport): {
  dimensions: { dimension: PresentedDimension; shares: ChartTable; index: ChartTable }[];
  trend: ChartTable;
} {
  return {
    dimensions: report.dimensions.map((d) => ({
      dimension: d,
      shares: {
        id: `fieldwork-shares-${d.dimension}`,
        title: `${d.label}: share of residents and share of respondents`,
        caption:
          "Bars side by side: where the respondents' bar is shorter, the survey is hearing less from that group than its size.",
        kind: "bar",
        percent: true,
        horizontal: d.categories.length > 8,
        categoryLabel: d.label,
        series: ["Residents", "Respondents", "Responses"],
        plot: [0, 1],
        rows: d.categories.map((c) => ({
          label: c.category,
          cells: [
            text(share(c.communityShare), c.communityShare),
            text(share(c.respondentShare), c.respondentShare),
            c.respondents,
          ],
        })),
      },
      index: {
        id: `fieldwork-index-${d.dimension}`,
        title: `${d.label}: representation index with its 95% interval`,
        caption:
          "1.0 means the group answers in proportion to its size; below 0.8 the guide suggests an action.",
        kind: "range",
        horizontal: true,
        categoryLabel: d.label,
        series: ["95% interval", "Representation index", "Partial R-indicator (relative)"],
        plot: [0],
        rows: d.categories.map((c) => ({
          label: c.category,
          cells: [
            text(
              c.interval ? `${ratio(c.interval[0])}–${ratio(c.interval[1])}` : "–",
              null,
              c.interval ?? undefined,
            ),
            text(ratio(c.representationIndex), c.representationIndex),
            text(
              c.relativePartial === null ? "–" : c.relativePartial.toFixed(3),
              c.relativePartial,
            ),
          ],
        })),
      },
    })),
    trend: {
      id: "fieldwork-trend",
      title: "Representativeness as responses came in",
      caption:
        "The R-indicator (1 = every group answers at the same rate) and the maximal bias of a percentage, at the end of each day that added enough responses.",
      kind: "line",
      categoryLabel: "Day",
      series: ["Maximal bias of a percentage", "R-indicator", "Responses so far"],
      plot: [0],
      percent: true,
      rows: report.trend.map((p) => ({
        label: p.day,
        cells: [
          text(p.maximalBias === null ? "–" : share(p.maximalBias), p.maximalBias),
          text(p.r === null ? "–" : p.r.toFixed(4), p.r),
          p.respondents,
        ],
      })),
    },
  };
}

/** The guide as long CSV rows: section, dimension, category, measure, value. */
export function fieldworkCsvRows(report: FieldworkReport): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [
    ["section", "dimension", "category", "measure", "value"],
  ];
  const count = (c: CountCell) => (c.value === null ? c.display : c.value);
  rows.push(["overall", "", "", "respondents", count(report.respondents)]);
  if (report.overall) {
    rows.push(["overall", "", "", "r_indicator", report.overall.r]);
    rows.push(["overall", "", "", "maximal_bias", report.overall.maximalBias]);
    rows.push(["overall", "", "", "weight_cv", report.overall.weightCv]);
    rows.push(["overall", "", "", "design_effect", report.overall.designEffect]);
    for (const m of report.overall.missedMargins)
      rows.push(["overall", m.dimension, "", "weighted_margin_missed_by", m.deviation]);
  }
  for (const d of report.dimensions) {
    rows.push(["dimension", d.dimension, "", "known", count(d.known)]);
    rows.push(["dimension", d.dimension, "", "not_known", count(d.unknown)]);
    rows.push(["dimension", d.dimension, "", "partial_r_relative", d.relativePartial]);
    for (const c of d.categories) {
      rows.push(["category", d.dimension, c.category, "community_share", c.communityShare]);
      rows.push(["category", d.dimension, c.category, "respondents", count(c.respondents)]);
      rows.push(["category", d.dimension, c.category, "respondent_share", c.respondentShare]);
      rows.push([
        "category",
        d.dimension,
        c.category,
        "representation_index",
        c.representationIndex,
      ]);
      rows.push(["category", d.dimension, c.category, "ri_low", c.interval?.[0] ?? null]);
      rows.push(["category", d.dimension, c.category, "ri_high", c.interval?.[1] ?? null]);
      rows.push(["category", d.dimension, c.category, "partial_r_relative", c.relativePartial]);
      if (c.target !== null) {
        rows.push(["target", d.dimension, c.category, "target", c.target]);
        rows.push(["target", d.dimension, c.category, "projected_date", c.projectedDate]);
        rows.push(["target", d.dimension, c.category, "status", c.status]);
      }
    }
  }
  for (const b of [...report.channels, ...report.locations]) {
    rows.push([b.by, "", b.label, "respondents", count(b.respondents)]);
    for (const d of report.dimensions) {
      (b.byDimension[d.dimension] ?? []).forEach((c, i) => {
        rows.push([
          b.by,
          d.dimension,
          `${b.label}: ${d.categories[i]?.category ?? ""}`,
          "respondents",
          count(c),
        ]);
      });
    }
  }
  for (const a of report.actions)
    rows.push(["action", a.dimension, a.category, `rank_${a.rank}`, a.sentence]);
  return rows;
}
