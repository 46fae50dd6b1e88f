// Reads of the federation API (exchanges, borrowings, federations, the network) and its commands, through the outbox.
// Every read is typed from the spec.
import { api, unwrap } from './api/client';
import { getPublic } from './api/public';
import type { Borrowing, CombinedOut, Exchange, LegIn, Network } from './federation';
import type { paths } from './api/schema';
import { send } from './sync.svelte';

// Sent by name: the federation commands' payloads are checked by the server, refused by code.
const command = (type: string, payload: Record<string, unknown>) =>
  (send as unknown as (type: string, payload: unknown) => Promise<{ queued: true } | { queued: false; result: unknown }>)(type, payload);

export interface ExchangeProposal {
  commons_slug: string;
  other_slug: string;
  terms: string;
  legs: LegIn[];
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

/** A funder's financing of a federation as one, each member's share with its own financing's status. */
export type FederationFinancing =
  paths['/api/v1/federation/federations/{slug}/financings']['get']['responses'][200]['content']['application/json'][number];

export interface FederationFinancingOffer {
  federation_slug: string;
  agent_id: number;
  title: string;
  amount_cents: number;
  key: 'equal' | 'net_worth';
}

const links = (slug: string) => unwrap(api.GET('/api/v1/federation/commons/{slug}', { params: { path: { slug } } }));

export const federationApi = {
  /** A commons' holdings of other commons, its exchanges and its borrowed or lent assets. */
  links,
  exchanges: async (slug: string): Promise<Exchange[]> => (await links(slug)).exchanges,
  exchange: (id: number): Promise<Exchange> =>
    unwrap(api.GET('/api/v1/federation/exchanges/{exchange_id}', { params: { path: { exchange_id: id } } })),
  borrowings: async (slug: string): Promise<Borrowing[]> => (await links(slug)).borrowings,
  /** A federation's combined books, for the members of its member commons (or anyone when all are public). */
  statements: (slug: string) =>
    unwrap(api.GET('/api/v1/federation/federations/{slug}/statements', { params: { path: { slug } } })),
  // Public reads revalidate (no-cache): a live poke must not be answered from the browser's
  // copy, which the public API lets it keep for a minute.
  network: () => getPublic<Network>('/network'),
  /** A federation of public commons, for anyone. */
  publicFederation: (slug: string) => getPublic<CombinedOut>(`/federations/${encodeURIComponent(slug)}`),

  propose: (p: ExchangeProposal) => command('exchange.propose', { ...p }),
  submit: (exchangeId: number) => command('exchange.submit', { exchange_id: exchangeId }),
  execute: (exchangeId: number) => command('exchange.execute', { exchange_id: exchangeId }),
  borrow: (p: BorrowingProposal) => command('borrowing.propose', { ...p }),
  acceptBorrowing: (borrowingId: number) => command('borrowing.accept', { borrowing_id: borrowingId }),
  /** The federation's group financings, for whoever can see the federation. */
  financings: (slug: string): Promise<FederationFinancing[]> =>
    unwrap(api.GET('/api/v1/federation/federations/{slug}/financings', { params: { path: { slug } } })),
  /** The same for a federation of public commons, for anyone (no person named). */
  publicFinancings: (slug: string) => getPublic<FederationFinancing[]>(`/federations/${encodeURIComponent(slug)}/financings`),
  /** A funder finances the federation as one: the total splits over its members by the key. */
  finance: (p: FederationFinancingOffer) => command('federation.finance', { ...p }),
  join: (federationSlug: string, commonsSlug: string) => command('federation.join', { federation_slug: federationSlug, commons_slug: commonsSlug }),
};
