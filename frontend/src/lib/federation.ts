// Cooperation between commons: the shapes the federation API answers, and pure helpers for the exchange form,
// the approval status of each side, the combined/aggregated label, and the network graph and Sankey.
import { parseEuros, parseQuantity } from './amount';
import type { components } from './api/schema';
import { formatCents } from './money';

export type Side = 'a' | 'b';
export const LEG_KINDS = ['resource', 'use', 'service', 'cash', 'financial'] as const;
export type LegKind = (typeof LEG_KINDS)[number];
export const BORROWING_KINDS = ['fungible', 'specific'] as const;
export type BorrowingKind = (typeof BORROWING_KINDS)[number];
export const LINK_KINDS = ['membership', 'holding', 'exchange', 'borrowing', 'contributors'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

type Schemas = components['schemas'];
/** One line of an exchange: who gives, what, and each side's own valuation in cents (federation/schemas.py LegOut). */
export type ExchangeLeg = Schemas['LegOut'];
export type LegIn = Schemas['LegIn'];
/** One exchange agreement, commons named by slug (ExchangeOut). */
export type Exchange = Schemas['ExchangeOut'];
export type Borrowing = Schemas['BorrowingOut'];
export type Participation = Schemas['ParticipationOut'];
/** GET /api/v1/public/network (and a federation's own part of it). */
export type Network = Schemas['NetworkOut'];
export type NetworkNode = Network['nodes'][number];

export interface FederationMember {
  slug: string;
  name: string;
  joined_at?: string | null;
  decision_id?: number | null;
  proposal_id?: number | null;
  state?: string;
}

export interface StatementLine {
  account: string;
  label: string;
  /** Per member slug, then the sum, the eliminations and the combined figure, in cents. */
  members?: Record<string, number>;
  sum_cents?: number;
  eliminated_cents?: number;
  combined_cents: number;
}

export interface EliminationLine {
  account: string;
  label?: string;
  debit_cents: number;
  credit_cents: number;
  commons?: string;
  reason?: string;
}

export interface EliminationEntry {
  id?: number | string;
  label: string;
  lines: EliminationLine[];
}

export interface CombinedStatements {
  label?: 'combined' | 'aggregated' | string;
  at?: string;
  balance_sheet: StatementLine[];
  income_statement: StatementLine[];
  eliminations: EliminationEntry[];
  indicators?: { code: string; unit: string; total: string | number }[];
  totals?: CombinedOut['totals'];
}

export interface Federation {
  slug: string;
  name: string;
  description?: string;
  /** Whether the members' written agreement meets ANC regulation 2020-01 (combination). */
  anc_2020_01?: boolean;
  written_agreement?: boolean;
  label?: 'combined' | 'aggregated' | string;
  members: FederationMember[];
  my_roles?: string[];
}

// --- Exchanges ------------------------------------------------------------------------------------

/** Which side of the exchange `slug` is, or null when it is neither. */
export function sideOf(exchange: Pick<Exchange, 'commons_a' | 'commons_b'>, slug: string): Side | null {
  if (exchange.commons_a === slug) return 'a';
  if (exchange.commons_b === slug) return 'b';
  return null;
}

export function otherSide(side: Side): Side {
  return side === 'a' ? 'b' : 'a';
}

export function valueFor(leg: Pick<ExchangeLeg, 'value_a_cents' | 'value_b_cents'>, side: Side): number {
  return side === 'a' ? leg.value_a_cents : leg.value_b_cents;
}

/**
 * One side's own view of the exchange: what it receives at its own value, what it gives at its own value and at
 * book value, and its valuation difference (received less the book value given), as domain.equity_change computes
 * it: its equity moves by that less the uses and services it receives once it has used them (an expense).
 */
export function sideSummary(legs: ExchangeLeg[], side: Side) {
  const received = legs.filter((l) => l.giver !== side);
  const given = legs.filter((l) => l.giver === side);
  const receivedCents = received.reduce((s, l) => s + valueFor(l, side), 0);
  const givenCents = given.reduce((s, l) => s + valueFor(l, side), 0);
  const givenBookCents = given.reduce((s, l) => s + (l.kind === 'cash' ? valueFor(l, side) : l.giver_book_cents), 0);
  return { receivedCents, givenCents, givenBookCents, equityChangeCents: receivedCents - givenBookCents };
}

export type ApprovalStatus = 'not_opened' | 'voting' | 'passed';

/** Each side's decision: not yet opened, being voted on, or passed (nothing moves until both pass). */
export function approvals(e: Exchange): Record<Side, ApprovalStatus> {
  const status = (proposal: number | null, decision: number | null): ApprovalStatus =>
    decision !== null ? 'passed' : proposal !== null ? 'voting' : 'not_opened';
  return { a: status(e.proposal_a_id, e.decision_a_id), b: status(e.proposal_b_id, e.decision_b_id) };
}

/** A leg as typed in the form: euros and quantities as text, our value and the other side's. */
export interface LegDraft {
  giver: 'us' | 'them';
  kind: LegKind;
  label: string;
  quantity: string;
  unit: string;
  ourValue: string;
  theirValue: string;
  bookValue: string;
  giverAccount: string;
  receiverAccount: string;
  /** A use or service we receive: the day we will have used it by (YYYY-MM-DD; empty: at once). */
  consumedOn: string;
}

/** A use or a service we receive: it becomes our expense once used, at once or by a day we give. */
export function consumable(d: Pick<LegDraft, 'giver' | 'kind'>): boolean {
  return d.giver === 'them' && (d.kind === 'use' || d.kind === 'service');
}

function isDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return day.toISOString().slice(0, 10) === text;
}

export function emptyLeg(giver: 'us' | 'them'): LegDraft {
  return { giver, kind: 'resource', label: '', quantity: '1', unit: '', ourValue: '', theirValue: '', bookValue: '', giverAccount: '', receiverAccount: '', consumedOn: '' };
}

export type LegProblems = Record<string, string>;

/**
 * The legs as the server wants them (the proposer is side a), or the problems found, keyed like the server's
 * fields (`legs.0.value_a_cents`, `legs`). Cash is worth its amount to both sides, so its other value follows ours.
 */
export function legsPayload(drafts: LegDraft[]): { legs: LegIn[]; problems: LegProblems } {
  const problems: LegProblems = {};
  const legs: LegIn[] = [];
  if (!drafts.some((d) => d.giver === 'us') || !drafts.some((d) => d.giver === 'them')) problems.legs = 'exchange_one_sided';
  drafts.forEach((d, i) => {
    const at = (name: string) => `legs.${i}.${name}`;
    if (!d.label.trim()) problems[at('label')] = 'required';
    const quantity = parseQuantity(d.quantity || '1');
    if (quantity === null || Number(quantity) <= 0) problems[at('quantity')] = 'invalid_value';
    const ours = parseEuros(d.ourValue);
    const theirs = d.kind === 'cash' ? ours : parseEuros(d.theirValue);
    if (ours === null || ours <= 0) problems[at('value_a_cents')] = 'amount_not_positive';
    if (theirs === null || theirs <= 0) problems[at('value_b_cents')] = 'amount_not_positive';
    let book = 0;
    if (d.kind === 'resource' || d.kind === 'financial') {
      const value = d.bookValue.trim() ? parseEuros(d.bookValue) : 0;
      if (value === null || value < 0) problems[at('giver_book_cents')] = 'invalid_value';
      else book = value;
      if (!d.giverAccount.trim() || !d.receiverAccount.trim()) problems[at('giver_account')] = 'required';
    }
    if (d.kind === 'cash') book = ours ?? 0;
    const consumedOn = consumable(d) ? d.consumedOn.trim() : '';
    if (consumedOn && !isDay(consumedOn)) problems[at('consumed_on')] = 'invalid_value';
    legs.push({
      giver: d.giver === 'us' ? 'a' : 'b',
      kind: d.kind,
      label: d.label.trim(),
      quantity: quantity ?? '1',
      unit: d.unit.trim(),
      giver_account: d.kind === 'resource' || d.kind === 'financial' ? d.giverAccount.trim() : '',
      receiver_account: d.kind === 'use' || d.kind === 'service' || d.kind === 'cash' ? '' : d.receiverAccount.trim(),
      giver_book_cents: book,
      value_a_cents: ours ?? 0,
      value_b_cents: theirs ?? 0,
      consumed_on: consumedOn || null,
    });
  });
  return { legs, problems };
}

// --- Federations -----------------------------------------------------------------------------------

/**
 * "Comptes combinés" only where the members' written agreement meets ANC regulation 2020-01, otherwise
 * "comptes agrégés"; the server's own label wins when it gives one.
 */
export function combinedLabel(f: Pick<Federation, 'label' | 'anc_2020_01' | 'written_agreement' | 'members'>): 'combined' | 'aggregated' {
  if (f.label === 'combined' || f.label === 'aggregated') return f.label;
  const members = f.members.filter((m) => !m.state || m.state === 'member' || m.state === 'active');
  return f.anc_2020_01 === true && f.written_agreement !== false && members.length >= 2 ? 'combined' : 'aggregated';
}

export type CombinedOut = Schemas['CombinedOut'];

// Accounts of credit nature are shown positive on the statements, as a balance sheet reads.
const CREDIT_NATURE = new Set(['liability', 'equity', 'income']);
const BALANCE_SHEET = new Set(['asset', 'liability', 'equity']);

/** The server's combined (or aggregated) books as the page shows them: the federation and its
 *  members, the balance sheet and income statement lines (credit-nature accounts turned positive),
 *  and the elimination journal by reason. */
export function fromCombined(out: CombinedOut): { federation: Federation; statements: CombinedStatements } {
  const label = out.combined ? 'combined' : 'aggregated';
  const lines = (keep: (type: string) => boolean): StatementLine[] =>
    out.accounts
      .filter((row) => keep(row.type))
      .map((row) => {
        const sign = CREDIT_NATURE.has(row.type) ? -1 : 1;
        return {
          account: row.account,
          label: row.label,
          sum_cents: sign * row.sum_cents,
          eliminated_cents: sign * row.elimination_cents,
          combined_cents: sign * row.combined_cents,
        };
      });
  return {
    federation: { slug: out.slug, name: out.name, label, members: out.member_commons },
    statements: {
      label,
      at: out.at,
      balance_sheet: lines((type) => BALANCE_SHEET.has(type)),
      income_statement: lines((type) => !BALANCE_SHEET.has(type)),
      eliminations: out.elimination_journal.map((entry) => ({ label: entry.reason, lines: entry.lines })),
      indicators: out.indicators,
      totals: out.totals,
    },
  };
}

/** Sum of the eliminations by account (debit minus credit), to show beside each combined line. */
export function eliminationsByAccount(entries: EliminationEntry[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const entry of entries) {
    for (const line of entry.lines) totals.set(line.account, (totals.get(line.account) ?? 0) + line.debit_cents - line.credit_cents);
  }
  return totals;
}

/** An elimination journal balances: every entry's debits equal its credits. */
export function journalBalanced(entries: EliminationEntry[]): boolean {
  return entries.every((e) => e.lines.reduce((s, l) => s + l.debit_cents - l.credit_cents, 0) === 0);
}

// --- The network, drawn -----------------------------------------------------------------------------

export interface NetworkLabels {
  kinds: Record<string, string>;
}

/** Links between the same two commons merged into one, with every kind it carries (the graph draws one line). */
export interface MergedLink {
  source: string;
  target: string;
  kinds: string[];
  valueCents: number;
  /** How many shared contributors (kind `contributors`): a count, never who. */
  contributors: number;
}

export function mergedLinks(network: Network): MergedLink[] {
  const known = new Set(network.nodes.map((n) => n.slug));
  const byPair = new Map<string, MergedLink>();
  for (const e of network.edges) {
    if (!known.has(e.source) || !known.has(e.target) || e.source === e.target) continue;
    const [a, b] = e.source < e.target ? [e.source, e.target] : [e.target, e.source];
    const key = `${a}\u0000${b}`;
    const link = byPair.get(key) ?? { source: a, target: b, kinds: [], valueCents: 0, contributors: 0 };
    if (!link.kinds.includes(e.kind)) link.kinds.push(e.kind);
    link.valueCents += e.value_cents ?? 0;
    if (e.kind === 'contributors') link.contributors += e.count ?? 0;
    byPair.set(key, link);
  }
  return [...byPair.values()].sort((x, y) => x.source.localeCompare(y.source) || x.target.localeCompare(y.target));
}

/** The kinds of a link in words, shared contributors with their count: "Échange, contributeurs partagés (3)". */
export function linkKindsText(link: MergedLink, labels: NetworkLabels): string {
  return link.kinds
    .map((k) => {
      const label = labels.kinds[k] ?? k;
      return k === 'contributors' && link.contributors ? `${label} (${link.contributors})` : label;
    })
    .join(', ');
}

const KIND_COLOURS: Record<string, string> = {
  membership: '#1f5fa8',
  holding: '#7a3e9d',
  exchange: '#1c7c54',
  borrowing: '#b35c00',
  contributors: '#6b6b6b',
};

/** An ECharts graph option: one node per commons (sized by its links), one line per linked pair. */
export function graphOption(network: Network, labels: NetworkLabels, highlight: string[] = []) {
  const links = mergedLinks(network);
  const degree = new Map<string, number>();
  for (const l of links) {
    degree.set(l.source, (degree.get(l.source) ?? 0) + 1);
    degree.set(l.target, (degree.get(l.target) ?? 0) + 1);
  }
  const name = new Map(network.nodes.map((n) => [n.slug, n.name]));
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'graph',
        layout: 'force',
        roam: true,
        draggable: true,
        force: { repulsion: 180, edgeLength: 90 },
        label: { show: true, position: 'right', fontSize: 11 },
        data: network.nodes.map((n) => ({
          id: n.slug,
          name: n.name,
          symbolSize: 14 + 4 * Math.min(degree.get(n.slug) ?? 0, 6),
          itemStyle: highlight.includes(n.slug) ? { borderColor: '#111', borderWidth: 2 } : undefined,
        })),
        links: links.map((l) => ({
          source: l.source,
          target: l.target,
          lineStyle: { color: KIND_COLOURS[l.kinds[0]] ?? '#888', width: 1 + l.kinds.length },
          tooltip: { formatter: `${name.get(l.source)} — ${name.get(l.target)}<br>${linkKindsText(l, labels)}` },
        })),
      },
    ],
  };
}

/**
 * The Sankey's nodes and links: givers on the left, receivers on the right (a node per commons and direction),
 * so two commons that give each other value draw no cycle, which a Sankey cannot.
 */
export function sankeySeries(network: Network) {
  const name = new Map(network.nodes.map((n) => [n.slug, n.name]));
  const flows = network.flows.filter((f) => f.value_cents > 0 && name.has(f.source) && name.has(f.target) && f.source !== f.target);
  const nodes = new Map<string, { name: string; label: string; depth: number }>();
  for (const f of flows) {
    nodes.set(`out:${f.source}`, { name: `out:${f.source}`, label: name.get(f.source)!, depth: 0 });
    nodes.set(`in:${f.target}`, { name: `in:${f.target}`, label: name.get(f.target)!, depth: 1 });
  }
  return {
    nodes: [...nodes.values()].sort((a, b) => a.name.localeCompare(b.name)),
    links: flows.map((f) => ({ source: `out:${f.source}`, target: `in:${f.target}`, value: f.value_cents })),
  };
}

export function sankeyOption(network: Network, locale: 'fr' | 'en', narrow: boolean) {
  const { nodes, links } = sankeySeries(network);
  const money = (v: number) => formatCents(v, locale);
  return {
    animation: false,
    tooltip: { trigger: 'item', valueFormatter: money },
    series: [
      {
        type: 'sankey',
        emphasis: { focus: 'adjacency' },
        ...(narrow ? { orient: 'vertical', top: 20, bottom: 20, left: 10, right: 10 } : { left: 10, right: 120 }),
        data: nodes.map((n) => ({ name: n.name, depth: n.depth, label: { formatter: n.label } })),
        links,
      },
    ],
  };
}

/** The graph as rows of a table (its text alternative): each linked pair with the kinds of its link. */
export function linkRows(network: Network, labels: NetworkLabels): string[][] {
  const name = new Map(network.nodes.map((n) => [n.slug, n.name]));
  return mergedLinks(network).map((l) => [name.get(l.source) ?? l.source, name.get(l.target) ?? l.target, linkKindsText(l, labels)]);
}

/** The flows, largest first, as the list read beside the Sankey. */
export function flowRows(network: Network): { from: string; to: string; value: number }[] {
  const name = new Map(network.nodes.map((n) => [n.slug, n.name]));
  return network.flows
    .filter((f) => f.value_cents > 0 && name.has(f.source) && name.has(f.target))
    .map((f) => ({ from: name.get(f.source)!, to: name.get(f.target)!, value: f.value_cents }))
    .sort((a, b) => b.value - a.value || a.from.localeCompare(b.from));
}

/** Only the part of the network among `slugs` (a federation's members). */
export function subNetwork(network: Network, slugs: string[]): Network {
  const keep = new Set(slugs);
  return {
    nodes: network.nodes.filter((n) => keep.has(n.slug)),
    edges: network.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
    flows: network.flows.filter((f) => keep.has(f.source) && keep.has(f.target)),
  };
}
