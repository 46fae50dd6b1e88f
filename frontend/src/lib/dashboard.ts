// Dashboard figures from the public aggregates (integer euro cents) and the ECharts options built from them; no ECharts import here.
import type { Dashboard } from './api/public';
import { formatCents, formatWholeEuros } from './money';

export interface Totals {
  produced: number;
  exchanged: number;
  exchanges: number;
  preserved: number;
  capital: number;
  /** The fiscal year's result to date (a commons' dashboard only; null when no year is open). */
  result: number | null;
  /** Earlier years' results not yet allocated (0 when none, or on the instance's dashboard). */
  priorResult: number;
}

/** Sums the monthly series; capital is the latest month's amount (a stock, not a flow); the
 * result is the server's, the same figure as the balance sheet's and the income statement's. */
export function totals(d: Dashboard): Totals {
  const sum = <T>(rows: T[], pick: (row: T) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const result = 'result' in d ? d.result : null;
  return {
    produced: sum(d.produced, (r) => r.total_cents),
    exchanged: sum(d.exchanged, (r) => r.amount_cents),
    exchanges: sum(d.exchanged, (r) => r.count),
    preserved: sum(d.preserved, (r) => r.total_cents),
    capital: d.capital.length ? d.capital[d.capital.length - 1].amount_cents : 0,
    result: result ? result.result_cents : null,
    priorResult: result ? result.prior_result_cents : 0,
  };
}

const euros = (cents: number) => cents / 100;

export interface ChartLabels {
  produced: string;
  exchanged: string;
  preserved: string;
  capital: string;
  nav: string;
  kinds: Record<string, string>;
  capitalKinds: Record<string, string>;
}

/** ECharts options (plain objects) for each chart: flows by month, capital and NAV, the two breakdowns, the Sankey.
 * Every figure the chart writes goes through the app's money formats for `locale` (ECharts' own would write
 * "7,000" in French); `narrow` (a phone) lays the Sankey out top to bottom. */
export function chartOptions(d: Dashboard, labels: ChartLabels, locale: 'fr' | 'en' = 'fr', narrow = false): Record<string, object> {
  const months = [...new Set([...d.produced, ...d.exchanged, ...d.preserved].map((r) => r.month))].sort();
  const byMonth = <T extends { month: string }>(rows: T[], pick: (row: T) => number) =>
    months.map((m) => euros(pick(rows.find((r) => r.month === m) ?? ({} as T)) || 0));
  const money = (value: number) => formatCents(Math.round(value * 100), locale);
  const axisLabel = { formatter: (value: number) => formatWholeEuros(Math.round(value * 100), locale) };
  const valueAxis = (name: string) => ({ type: 'value', name, axisLabel });
  const tooltip = { trigger: 'axis', valueFormatter: money };
  const options: Record<string, object> = {
    flows: {
      animation: false,
      tooltip,
      legend: {},
      xAxis: { type: 'category', data: months },
      yAxis: valueAxis(''),
      series: [
        { name: labels.produced, type: 'bar', data: byMonth(d.produced, (r) => r.total_cents) },
        { name: labels.exchanged, type: 'bar', data: byMonth(d.exchanged, (r) => r.amount_cents) },
        { name: labels.preserved, type: 'bar', data: byMonth(d.preserved, (r) => r.total_cents) },
      ],
    },
    capital: {
      animation: false,
      tooltip,
      legend: {},
      xAxis: { type: 'category', data: d.capital.map((r) => r.month) },
      yAxis: [valueAxis(''), ...('nav' in d ? [valueAxis(labels.nav)] : [])],
      series: [
        { name: labels.capital, type: 'line', data: d.capital.map((r) => euros(r.amount_cents)) },
        ...('nav' in d
          ? [{ name: labels.nav, type: 'line', yAxisIndex: 1, data: d.nav.map((r) => [r.month, euros(r.unit_value_cents)]) }]
          : []),
      ],
    },
    kinds: {
      animation: false,
      tooltip: { trigger: 'item', valueFormatter: money },
      series: [
        {
          type: 'pie',
          radius: ['35%', '70%'],
          data: d.contributions_by_kind.map((r) => ({ name: labels.kinds[r.kind] ?? r.kind, value: euros(r.amount_cents) })),
        },
      ],
    },
    capitalKinds: {
      animation: false,
      tooltip: { trigger: 'item', valueFormatter: money },
      series: [
        {
          type: 'pie',
          radius: ['35%', '70%'],
          data: d.assets_by_capital_kind.map((r) => ({ name: labels.capitalKinds[r.capital_kind] ?? r.capital_kind, value: euros(r.amount_cents) })),
        },
      ],
    },
    sankey: {
      animation: false,
      tooltip: { trigger: 'item', valueFormatter: money },
      series: [
        {
          type: 'sankey',
          emphasis: { focus: 'adjacency' },
          // On a phone the flows run top to bottom and the names, too many for the width, show on touch
          // only: the ranked list under the chart names every flow.
          ...(narrow
            ? { orient: 'vertical', top: 10, bottom: 10, left: 10, right: 10, nodeGap: 12, label: { show: false }, emphasis: { focus: 'adjacency', label: { show: true } } }
            : {}),
          data: d.sankey.nodes.map((n) => ({ name: n.name, label: { formatter: n.label } })),
          links: d.sankey.links.filter((l) => l.value > 0).map((l) => ({ source: l.source, target: l.target, value: euros(l.value) })),
        },
      ],
    },
  };
  return options;
}

/** A chart's figures as a table (its text alternative): column headings and rows of formatted cells. */
export interface ChartTable {
  head: string[];
  rows: string[][];
}

export interface TableLabels extends ChartLabels {
  month: string;
  kind: string;
  amount: string;
  flow: string;
}

/** The same figures as each chart, formatted for `locale`, for screen readers and anyone who prefers numbers. */
export function chartTables(d: Dashboard, labels: TableLabels, locale: 'fr' | 'en' = 'fr'): Record<string, ChartTable> {
  const money = (cents: number) => formatCents(cents, locale);
  const months = [...new Set([...d.produced, ...d.exchanged, ...d.preserved].map((r) => r.month))].sort();
  const at = <T extends { month: string }>(rows: T[], month: string, pick: (row: T) => number) => {
    const row = rows.find((r) => r.month === month);
    return row ? pick(row) : 0;
  };
  const hasNav = 'nav' in d;
  return {
    flows: {
      head: [labels.month, labels.produced, labels.exchanged, labels.preserved],
      rows: months.map((m) => [
        m,
        money(at(d.produced, m, (r) => r.total_cents)),
        money(at(d.exchanged, m, (r) => r.amount_cents)),
        money(at(d.preserved, m, (r) => r.total_cents)),
      ]),
    },
    capital: {
      head: [labels.month, labels.capital, ...(hasNav ? [labels.nav] : [])],
      rows: d.capital.map((r) => [
        r.month,
        money(r.amount_cents),
        ...(hasNav ? [(() => { const n = d.nav.find((v) => v.month === r.month); return n ? money(Math.round(n.unit_value_cents)) : ''; })()] : []),
      ]),
    },
    kinds: {
      head: [labels.kind, labels.amount],
      rows: d.contributions_by_kind.map((r) => [labels.kinds[r.kind] ?? r.kind, money(r.amount_cents)]),
    },
    capitalKinds: {
      head: [labels.kind, labels.amount],
      rows: d.assets_by_capital_kind.map((r) => [labels.capitalKinds[r.capital_kind] ?? r.capital_kind, money(r.amount_cents)]),
    },
    sankey: { head: [labels.flow, labels.amount], rows: rankedFlows(d).map((f) => [`${f.from} → ${f.to}`, money(f.value)]) },
  };
}

/** The Sankey's flows, largest first, with their nodes' labels (the list a phone reads beside the diagram). */
export function rankedFlows(d: Dashboard): { from: string; to: string; value: number }[] {
  const label = new Map(d.sankey.nodes.map((n) => [n.name, n.label]));
  return d.sankey.links
    .filter((l) => l.value > 0)
    .map((l) => ({ from: label.get(l.source) ?? l.source, to: label.get(l.target) ?? l.target, value: l.value }))
    .sort((a, b) => b.value - a.value);
}
