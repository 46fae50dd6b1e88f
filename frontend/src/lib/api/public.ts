// The public read API (no login) and the live stream: types read off the spec, plain GETs, and the SSE pokes.
import { ApiError, errorBody } from '../errors';
import { i18n } from '../i18n/index.svelte';
import type { paths } from './schema';

type Get<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer T } } } } }
  ? T
  : never;

export type PublicCommonsPage = Get<'/api/v1/public/commons'>;
export type PublicCommonsRow = PublicCommonsPage['items'][number];
export type PublicCommons = Get<'/api/v1/public/commons/{slug}'>;
export type PublicCharter = Get<'/api/v1/public/commons/{slug}/charter'>;
export type PublicMember = Get<'/api/v1/public/commons/{slug}/members'>[number];
// Written out from the server's PublicEntryOut: the committed spec still describes an older shape of this route.
export interface PublicEntry {
  id: number;
  sequence: number;
  journal: string;
  journal_label: string;
  reference: string;
  entry_date: string;
  validation_date: string;
  label: string;
  piece_ref: string;
  total_cents: number;
  reverses_id: number | null;
  decision_id: number | null;
  source_type: string;
  hash: string;
  lines: { position: number; account_number: string; account_label: string; debit_cents: number; credit_cents: number; label: string }[];
}
export interface PublicEntryPage {
  count: number;
  limit: number;
  offset: number;
  items: PublicEntry[];
}
export type PublicTransaction = Get<'/api/v1/public/transactions'>[number];
export type PublicBalanceSheet = Get<'/api/v1/public/commons/{slug}/balance-sheet'>;
export type PublicIncomeStatement = Get<'/api/v1/public/commons/{slug}/income-statement'>;
export type PublicDecision = Get<'/api/v1/public/commons/{slug}/decisions'>[number];
export type PublicContribution = Get<'/api/v1/public/commons/{slug}/contributions'>[number];
export type PublicNeed = Get<'/api/v1/public/commons/{slug}/needs'>[number];
export type PublicResource = Get<'/api/v1/public/commons/{slug}/resources'>[number];
export type PublicLevies = Get<'/api/v1/public/commons/{slug}/levies'>;
export type PublicCapTable = Get<'/api/v1/public/commons/{slug}/cap-table'>;
export type CommonsDashboard = Get<'/api/v1/public/commons/{slug}/dashboard'>;
export type InstanceDashboard = Get<'/api/v1/public/dashboard'>;
export type Dashboard = CommonsDashboard | InstanceDashboard;
export type DataDictionary = Get<'/api/v1/public/data-dictionary'>;

const BASE = '/api/v1/public';

/** GET under /api/v1/public/ (a path like `/commons?q=…`); revalidates with the server's ETag. */
export async function getPublic<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(BASE + path, {
    credentials: 'omit',
    cache: 'no-cache',
    headers: { Accept: 'application/json', 'Accept-Language': i18n.locale },
    ...init,
  });
  if (!response.ok) throw new ApiError(response.status, await errorBody(response));
  return (await response.json()) as T;
}

export function commonsPath(slug: string): string {
  return `/commons/${encodeURIComponent(slug)}`;
}

export function datapackageUrl(slug?: string): string {
  return slug ? `${BASE}/datapackage.zip?commons=${encodeURIComponent(slug)}` : `${BASE}/datapackage.zip`;
}

export function feedUrl(slug: string): string {
  return `${BASE}${commonsPath(slug)}/feed.atom`;
}

/** Reads the cursor of one SSE poke (`event: changed` + `data: {"cursor": N}`), or null. */
export function pokeCursor(data: string): number | null {
  try {
    const cursor = (JSON.parse(data) as { cursor?: unknown }).cursor;
    return typeof cursor === 'number' && Number.isFinite(cursor) ? cursor : null;
  } catch {
    return null;
  }
}

/** Told when the live stream opens and when it fails or drops (the browser then retries by itself). */
export interface StreamWatcher {
  open(): void;
  error(): void;
}

/** Opens the live stream of a commons (or of the instance) and calls `onPoke` with each new cursor; returns the closer. */
export function watchLive(
  slug: string | undefined,
  onPoke: (cursor: number) => void,
  watcher?: StreamWatcher,
): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  const url = slug ? `/api/v1/live/stream?commons=${encodeURIComponent(slug)}` : '/api/v1/live/stream';
  const source = new EventSource(url);
  const listener = (event: MessageEvent<string>) => {
    const cursor = pokeCursor(event.data);
    if (cursor !== null) onPoke(cursor);
  };
  // The server names its pokes `changed`; unnamed messages are read the same way.
  source.addEventListener('changed', listener);
  source.addEventListener('message', listener);
  if (watcher) {
    source.addEventListener('open', () => watcher.open());
    source.addEventListener('error', () => watcher.error());
  }
  return () => source.close();
}

/**
 * Calls back each time the stream opens again after a drop, or at last after failing to open (a page loaded while
 * the server was away): the server is back, and what was missed meanwhile can be caught up. Not on the first open
 * of a page that reached the server at once.
 */
export function onReconnect(callback: () => void): StreamWatcher {
  let returning = false;
  return {
    open() {
      if (returning) callback();
      returning = true;
    },
    error() {
      returning = true;
    },
  };
}
