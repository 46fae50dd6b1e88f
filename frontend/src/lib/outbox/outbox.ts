// The outbox: every write is a command stored in IndexedDB first, then sent in order until the server decides.
import { ApiError, errorBody, type ErrorBody } from '../errors';
import type { Database, QueuedCommand, RefusedCommand } from './db';

/** Sends one command; throws on a network failure. */
export type Post = (command: QueuedCommand) => Promise<Response>;

export type Blocked = null | 'network' | 'auth';

export interface OutboxState {
  pending: QueuedCommand[];
  refused: RefusedCommand[];
  blocked: Blocked;
}

export interface OutboxOptions {
  db: Promise<Database>;
  post: Post;
  /** The id of the logged-in user, or null: a command is only sent for the user who made it. */
  owner: () => number | null;
  onChange?: (state: OutboxState) => void;
  /** Called when a command waits for a login (HTTP 401, or 403 `not_authenticated`). */
  onAuthRequired?: () => void;
  /** Called when the server's CSRF check fails: refresh the token before the retry. */
  onCsrfFailure?: () => Promise<void>;
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => Date;
}

type Outcome =
  | { kind: 'applied'; body: unknown }
  | { kind: 'refused'; status: number; error: ErrorBody }
  | { kind: 'auth' }
  | { kind: 'retry' };

const RETRIABLE_STATUS = new Set([408, 425, 429]);

async function classify(res: Response, onCsrfFailure?: () => Promise<void>): Promise<Outcome> {
  if (res.ok) {
    const text = await res.text();
    return { kind: 'applied', body: text ? JSON.parse(text) : null };
  }
  if (res.status >= 500 || RETRIABLE_STATUS.has(res.status)) return { kind: 'retry' };
  const error = await errorBody(res);
  if (res.status === 401 || (res.status === 403 && error.code === 'not_authenticated')) return { kind: 'auth' };
  if (res.status === 403 && (error.code === 'csrf_failed' || error.code === 'http_403')) {
    await onCsrfFailure?.();
    return { kind: 'retry' };
  }
  return { kind: 'refused', status: res.status, error };
}

export function createOutbox(options: OutboxOptions) {
  const { db, post, owner, baseDelayMs = 1000, maxDelayMs = 60_000 } = options;
  const now = options.now ?? (() => new Date());
  const waiters = new Map<string, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let blocked: Blocked = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let requested = false;

  async function state(): Promise<OutboxState> {
    const d = await db;
    return {
      pending: await d.getAllFromIndex('outbox', 'seq'),
      refused: await d.getAll('refused'),
      blocked,
    };
  }

  async function notify() {
    options.onChange?.(await state());
  }

  async function append(type: string, payload: unknown): Promise<QueuedCommand> {
    const tx = (await db).transaction('outbox', 'readwrite');
    const last = await tx.store.index('seq').openCursor(null, 'prev');
    const command: QueuedCommand = {
      id: crypto.randomUUID(),
      seq: (last?.value.seq ?? 0) + 1,
      type,
      payload,
      created_at: now().toISOString(),
      owner: owner(),
    };
    await tx.store.add(command);
    await tx.done;
    return command;
  }

  async function settle(command: QueuedCommand, outcome: Outcome) {
    const d = await db;
    const waiter = waiters.get(command.id);
    if (outcome.kind === 'applied') {
      await d.delete('outbox', command.id);
      waiters.delete(command.id);
      waiter?.resolve(outcome.body);
    } else if (outcome.kind === 'refused') {
      const tx = d.transaction(['outbox', 'refused'], 'readwrite');
      const refusal = { id: command.id, command, status: outcome.status, error: outcome.error, refused_at: now().toISOString() };
      await Promise.all([tx.objectStore('outbox').delete(command.id), tx.objectStore('refused').put(refusal), tx.done]);
      waiters.delete(command.id);
      waiter?.reject(new ApiError(outcome.status, outcome.error));
    }
  }

  function scheduleRetry() {
    clearTimeout(timer);
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
    attempt += 1;
    timer = setTimeout(() => void flush(), delay);
  }

  /** Sends queued commands oldest first; stops at the first one that cannot be decided now. */
  async function drain() {
    const d = await db;
    for (;;) {
      const command = (await d.getAllFromIndex('outbox', 'seq', null, 1))[0];
      if (!command) {
        blocked = null;
        return;
      }
      if (command.owner !== owner()) {
        blocked = 'auth';
        options.onAuthRequired?.();
        return;
      }
      let outcome: Outcome;
      try {
        outcome = await classify(await post(command), options.onCsrfFailure);
      } catch {
        outcome = { kind: 'retry' };
      }
      if (outcome.kind === 'auth') {
        blocked = 'auth';
        options.onAuthRequired?.();
        return;
      }
      if (outcome.kind === 'retry') {
        blocked = 'network';
        scheduleRetry();
        return;
      }
      attempt = 0;
      blocked = null;
      await settle(command, outcome);
      await notify();
    }
  }

  /** Flushes the outbox; concurrent calls share one run, and a call during a run triggers one more pass. */
  function flush(): Promise<void> {
    requested = true;
    if (blocked === 'auth') return running ?? Promise.resolve();
    running ??= (async () => {
      try {
        while (requested) {
          requested = false;
          clearTimeout(timer);
          await drain();
          if (blocked) break;
        }
      } finally {
        running = null;
        await notify();
      }
    })();
    return running;
  }

  return {
    state,
    flush,

    /**
     * Stores a command, starts a flush and returns its id and the server's result: the promise resolves with the
     * applied result, rejects with an ApiError on refusal, and stays pending while offline.
     */
    async enqueue<T = unknown>(type: string, payload: unknown): Promise<{ id: string; result: Promise<T> }> {
      const command = await append(type, payload);
      const result = new Promise<T>((resolve, reject) => {
        waiters.set(command.id, { resolve: resolve as (v: unknown) => void, reject });
      });
      result.catch(() => undefined); // a refusal is also kept in the `refused` store: never an unhandled rejection
      await notify();
      void flush();
      return { id: command.id, result };
    },

    /** Unblocks after a login (or a reconnection) and sends again right away. */
    resume(): Promise<void> {
      blocked = null;
      attempt = 0;
      return flush();
    },

    /**
     * Redoes a refused command: a copy with a new id goes to the end of the queue (the old id keeps its stored
     * refusal on the server, so resending it would only replay that), and the refusal leaves the list.
     */
    async redo(id: string): Promise<QueuedCommand | undefined> {
      const refusal = await (await db).get('refused', id);
      if (!refusal) return undefined;
      const copy = await append(refusal.command.type, refusal.command.payload);
      await (await db).delete('refused', id);
      await notify();
      void flush();
      return copy;
    },

    /** Drops a queued command (the user gave up on it) or forgets a refusal already read. */
    async discard(id: string) {
      const tx = (await db).transaction(['outbox', 'refused'], 'readwrite');
      await Promise.all([tx.objectStore('outbox').delete(id), tx.objectStore('refused').delete(id), tx.done]);
      waiters.get(id)?.reject(new Error('discarded'));
      waiters.delete(id);
      await notify();
    },

    stop() {
      clearTimeout(timer);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
