import { describe, expect, it } from 'vitest';
import {
  approvals,
  combinedLabel,
  fromCombined,
  eliminationsByAccount,
  emptyLeg,
  flowRows,
  graphOption,
  journalBalanced,
  legsPayload,
  linkRows,
  linkKindsText,
  mergedLinks,
  sankeySeries,
  sideOf,
  sideSummary,
  subNetwork,
  type Exchange,
  type ExchangeLeg,
  type Network,
} from './federation';

const network: Network = {
  nodes: [
    { slug: 'atelier', name: 'Atelier textile' },
    { slug: 'fonds', name: 'Fonds des sols' },
    { slug: 'foret', name: 'Forêt commune' },
  ],
  edges: [
    { source: 'atelier', target: 'fonds', kind: 'exchange' },
    { source: 'fonds', target: 'atelier', kind: 'holding', value_cents: 5000 },
    { source: 'foret', target: 'fonds', kind: 'borrowing' },
    { source: 'foret', target: 'private', kind: 'membership' },
  ],
  flows: [
    { source: 'atelier', target: 'fonds', value_cents: 120000 },
    { source: 'fonds', target: 'atelier', value_cents: 90000 },
    { source: 'fonds', target: 'foret', value_cents: 3000 },
    { source: 'fonds', target: 'ghost', value_cents: 10 },
  ],
};

const labels = { kinds: { exchange: 'Échange', holding: 'Détention', borrowing: 'Prêt', membership: 'Adhésion' } };

const leg = (over: Partial<ExchangeLeg>): ExchangeLeg => ({
  giver: 'a',
  kind: 'resource',
  label: 'x',
  quantity: '1',
  unit: '',
  giver_account: '21',
  receiver_account: '31',
  giver_book_cents: 0,
  value_a_cents: 0,
  value_b_cents: 0,
  consumed_on: null,
  consumption_entry_id: null,
  ...over,
});

describe('network', () => {
  it('merges the links between the same two commons and drops unknown commons', () => {
    expect(mergedLinks(network)).toEqual([
      { source: 'atelier', target: 'fonds', kinds: ['exchange', 'holding'], valueCents: 5000, contributors: 0 },
      { source: 'fonds', target: 'foret', kinds: ['borrowing'], valueCents: 0, contributors: 0 },
    ]);
  });

  it('says how many contributors two commons share, never who', () => {
    const shared = {
      ...network,
      edges: [...network.edges, { source: 'fonds', target: 'atelier', kind: 'contributors', value_cents: 0, count: 3 }],
    } as typeof network;
    const link = mergedLinks(shared)[0];
    expect(link.contributors).toBe(3);
    expect(linkKindsText(link, { kinds: { exchange: 'Échange', holding: 'Détention', contributors: 'contributeurs partagés' } })).toBe(
      'Échange, Détention, contributeurs partagés (3)',
    );
  });

  it('builds a graph series with one node per commons and one line per pair', () => {
    const option = graphOption(network, labels, ['fonds']);
    const series = option.series[0];
    expect(series.type).toBe('graph');
    expect(series.data.map((n) => n.id)).toEqual(['atelier', 'fonds', 'foret']);
    expect(series.data[1].itemStyle).toBeTruthy();
    expect(series.links).toHaveLength(2);
    expect(series.links[0].tooltip.formatter).toContain('Échange, Détention');
  });

  it('draws a Sankey without cycles: givers on the left, receivers on the right', () => {
    const { nodes, links } = sankeySeries(network);
    expect(links).toEqual([
      { source: 'out:atelier', target: 'in:fonds', value: 120000 },
      { source: 'out:fonds', target: 'in:atelier', value: 90000 },
      { source: 'out:fonds', target: 'in:foret', value: 3000 },
    ]);
    expect(nodes.every((n) => (n.name.startsWith('out:') ? n.depth === 0 : n.depth === 1))).toBe(true);
    expect(nodes.find((n) => n.name === 'in:foret')?.label).toBe('Forêt commune');
    // No link leaves a receiver: a cycle is impossible.
    const sources = new Set(links.map((l) => l.source));
    expect([...sources].every((s) => s.startsWith('out:'))).toBe(true);
  });

  it('gives the table alternatives', () => {
    expect(linkRows(network, labels)).toEqual([
      ['Atelier textile', 'Fonds des sols', 'Échange, Détention'],
      ['Fonds des sols', 'Forêt commune', 'Prêt'],
    ]);
    expect(flowRows(network).map((r) => r.value)).toEqual([120000, 90000, 3000]);
  });

  it('keeps the part among a federation’s members', () => {
    const part = subNetwork(network, ['atelier', 'fonds']);
    expect(part.nodes).toHaveLength(2);
    expect(part.edges).toHaveLength(2);
    expect(part.flows).toHaveLength(2);
  });
});

describe('combined label', () => {
  const members = [
    { slug: 'a', name: 'A' },
    { slug: 'b', name: 'B' },
  ];
  it('says combined only where the written agreement meets ANC 2020-01', () => {
    expect(combinedLabel({ members, anc_2020_01: true, written_agreement: true })).toBe('combined');
    expect(combinedLabel({ members, anc_2020_01: false, written_agreement: true })).toBe('aggregated');
    expect(combinedLabel({ members, anc_2020_01: true, written_agreement: false })).toBe('aggregated');
    expect(combinedLabel({ members })).toBe('aggregated');
    expect(combinedLabel({ members: members.slice(0, 1), anc_2020_01: true })).toBe('aggregated');
  });
  it('follows the server’s label when it gives one', () => {
    expect(combinedLabel({ members, anc_2020_01: false, label: 'combined' })).toBe('combined');
    expect(combinedLabel({ members, anc_2020_01: true, label: 'aggregated' })).toBe('aggregated');
  });
});

describe('elimination journal', () => {
  const entries = [
    { label: 'Titres détenus', lines: [{ account: '101', debit_cents: 5000, credit_cents: 0 }, { account: '261', debit_cents: 0, credit_cents: 5000 }] },
    { label: 'Échange', lines: [{ account: '757', debit_cents: 300, credit_cents: 0 }, { account: '657', debit_cents: 0, credit_cents: 300 }] },
  ];
  it('sums by account and checks balance', () => {
    expect(eliminationsByAccount(entries).get('261')).toBe(-5000);
    expect(journalBalanced(entries)).toBe(true);
    expect(journalBalanced([{ label: 'x', lines: [{ account: '1', debit_cents: 1, credit_cents: 0 }] }])).toBe(false);
  });
});

describe('exchanges', () => {
  const exchange = { commons_a: 'atelier', commons_b: 'fonds' };
  it('finds our side', () => {
    expect(sideOf(exchange, 'fonds')).toBe('b');
    expect(sideOf(exchange, 'foret')).toBeNull();
  });

  it('gives each side its own equity change, the two valuations kept apart', () => {
    const legs = [
      leg({ giver: 'a', value_a_cents: 100000, value_b_cents: 120000, giver_book_cents: 80000 }),
      leg({ giver: 'b', kind: 'use', giver_account: '', value_a_cents: 110000, value_b_cents: 90000 }),
    ];
    expect(sideSummary(legs, 'a')).toEqual({ receivedCents: 110000, givenCents: 100000, givenBookCents: 80000, equityChangeCents: 30000 });
    expect(sideSummary(legs, 'b')).toEqual({ receivedCents: 120000, givenCents: 90000, givenBookCents: 0, equityChangeCents: 120000 });
  });

  it('tells each side’s approval', () => {
    const base = { proposal_a_id: 3, decision_a_id: 9, proposal_b_id: 4, decision_b_id: null } as Exchange;
    expect(approvals(base)).toEqual({ a: 'passed', b: 'voting' });
    expect(approvals({ ...base, proposal_b_id: null })).toEqual({ a: 'passed', b: 'not_opened' });
  });

  it('turns the form into legs, refusing a one-sided exchange and missing values', () => {
    const give = { ...emptyLeg('us'), label: 'Fibres', ourValue: '1 000', theirValue: '1200,50', bookValue: '800', giverAccount: '37', receiverAccount: '31' };
    const get = { ...emptyLeg('them'), kind: 'use' as const, label: 'Atelier', ourValue: '1100', theirValue: '900' };
    const ok = legsPayload([give, get]);
    expect(ok.problems).toEqual({});
    expect(ok.legs[0]).toMatchObject({ giver: 'a', value_a_cents: 100000, value_b_cents: 120050, giver_book_cents: 80000, giver_account: '37', receiver_account: '31' });
    expect(ok.legs[1]).toMatchObject({ giver: 'b', kind: 'use', giver_account: '', receiver_account: '', giver_book_cents: 0 });

    expect(legsPayload([give]).problems.legs).toBe('exchange_one_sided');
    const bad = legsPayload([{ ...give, ourValue: '0', label: ' ' }, get]).problems;
    expect(bad['legs.0.value_a_cents']).toBe('amount_not_positive');
    expect(bad['legs.0.label']).toBe('required');
  });

  it('sends the day a use we receive is used by, only for a use or service we receive', () => {
    const give = { ...emptyLeg('us'), kind: 'service' as const, label: 'Formation', ourValue: '50', theirValue: '50', consumedOn: '2026-09-30' };
    const get = { ...emptyLeg('them'), kind: 'use' as const, label: 'Atelier', ourValue: '50', theirValue: '40', consumedOn: '2026-09-30' };
    const ok = legsPayload([give, get]);
    expect(ok.problems).toEqual({});
    expect(ok.legs[0].consumed_on).toBeNull();
    expect(ok.legs[1].consumed_on).toBe('2026-09-30');
    expect(legsPayload([give, { ...get, consumedOn: '' }]).legs[1].consumed_on).toBeNull();
    expect(legsPayload([give, { ...get, consumedOn: '2026-02-30' }]).problems['legs.1.consumed_on']).toBe('invalid_value');
  });

  it('values cash the same on both sides', () => {
    const cash = { ...emptyLeg('them'), kind: 'cash' as const, label: 'Virement', ourValue: '50', theirValue: '' };
    const give = { ...emptyLeg('us'), kind: 'service' as const, label: 'Formation', ourValue: '50', theirValue: '50' };
    const { legs, problems } = legsPayload([give, cash]);
    expect(problems).toEqual({});
    expect(legs[1]).toMatchObject({ value_a_cents: 5000, value_b_cents: 5000, giver_book_cents: 5000 });
  });
});

describe('combined books from the server', () => {
  const out = {
    slug: 'reseau',
    name: 'Réseau',
    title: 'comptes agrégés',
    agreement_ref: '',
    at: '2026-12-03',
    members: ['a', 'b'],
    combined: false,
    member_commons: [
      { slug: 'a', name: 'A', joined_at: '2026-03-01T10:00:00Z', decision_id: 4 },
      { slug: 'b', name: 'B', joined_at: null, decision_id: null },
    ],
    accounts: [
      { account: '261', label: 'Titres', type: 'asset', sum_cents: 5000, elimination_cents: -5000, combined_cents: 0 },
      { account: '1013', label: 'Capital', type: 'equity', sum_cents: -20000, elimination_cents: 5000, combined_cents: -15000 },
      { account: '706', label: 'Ventes', type: 'income', sum_cents: -700, elimination_cents: 0, combined_cents: -700 },
      { account: '613', label: 'Loyers', type: 'expense', sum_cents: 300, elimination_cents: 0, combined_cents: 300 },
    ],
    elimination_journal: [{ reason: 'Titres de a détenus par b', lines: [{ account: '1013', debit_cents: 5000, credit_cents: 0 }, { account: '261', debit_cents: 0, credit_cents: 5000 }] }],
    indicators: [{ code: 'co2_avoided', unit: 'tCO2e', total: '12.500' }],
    totals: { assets_cents: 0, liabilities_cents: 0, equity_cents: 15000, income_cents: 700, expenses_cents: 300, result_cents: 400 },
  };
  it('splits the statements, turns credit-nature accounts positive and keeps the journal', () => {
    const { federation, statements } = fromCombined(out);
    expect(federation.label).toBe('aggregated');
    expect(federation.members.map((m) => m.slug)).toEqual(['a', 'b']);
    expect(statements.balance_sheet.map((l) => [l.account, l.sum_cents, l.eliminated_cents, l.combined_cents])).toEqual([
      ['261', 5000, -5000, 0],
      ['1013', 20000, -5000, 15000],
    ]);
    expect(statements.income_statement.map((l) => [l.account, l.combined_cents])).toEqual([
      ['706', 700],
      ['613', 300],
    ]);
    expect(statements.eliminations[0].label).toBe('Titres de a détenus par b');
    expect(journalBalanced(statements.eliminations)).toBe(true);
    expect(statements.indicators).toEqual([{ code: 'co2_avoided', unit: 'tCO2e', total: '12.500' }]);
    expect(fromCombined({ ...out, combined: true }).federation.label).toBe('combined');
  });
});
