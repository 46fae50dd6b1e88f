// The app's outbox and read cache, wired to the session, the network events and the live region.
import { postCommand, ensureCsrf, unwrap } from './api/client';
import type { CommandType, Commands } from './api/commands';
import { i18n } from './i18n/index.svelte';
import { openDatabase } from './outbox/db';
import { createOutbox, type OutboxState } from './outbox/outbox';
import { session } from './session.svelte';
import { announce } from './status.svelte';

const db = openDatabase();
let state = $state<OutboxState>({ pending: [], refused: [], blocked: null });
let online = $state(globalThis.navigator?.onLine ?? true);
const listeners = new Set<(s: OutboxState) => void>();

export const outbox = createOutbox({
  db,
  post: postCommand,
  owner: () => session.me?.id ?? null,
  onChange(next) {
    state = next;
    for (const listener of listeners) listener(next);
  },
  onAuthRequired: () => announce(i18n.t.auth.loginRequired, 'error'),
  onCsrfFailure: () => ensureCsrf(true),
});

export const sync = {
  get state(): OutboxState {
    return state;
  },
  get offline(): boolean {
    return !online;
  },
};

export function startSync() {
  addEventListener('online', () => {
    online = true;
    void outbox.resume();
  });
  addEventListener('offline', () => (online = false));
  void outbox.state().then((s) => (state = s));
  void outbox.flush();
}

export type Sent<K extends CommandType> = { queued: false; result: Commands[K]['result'] } | { queued: true };

/**
 * Queues a command and waits for the server's answer while it can be had: returns the result once applied,
 * `{queued: true}` once the outbox is waiting (offline, or for a login), and throws an ApiError on refusal.
 */
export async function send<K extends CommandType>(type: K, payload: Commands[K]['payload']): Promise<Sent<K>> {
  const wasBlockedForAuth = state.blocked === 'auth';
  // A snapshot, because IndexedDB cannot clone the proxies behind Svelte's reactive arrays and objects.
  const { id, result } = await outbox.enqueue<Commands[K]['result']>(type, $state.snapshot(payload));
  let queued = false;
  const waiting = new Promise<Sent<K>>((resolve) => {
    const markQueued = () => {
      queued = true;
      resolve({ queued: true });
    };
    if (wasBlockedForAuth) markQueued(); // no flush runs until the next login
    const listener = (s: OutboxState) => {
      if (s.blocked && s.pending.some((c) => c.id === id)) markQueued();
    };
    listeners.add(listener);
    result.finally(() => listeners.delete(listener)).catch(() => undefined);
  });
  const answered = result.then(
    (r): Sent<K> => ({ queued: false, result: r }),
    async (error) => {
      if (!queued) await outbox.discard(id); // the form shows this refusal: no need to list it again
      throw error;
    },
  );
  return Promise.race([answered, waiting]);
}

/** A read that falls back, offline, to the last answer kept on this device; `stale` tells which one it is. */
export async function load<T>(
  key: string,
  call: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; stale: boolean }> {
  try {
    const data = await unwrap(call());
    await (await db).put('reads', { url: key, body: data, at: new Date().toISOString() });
    return { data, stale: false };
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const kept = await (await db).get('reads', key);
    if (!kept) throw error;
    return { data: kept.body as T, stale: true };
  }
}
