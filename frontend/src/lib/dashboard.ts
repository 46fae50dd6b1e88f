// Dashboard figures from the public aggregates (integer euro cents) and the ECharts options built from them; no ECharts import here.
import type { Dashboard } from './api/public';

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

/** ECharts options (plain objects) for each chart: flows by month, capital and NAV, the two breakdowns, the Sankey. */
export function chartOptions(d: Dashboard, labels: ChartLabels): Record<string, object> {
  const months = [...new Set([...d.produced, ...d.exchanged, ...d.preserved].map((r) => r.month))].sort();
  const byMonth = <T extends { month: string }>(rows: T[], pick: (row: T) => number) =>
    months.map((m) => euros(pick(rows.find((r) => r.month === m) ?? ({} as T)) || 0));
  const tooltip = { trigger: 'axis' };
  const options: Record<string, object> = {
    flows: {
      animation: false,
      tooltip,
      legend: {},
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', name: '€' },
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
      yAxis: [{ type: 'value', name: '€' }, ...('nav' in d ? [{ type: 'value', name: labels.nav }] : [])],
      series: [
        { name: labels.capital, type: 'line', data: d.capital.map((r) => euros(r.amount_cents)) },
        ...('nav' in d
          ? [{ name: labels.nav, type: 'line', yAxisIndex: 1, data: d.nav.map((r) => [r.month, euros(r.unit_value_cents)]) }]
          : []),
      ],
    },
    kinds: {
      animation: false,
      tooltip: { trigger: 'item' },
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
      tooltip: { trigger: 'item' },
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
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'sankey',
          emphasis: { focus: 'adjacency' },
          data: d.sankey.nodes.map((n) => ({ name: n.name, label: { formatter: n.label } })),
          links: d.sankey.links.filter((l) => l.value > 0).map((l) => ({ source: l.source, target: l.target, value: euros(l.value) })),
        },
      ],
    },
  };
  return options;
}
