// Reads of the federation API (exchanges, borrowings, federations, the network) and its commands, through the outbox.
// Exchanges, borrowings and the network are typed from the spec; federations follow /work/notes/interfaces.md until theirs appear.
import { api, unwrap } from './api/client';
import { getPublic } from './api/public';
import { ApiError, errorBody } from './errors';
import type { Borrowing, CombinedStatements, Exchange, ExchangeLeg, Federation, Network } from './federation';
import { i18n } from './i18n/index.svelte';
import { send } from './sync.svelte';

const BASE = '/api/v1/federation';
const enc = encodeURIComponent;

async function get<T>(path: string): Promise<T> {
  const response = await fetch(BASE + path, {
    credentials: 'same-origin',
    cache: 'no-cache',
    headers: { Accept: 'application/json', 'Accept-Language': i18n.locale },
  });
  if (!response.ok) throw new ApiError(response.status, await errorBody(response));
  return (await response.json()) as T;
}

// Sent by name: the federation commands' payloads are checked by the server, refused by code.
const command = (type: string, payload: Record<string, unknown>) =>
  (send as unknown as (type: string, payload: unknown) => Promise<{ queued: true } | { queued: false; result: unknown }>)(type, payload);

export interface ExchangeProposal {
  commons_slug: string;
  other_slug: string;
  terms: string;
  legs: ExchangeLeg[];
}

export interface BorrowingProposal {
  borrower_slug: string;
  lender_slug: string;
  kind: string;
  label: string;
  quantity: string;
  unit: string;
  lender_account: string;
  borrower_account: string;
  lender_book_cents: number;
  borrower_value_cents: number;
  fee_cents: number;
  return_on: string;
  indicator_code: string;
}

const links = (slug: string) => unwrap(api.GET('/api/v1/federation/commons/{slug}', { params: { path: { slug } } }));

export const federationApi = {
  /** A commons' holdings of other commons, its exchanges and its borrowed or lent assets. */
  links,
  exchanges: async (slug: string): Promise<Exchange[]> => (await links(slug)).exchanges,
  exchange: (id: number): Promise<Exchange> =>
    unwrap(api.GET('/api/v1/federation/exchanges/{exchange_id}', { params: { path: { exchange_id: id } } })),
  borrowings: async (slug: string): Promise<Borrowing[]> => (await links(slug)).borrowings,
  // Federations are not in the spec yet (interfaces.md): read by path.
  federations: () => get<Federation[]>('/federations'),
  federation: (slug: string) => get<Federation>(`/federations/${enc(slug)}`),
  statements: (slug: string) => get<CombinedStatements>(`/federations/${enc(slug)}/statements`),
  network: () => unwrap(api.GET('/api/v1/public/network')),
  publicFederation: (slug: string) => getPublic<Federation & { statements?: CombinedStatements; network?: Network }>(`/federations/${enc(slug)}`),

  propose: (p: ExchangeProposal) => command('exchange.propose', { ...p }),
  submit: (exchangeId: number) => command('exchange.submit', { exchange_id: exchangeId }),
  execute: (exchangeId: number) => command('exchange.execute', { exchange_id: exchangeId }),
  borrow: (p: BorrowingProposal) => command('borrowing.propose', { ...p }),
  acceptBorrowing: (borrowingId: number) => command('borrowing.accept', { borrowing_id: borrowingId }),
  join: (federationSlug: string, commonsSlug: string) => command('federation.join', { federation_slug: federationSlug, commons_slug: commonsSlug }),
};
