// The outbox: every write is a command stored in IndexedDB first, then sent in order until the server decides.
import { ApiError, errorBody, type ErrorBody } from '../errors';
import type { Database, QueuedCommand, RefusedCommand } from './db';

/** Sends one command; throws on a network failure. */
export type Post = (command: QueuedCommand) => Promise<Response>;

/** Sends several commands in one request (POST /api/v1/commands/batch); throws on a network failure. */
export type PostBatch = (commands: QueuedCommand[]) => Promise<Response>;

/** One item of a batch answer: what /api/v1/commands would have answered for that command alone. */
export interface BatchResult {
  id: string;
  status: number;
  body: unknown;
  replayed: boolean;
}

export type Blocked = null | 'network' | 'auth';

export interface OutboxState {
  pending: QueuedCommand[];
  refused: RefusedCommand[];
  blocked: Blocked;
}

export interface OutboxOptions {
  db: Promise<Database>;
  post: Post;
  /** Sends a run of commands in one request; without it, commands go one by one. */
  postBatch?: PostBatch;
  /** The id of the logged-in user, or null: a command is only sent for the user who made it. */
  owner: () => number | null;
  onChange?: (state: OutboxState) => void;
  /** Called when a command waits for a login (HTTP 401, or 403 `not_authenticated`). */
  onAuthRequired?: () => void;
  /** Called when the server's CSRF check fails: refresh the token before the retry. */
  onCsrfFailure?: () => Promise<void>;
  /**
   * Called when commands queued before this page was loaded (nobody here awaits them) have been decided: what the
   * screens show may predate them.
   */
  onUnawaitedSettled?: () => void;
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => Date;
}

type Outcome =
  | { kind: 'applied'; body: unknown }
  | { kind: 'refused'; status: number; error: ErrorBody }
  | { kind: 'auth' }
  | { kind: 'retry' };

/** An outcome the server has decided: the command leaves the queue. */
type Final = Extract<Outcome, { kind: 'applied' | 'refused' }>;

function isFinal(outcome: Outcome): outcome is Final {
  return outcome.kind === 'applied' || outcome.kind === 'refused';
}

const RETRIABLE_STATUS = new Set([408, 425, 429]);

/** The server caps a batch at 1000; 100 keeps each request short enough to finish before a timeout. */
const BATCH_SIZE = 100;

function asErrorBody(status: number, body: unknown): ErrorBody {
  if (body && typeof body === 'object' && typeof (body as ErrorBody).code === 'string') return body as ErrorBody;
  return { code: status >= 500 ? 'server_error' : 'http_' + status, message: '' };
}

/** The rules for one answer, shared by a single post and each item of a batch. */
async function judge(status: number, body: unknown, onCsrfFailure?: () => Promise<void>): Promise<Outcome> {
  if (status >= 200 && status < 300) return { kind: 'applied', body };
  if (status >= 500 || RETRIABLE_STATUS.has(status)) return { kind: 'retry' };
  const error = asErrorBody(status, body);
  if (status === 401 || (status === 403 && error.code === 'not_authenticated')) return { kind: 'auth' };
  if (status === 403 && (error.code === 'csrf_failed' || error.code === 'http_403')) {
    await onCsrfFailure?.();
    return { kind: 'retry' };
  }
  return { kind: 'refused', status, error };
}

async function classify(res: Response, onCsrfFailure?: () => Promise<void>): Promise<Outcome> {
  if (res.ok) {
    const text = await res.text();
    return { kind: 'applied', body: text ? JSON.parse(text) : null };
  }
  return judge(res.status, await errorBody(res), onCsrfFailure);
}

/** The outcomes of a 2xx batch answer, one per item in order up to the first that is not final. */
async function classifyItems(
  res: Response,
  commands: QueuedCommand[],
  onCsrfFailure?: () => Promise<void>,
): Promise<Outcome[]> {
  const { results } = (await res.json()) as { results?: BatchResult[] };
  const outcomes: Outcome[] = [];
  for (const [i, command] of commands.entries()) {
    const result = results?.[i];
    // An answer that does not line up with what was sent decides nothing from there on: resend those.
    if (result?.id !== command.id) return [...outcomes, { kind: 'retry' }];
    const outcome = await judge(result.status, result.body, onCsrfFailure);
    outcomes.push(outcome);
    if (!isFinal(outcome)) break;
  }
  return outcomes;
}

/** The oldest commands that the current owner may send: a command of someone else ends the run. */
function leadingRun(queue: QueuedCommand[], owner: number | null): QueuedCommand[] {
  const other = queue.findIndex((command) => command.owner !== owner);
  return other === -1 ? queue : queue.slice(0, other);
}

export function createOutbox(options: OutboxOptions) {
  const { db, post, postBatch, owner, baseDelayMs = 1000, maxDelayMs = 60_000 } = options;
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

  /**
   * Takes decided commands out of the queue in one transaction, then answers their waiters in order: a flush of
   * many commands must not cost one IndexedDB round trip each.
   */
  async function settle(decided: [QueuedCommand, Final][]) {
    const tx = (await db).transaction(['outbox', 'refused'], 'readwrite');
    const outboxStore = tx.objectStore('outbox');
    const refusedStore = tx.objectStore('refused');
    const refusedAt = now().toISOString();
    const writes: Promise<unknown>[] = [];
    for (const [command, outcome] of decided) {
      writes.push(outboxStore.delete(command.id));
      if (outcome.kind === 'refused') {
        const { status, error } = outcome;
        writes.push(refusedStore.put({ id: command.id, command, status, error, refused_at: refusedAt }));
      }
    }
    await Promise.all([...writes, tx.done]);
    let unawaited = 0;
    for (const [command, outcome] of decided) {
      const waiter = waiters.get(command.id);
      waiters.delete(command.id);
      if (!waiter) unawaited += 1;
      else if (outcome.kind === 'applied') waiter.resolve(outcome.body);
      else waiter.reject(new ApiError(outcome.status, outcome.error));
    }
    if (unawaited) options.onUnawaitedSettled?.();
  }

  function scheduleRetry() {
    clearTimeout(timer);
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
    attempt += 1;
    timer = setTimeout(() => void flush(), delay);
  }

  async function sendOne(command: QueuedCommand): Promise<Outcome> {
    try {
      return await classify(await post(command), options.onCsrfFailure);
    } catch {
      return { kind: 'retry' };
    }
  }

  async function sendEach(run: QueuedCommand[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const command of run) {
      const outcome = await sendOne(command);
      outcomes.push(outcome);
      if (!isFinal(outcome)) break;
    }
    return outcomes;
  }

  async function sendBatch(postBatch: PostBatch, run: QueuedCommand[]): Promise<Outcome[]> {
    try {
      const res = await postBatch(run);
      if (res.ok) return await classifyItems(res, run, options.onCsrfFailure);
      const whole = await classify(res, options.onCsrfFailure);
      // Refused as a whole (malformed, too large): that says nothing of each command, so ask for each alone.
      return whole.kind === 'refused' ? await sendEach(run) : [whole];
    } catch {
      return [{ kind: 'retry' }];
    }
  }

  /** Posts a run of commands, alone or as one batch; returns their outcomes in order, up to the first not final. */
  function send(run: QueuedCommand[]): Promise<Outcome[]> {
    return run.length === 1 || !postBatch ? sendEach(run) : sendBatch(postBatch, run);
  }

  /** Sends queued commands oldest first; stops at the first one that cannot be decided now. */
  async function drain() {
    const d = await db;
    for (;;) {
      const queue = await d.getAllFromIndex('outbox', 'seq', null, postBatch ? BATCH_SIZE : 1);
      if (!queue.length) {
        blocked = null;
        return;
      }
      const run = leadingRun(queue, owner());
      if (!run.length) {
        blocked = 'auth';
        options.onAuthRequired?.();
        return;
      }
      const outcomes = await send(run);
      const decided: [QueuedCommand, Final][] = [];
      for (const outcome of outcomes) {
        if (!isFinal(outcome)) break;
        decided.push([run[decided.length], outcome]);
      }
      if (decided.length) {
        attempt = 0;
        blocked = null;
        await settle(decided);
        await notify();
      }
      const stop = outcomes[decided.length];
      if (stop?.kind === 'auth') {
        blocked = 'auth';
        options.onAuthRequired?.();
        return;
      }
      if (stop?.kind === 'retry') {
        blocked = 'network';
        scheduleRetry();
        return;
      }
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
