// The app's outbox and read cache, wired to the session, the network events and the live region.
import { api, postBatchCommands, postCommand, ensureCsrf, unwrap } from './api/client';
import type { CommandType, Commands } from './api/commands';
import { onReconnect, watchLive } from './api/public';
import { i18n } from './i18n/index.svelte';
import { openDatabase } from './outbox/db';
import { createOutbox, type OutboxState } from './outbox/outbox';
import { createPuller, pendingEffects, readModel, type PendingEffects, type ReadModel } from './outbox/readmodel';
import { session } from './session.svelte';
import { announce } from './status.svelte';

const db = openDatabase();
let state = $state<OutboxState>({ pending: [], refused: [], blocked: null });
let online = $state(globalThis.navigator?.onLine ?? true);
let model = $state<ReadModel>({ meta: undefined, commons: [], proposals: [], contributions: [], holdings: [] });
const effects = $derived<PendingEffects>(pendingEffects(state.pending));
const listeners = new Set<(s: OutboxState) => void>();

async function reloadModel() {
  model = await readModel(await db);
}

const puller = createPuller({
  db,
  owner: () => session.me?.id ?? null,
  fetchSync: (since) => unwrap(api.GET('/api/v1/sync', { params: { query: { since } } })),
  onChange: () => void reloadModel(),
});

/** Refreshes the read model from the server; offline it keeps what this device holds. */
export function refreshModel(): Promise<void> {
  return puller.pull().catch(() => undefined);
}

let pullTimer: ReturnType<typeof setTimeout> | undefined;
function pullSoon() {
  // One pull after a burst of applied commands, not one per command.
  clearTimeout(pullTimer);
  pullTimer = setTimeout(() => void refreshModel(), 200);
}

export const outbox = createOutbox({
  db,
  post: postCommand,
  postBatch: postBatchCommands,
  owner: () => session.me?.id ?? null,
  onChange(next) {
    const decided = next.pending.length < state.pending.length || next.refused.length !== state.refused.length;
    state = next;
    for (const listener of listeners) listener(next);
    if (decided) pullSoon();
  },
  onAuthRequired: () => announce(i18n.t.auth.loginRequired, 'error'),
  onCsrfFailure: () => ensureCsrf(true),
  onUnawaitedSettled: () => (refreshes += 1),
});

export const sync = {
  get state(): OutboxState {
    return state;
  },
  get offline(): boolean {
    return !online;
  },
  /** The member's commons, open proposals, contributions and holdings as last pulled (works offline). */
  get model(): ReadModel {
    return model;
  },
  /** What the queued commands will change once applied: shown as pending. */
  get effects(): PendingEffects {
    return effects;
  },
};

// A flush is triggered by load, `online`, login, the outbox's backoff timer and each reconnection of the instance's
// live stream (/api/v1/live/stream): a stream that comes back after an error means the server is reachable again,
// maybe before the browser says so, and the read model is pulled too. Its pokes are not followed: they tell of any
// public commons of the instance, and a pull per poke per member would grow with the whole instance's activity.
// The stream is open only while someone is logged in (no member, no outbox). Under a WSGI server the stream ends
// after 20 s and the browser reopens it; each reopening then costs one look at an empty queue and one pull.

const userId = $derived(session.me?.id ?? null);

// Screens read through `load`, which reads `refreshes`: a screen loads again by itself when what it shows may be
// out of date: it could not reach the server (and shows what this device kept, or an error) and the server is
// back, or commands queued before this page loaded have just been decided. Only then: a reconnection after reads
// that all succeeded, or a command the screen sent and awaited, changes nothing on screen.
let refreshes = $state(0);
let readsMissed = false;

function catchUp() {
  void outbox.resume();
  void refreshModel();
  if (readsMissed) {
    readsMissed = false;
    refreshes += 1;
  }
}

export function startSync() {
  addEventListener('online', () => {
    online = true;
    catchUp();
  });
  addEventListener('offline', () => (online = false));
  void outbox.state().then((s) => (state = s));
  void reloadModel();
  void outbox.flush();
  $effect.root(() => {
    $effect(() => {
      // A login (or another user) gets their own read model.
      if (session.me?.id) void refreshModel();
    });
    $effect(() => {
      // Keyed on the id alone, so that a refreshed profile does not reopen the stream.
      if (userId !== null) return watchLive(undefined, () => undefined, onReconnect(catchUp));
    });
  });
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
    if (wasBlockedForAuth || !online) markQueued(); // no flush succeeds until the next login or the network
    const listener = (s: OutboxState) => {
      if (s.blocked && s.pending.some((c) => c.id === id)) markQueued();
    };
    listeners.add(listener);
    listener(state); // the first attempt may have failed before the listener was added
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
  void refreshes; // read before any await, so that the calling effect runs again on a refresh
  try {
    const data = await unwrap(call());
    await (await db).put('reads', { url: key, body: data, at: new Date().toISOString() });
    return { data, stale: false };
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    readsMissed = true;
    const kept = await (await db).get('reads', key);
    if (!kept) throw error;
    return { data: kept.body as T, stale: true };
  }
}
