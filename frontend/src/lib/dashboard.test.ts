// Dashboard totals and chart options from the public aggregates; the SSE poke parser.
import { describe, expect, it } from 'vitest';
import type { CommonsDashboard } from './api/public';
import { pokeCursor } from './api/public';
import { chartOptions, chartTables, rankedFlows, totals } from './dashboard';

const dashboard: CommonsDashboard = {
  commons_slug: 'jardin',
  at: '2026-11-26',
  unit: 'EUR cents',
  result: { period_start: '2026-01-01', period_end: '2026-12-31', result_cents: 1234, prior_result_cents: 696_600 },
  produced: [
    { month: '2026-10', cash: 1000, in_kind: 0, labour: 500, total_cents: 1500 },
    { month: '2026-11', cash: 0, in_kind: 2000, labour: 0, total_cents: 2000 },
  ],
  exchanged: [{ month: '2026-11', count: 2, amount_cents: 700 }],
  preserved: [{ month: '2026-11', levies: 10, taxes: 5, total_cents: 15 }],
  capital: [
    { month: '2026-10', amount_cents: 1500 },
    { month: '2026-11', amount_cents: 3500 },
  ],
  nav: [{ month: '2026-11', unit_value_cents: 100, outstanding: '35.0000' }],
  contributions_by_kind: [{ kind: 'cash', amount_cents: 1000 }],
  assets_by_capital_kind: [{ capital_kind: 'financial', amount_cents: 3500 }],
  sankey: {
    unit: 'EUR cents',
    nodes: [
      { name: 'a', label: 'A', group: 'contributors' },
      { name: 'c', label: 'C', group: 'commons' },
    ],
    links: [
      { source: 'a', target: 'c', value: 1500 },
      { source: 'a', target: 'c', value: 0 },
    ],
  },
};

const labels = { produced: 'P', exchanged: 'E', preserved: 'K', capital: 'C', nav: 'N', kinds: { cash: 'numéraire' }, capitalKinds: {} };

describe('totals', () => {
  it('sums the flows and takes the latest capital', () => {
    expect(totals(dashboard)).toEqual({
      produced: 3500,
      exchanged: 700,
      exchanges: 2,
      preserved: 15,
      capital: 3500,
      result: 1234,
      priorResult: 696_600,
    });
  });

  it('is zero on an empty dashboard', () => {
    const empty = { ...dashboard, result: null, produced: [], exchanged: [], preserved: [], capital: [] };
    expect(totals(empty)).toEqual({ produced: 0, exchanged: 0, exchanges: 0, preserved: 0, capital: 0, result: null, priorResult: 0 });
  });

  it('has no result on the instance dashboard, which sums commons with their own fiscal years', () => {
    const { commons_slug: _slug, nav: _nav, result: _result, ...rest } = dashboard;
    const instance = { ...rest, commons_count: 2 };
    expect(totals(instance).result).toBeNull();
  });
});

describe('chartOptions', () => {
  it('aligns the monthly series on the same months, in euros', () => {
    const flows = chartOptions(dashboard, labels).flows as { xAxis: { data: string[] }; series: { data: number[] }[] };
    expect(flows.xAxis.data).toEqual(['2026-10', '2026-11']);
    expect(flows.series.map((s) => s.data)).toEqual([[15, 20], [0, 7], [0, 0.15]]);
  });

  it('drops empty Sankey links and labels kinds', () => {
    const options = chartOptions(dashboard, labels);
    const sankey = options.sankey as { series: { links: unknown[] }[] };
    expect(sankey.series[0].links).toHaveLength(1);
    const kinds = options.kinds as { series: { data: { name: string }[] }[] };
    expect(kinds.series[0].data[0].name).toBe('numéraire');
  });
});

describe('chart number formats', () => {
  type Axis = { axisLabel: { formatter: (v: number) => string } };
  type Tip = { valueFormatter: (v: number) => string };

  it('writes amounts the French way, not ECharts\' "7,000"', () => {
    const flows = chartOptions(dashboard, labels, 'fr').flows as { yAxis: Axis; tooltip: Tip };
    expect(flows.yAxis.axisLabel.formatter(7000)).toBe('7\u202f000\u00a0€');
    expect(flows.tooltip.valueFormatter(7000.5)).toBe('7\u202f000,50\u00a0€');
    const pie = chartOptions(dashboard, labels, 'fr').kinds as { tooltip: Tip };
    expect(pie.tooltip.valueFormatter(1234.56)).toBe('1\u202f234,56\u00a0€');
  });

  it('writes them the English way in English', () => {
    const flows = chartOptions(dashboard, labels, 'en').flows as { yAxis: Axis };
    expect(flows.yAxis.axisLabel.formatter(7000)).toBe('€7,000');
  });

  it('lays the Sankey out top to bottom on a phone', () => {
    const wide = chartOptions(dashboard, labels, 'fr', false).sankey as { series: { orient?: string }[] };
    const narrow = chartOptions(dashboard, labels, 'fr', true).sankey as { series: { orient?: string }[] };
    expect(wide.series[0].orient).toBeUndefined();
    expect(narrow.series[0].orient).toBe('vertical');
  });
});

describe('chartTables', () => {
  const tableLabels = { ...labels, month: 'Mois', kind: 'Nature', amount: 'Montant', flow: 'Flux' };

  it('gives every chart its figures as a table, in French', () => {
    const tables = chartTables(dashboard, tableLabels, 'fr');
    expect(tables.flows.head).toEqual(['Mois', 'P', 'E', 'K']);
    expect(tables.flows.rows).toEqual([
      ['2026-10', '15,00\u00a0€', '0,00\u00a0€', '0,00\u00a0€'],
      ['2026-11', '20,00\u00a0€', '7,00\u00a0€', '0,15\u00a0€'],
    ]);
    expect(tables.capital.rows).toEqual([
      ['2026-10', '15,00\u00a0€', ''],
      ['2026-11', '35,00\u00a0€', '1,00\u00a0€'],
    ]);
    expect(tables.kinds.rows).toEqual([['numéraire', '10,00\u00a0€']]);
    expect(tables.sankey.rows).toEqual([['A → C', '15,00\u00a0€']]);
  });

  it('ranks the Sankey flows, largest first, without the empty ones', () => {
    const d = {
      ...dashboard,
      sankey: {
        ...dashboard.sankey,
        links: [
          { source: 'a', target: 'c', value: 100 },
          { source: 'c', target: 'a', value: 900 },
          { source: 'a', target: 'c', value: 0 },
        ],
      },
    };
    expect(rankedFlows(d)).toEqual([
      { from: 'C', to: 'A', value: 900 },
      { from: 'A', to: 'C', value: 100 },
    ]);
  });
});

describe('pokeCursor', () => {
  it('reads the cursor of a poke and refuses anything else', () => {
    expect(pokeCursor('{"cursor": 42}')).toBe(42);
    expect(pokeCursor('{"cursor": "42"}')).toBeNull();
    expect(pokeCursor('not json')).toBeNull();
  });
});
