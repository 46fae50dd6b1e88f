// Unit tests of the outbox against fake-indexeddb and a fake server that honours Idempotency-Key and batches.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../errors';
import { openDatabase, type QueuedCommand } from './db';
import { createOutbox, type BatchResult, type Outbox, type OutboxState } from './outbox';

let dbCount = 0;
let outbox: Outbox | undefined;

/** A server that applies each command id once and replays its stored answer, like the backend. */
function fakeServer() {
  const applied = new Map<string, unknown>();
  const received: string[] = [];
  const batches: string[][] = [];
  let down = false;
  let loseNextResponse = false;
  let answer: (c: QueuedCommand) => Response | null = () => null;
  let answerBatch: (commands: QueuedCommand[]) => Response | null = () => null;
  const apply = (command: QueuedCommand) => {
    const replayed = applied.has(command.id);
    if (!replayed) applied.set(command.id, { type: command.type, payload: command.payload });
    return replayed;
  };
  const post = vi.fn(async (command: QueuedCommand) => {
    received.push(command.id);
    if (down) throw new TypeError('Failed to fetch');
    const custom = answer(command);
    if (custom) return custom;
    apply(command);
    if (loseNextResponse) {
      loseNextResponse = false;
      throw new TypeError('connection reset');
    }
    return Response.json(applied.get(command.id), { status: 201 });
  });
  // Like the backend: each command in order, each answered as /api/v1/commands would have answered it alone.
  const postBatch = vi.fn(async (commands: QueuedCommand[]) => {
    batches.push(commands.map((c) => c.id));
    if (down) throw new TypeError('Failed to fetch');
    const whole = answerBatch(commands);
    if (whole) return whole;
    const results: BatchResult[] = [];
    for (const command of commands) {
      received.push(command.id);
      const custom = answer(command);
      if (custom) results.push({ id: command.id, status: custom.status, body: await custom.json(), replayed: false });
      else results.push({ id: command.id, status: 201, replayed: apply(command), body: applied.get(command.id) });
    }
    return Response.json({ results });
  });
  return {
    post,
    postBatch,
    applied,
    received,
    batches,
    setDown: (v: boolean) => (down = v),
    loseNextResponse: () => (loseNextResponse = true),
    answerWith: (fn: (c: QueuedCommand) => Response | null) => (answer = fn),
    answerBatchWith: (fn: (commands: QueuedCommand[]) => Response | null) => (answerBatch = fn),
    /** Forgets the requests seen so far (not what was applied). */
    resetCounts() {
      received.length = 0;
      batches.length = 0;
      post.mockClear();
      postBatch.mockClear();
    },
  };
}

function make(server: ReturnType<typeof fakeServer>, extra: Partial<Parameters<typeof createOutbox>[0]> = {}) {
  const states: OutboxState[] = [];
  outbox = createOutbox({
    db: openDatabase(`test-${++dbCount}`),
    post: server.post,
    owner: () => 7,
    onChange: (s) => states.push(s),
    baseDelayMs: 10,
    maxDelayMs: 40,
    ...extra,
  });
  return { outbox, states };
}

const refusal = (status: number, code: string) =>
  Response.json({ code, message: code, messages: { fr: code, en: code } }, { status });

/** Queues one command per payload while the server is down, then brings it back with fresh request counts. */
async function queueOffline(outbox: Outbox, server: ReturnType<typeof fakeServer>, payloads: unknown[]) {
  server.setDown(true);
  const queued = [];
  for (const payload of payloads) queued.push(await outbox.enqueue('agent.create', payload));
  await outbox.flush();
  server.setDown(false);
  server.resetCounts();
  return queued;
}

const numbered = (count: number) => Array.from({ length: count }, (_, i) => ({ n: i + 1 }));
const isN = (n: number) => (c: QueuedCommand) => (c.payload as { n: number }).n === n;

afterEach(() => outbox?.stop());

describe('outbox', () => {
  it('stores the command before sending and resolves with the server result', async () => {
    const server = fakeServer();
    const { outbox } = make(server);
    const { id, result } = await outbox.enqueue('commons.create', { slug: 'atelier' });
    await expect(result).resolves.toEqual({ type: 'commons.create', payload: { slug: 'atelier' } });
    expect(server.received).toEqual([id]);
    expect((await outbox.state()).pending).toEqual([]);
  });

  it('keeps commands offline and sends them in order once back online', async () => {
    const server = fakeServer();
    server.setDown(true);
    const { outbox } = make(server);
    const a = await outbox.enqueue('agent.create', { n: 1 });
    const b = await outbox.enqueue('agent.create', { n: 2 });
    const c = await outbox.enqueue('agent.create', { n: 3 });
    await outbox.flush();
    const state = await outbox.state();
    expect(state.blocked).toBe('network');
    expect(state.pending.map((q) => q.id)).toEqual([a.id, b.id, c.id]);
    expect(state.pending.map((q) => q.seq)).toEqual([1, 2, 3]);
    expect(server.applied.size).toBe(0);

    server.setDown(false);
    await outbox.resume();
    await Promise.all([a.result, b.result, c.result]);
    expect([...server.applied.keys()]).toEqual([a.id, b.id, c.id]);
    expect((await outbox.state()).pending).toEqual([]);
  });

  it('retries on its own with backoff after a network error or a 5xx, never skipping ahead', async () => {
    const server = fakeServer();
    let failures = 2;
    server.answerWith(() => (failures-- > 0 ? new Response('oops', { status: 503 }) : null));
    const { outbox } = make(server);
    const first = await outbox.enqueue('agent.create', { n: 1 });
    const second = await outbox.enqueue('agent.create', { n: 2 });
    await Promise.all([first.result, second.result]);
    expect(server.received).toEqual([first.id, first.id, first.id, second.id]);
    expect([...server.applied.keys()]).toEqual([first.id, second.id]);
  });

  it.each([409, 422])('treats %i as a final refusal, kept with its reason, and goes on', async (status) => {
    const server = fakeServer();
    server.answerWith((c) => ((c.payload as { slug: string }).slug === 'taken' ? refusal(status, 'slug_taken') : null));
    const { outbox } = make(server);
    const refused = await outbox.enqueue('commons.create', { slug: 'taken' });
    const accepted = await outbox.enqueue('commons.create', { slug: 'free' });
    const error = (await refused.result.catch((e) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(status);
    expect(error.code).toBe('slug_taken');
    await accepted.result;
    const state = await outbox.state();
    expect(state.pending).toEqual([]);
    expect(state.refused).toHaveLength(1);
    expect(state.refused[0]).toMatchObject({ id: refused.id, status, error: { code: 'slug_taken' } });
    expect(state.refused[0].command.payload).toEqual({ slug: 'taken' });

    await outbox.discard(refused.id);
    expect((await outbox.state()).refused).toEqual([]);
  });

  it('keeps the queue and waits for a login on 401 or 403 not_authenticated', async () => {
    const server = fakeServer();
    let loggedIn = false;
    server.answerWith(() => (loggedIn ? null : refusal(403, 'not_authenticated')));
    const onAuthRequired = vi.fn();
    const { outbox } = make(server, { onAuthRequired });
    const { id, result } = await outbox.enqueue('agent.create', {});
    await outbox.flush();
    expect(onAuthRequired).toHaveBeenCalled();
    const state = await outbox.state();
    expect(state.blocked).toBe('auth');
    expect(state.pending.map((c) => c.id)).toEqual([id]);
    await outbox.flush();
    expect(server.received).toEqual([id]);

    loggedIn = true;
    await outbox.resume();
    await expect(result).resolves.toBeTruthy();
    expect(server.applied.has(id)).toBe(true);
  });

  it('is replay-safe: after a lost response the same id is sent again and applied once', async () => {
    const server = fakeServer();
    server.loseNextResponse();
    const { outbox } = make(server);
    const { id, result } = await outbox.enqueue('invitation.create', { email: 'b@example.org' });
    await expect(result).resolves.toMatchObject({ type: 'invitation.create' });
    expect(server.received).toEqual([id, id]);
    expect(server.applied.size).toBe(1);
  });

  it("does not send another user's commands", async () => {
    const server = fakeServer();
    let user: number | null = 7;
    const { outbox } = make(server, { owner: () => user });
    server.setDown(true);
    await outbox.enqueue('agent.create', {});
    await outbox.flush();
    server.setDown(false);
    user = 8;
    await outbox.resume();
    expect(server.applied.size).toBe(0);
    expect((await outbox.state()).blocked).toBe('auth');
  });

  it('refreshes the CSRF token and retries when the CSRF check fails', async () => {
    const server = fakeServer();
    let token = 'stale';
    server.answerWith(() => (token === 'stale' ? refusal(403, 'csrf_failed') : null));
    const onCsrfFailure = vi.fn(async () => void (token = 'fresh'));
    const { outbox } = make(server, { onCsrfFailure });
    const { result } = await outbox.enqueue('agent.create', {});
    await result;
    expect(onCsrfFailure).toHaveBeenCalledOnce();
    expect(server.applied.size).toBe(1);
  });
});

describe('outbox after a reload', () => {
  it('tells when commands queued by an earlier page are decided, not those this page awaits', async () => {
    const server = fakeServer();
    const dbName = `test-reload-${++dbCount}`;
    const options = { post: server.post, postBatch: server.postBatch, owner: () => 7, baseDelayMs: 10, maxDelayMs: 40 };
    const awaitedHere = vi.fn();
    const before = createOutbox({ ...options, db: openDatabase(dbName), onUnawaitedSettled: awaitedHere });
    server.setDown(true);
    await before.enqueue('agent.create', { n: 1 });
    await before.enqueue('agent.create', { n: 2 });
    await before.flush();
    before.stop();

    const afterReload = vi.fn();
    outbox = createOutbox({ ...options, db: openDatabase(dbName), onUnawaitedSettled: afterReload });
    server.setDown(false);
    await outbox.flush();
    expect((await outbox.state()).pending).toEqual([]);
    expect(afterReload).toHaveBeenCalledOnce();
    expect(awaitedHere).not.toHaveBeenCalled();

    const { result } = await outbox.enqueue('agent.create', { n: 3 });
    await result;
    expect(afterReload).toHaveBeenCalledOnce(); // awaited on this page: nothing to refresh
  });
});

describe('outbox batches', () => {
  it('sends a run in one request and settles each result in order, in one state change', async () => {
    const server = fakeServer();
    server.answerWith((c) => (isN(2)(c) ? refusal(409, 'vote_closed') : null));
    const { outbox, states } = make(server, { postBatch: server.postBatch });
    const [a, b, c] = await queueOffline(outbox, server, numbered(3));
    const settled: string[] = [];
    a.result.then(() => settled.push('a'));
    b.result.catch(() => settled.push('b'));
    c.result.then(() => settled.push('c'));
    const before = states.length;

    await outbox.resume();
    expect(server.postBatch).toHaveBeenCalledOnce();
    expect(server.batches).toEqual([[a.id, b.id, c.id]]);
    expect(server.post).not.toHaveBeenCalled();
    await expect(a.result).resolves.toEqual({ type: 'agent.create', payload: { n: 1 } });
    const error = (await b.result.catch((e) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code]).toEqual([409, 'vote_closed']);
    await expect(c.result).resolves.toEqual({ type: 'agent.create', payload: { n: 3 } });
    expect(settled).toEqual(['a', 'b', 'c']);

    const state = await outbox.state();
    expect(state.pending).toEqual([]);
    expect(state.refused.map((r) => [r.id, r.status, r.error.code])).toEqual([[b.id, 409, 'vote_closed']]);
    // Never half a batch: one change for the batch, one when the flush ends.
    expect(states.slice(before).map((s) => s.pending.length)).toEqual([0, 0]);
  });

  it('keeps the whole run queued on a 503 for the batch and retries it with backoff', async () => {
    const server = fakeServer();
    let failures = 2;
    server.answerBatchWith(() => (failures-- > 0 ? new Response('oops', { status: 503 }) : null));
    const { outbox } = make(server, { postBatch: server.postBatch });
    const queued = await queueOffline(outbox, server, numbered(3));
    const ids = queued.map((q) => q.id);

    await outbox.resume();
    const state = await outbox.state();
    expect(state.blocked).toBe('network');
    expect(state.pending.map((q) => q.id)).toEqual(ids);
    expect(state.refused).toEqual([]);

    await Promise.all(queued.map((q) => q.result));
    expect(server.batches).toEqual([ids, ids, ids]);
    expect([...server.applied.keys()]).toEqual(ids);
    expect((await outbox.state()).pending).toEqual([]);
  });

  it('stops at an item answered 500: that one and the rest stay queued and are sent again', async () => {
    const server = fakeServer();
    let failures = 1;
    server.answerWith((c) => (isN(2)(c) && failures-- > 0 ? new Response('null', { status: 500 }) : null));
    const { outbox } = make(server, { postBatch: server.postBatch });
    const [a, b, c, d] = await queueOffline(outbox, server, numbered(4));

    await outbox.resume();
    await expect(a.result).resolves.toBeTruthy();
    const state = await outbox.state();
    expect(state.blocked).toBe('network');
    expect(state.pending.map((q) => q.id)).toEqual([b.id, c.id, d.id]);

    await Promise.all([b.result, c.result, d.result]);
    expect(server.batches).toEqual([
      [a.id, b.id, c.id, d.id],
      [b.id, c.id, d.id],
    ]);
    expect(server.applied.size).toBe(4);
    expect((await outbox.state()).pending).toEqual([]);
  });

  it("ends a run at another user's command, which waits for that user's login", async () => {
    const server = fakeServer();
    let user: number | null = 7;
    const onAuthRequired = vi.fn();
    const { outbox } = make(server, { owner: () => user, postBatch: server.postBatch, onAuthRequired });
    server.setDown(true);
    const a = await outbox.enqueue('agent.create', { n: 1 });
    const b = await outbox.enqueue('agent.create', { n: 2 });
    user = 8;
    const c = await outbox.enqueue('agent.create', { n: 3 });
    user = 7;
    const d = await outbox.enqueue('agent.create', { n: 4 });
    await outbox.flush();
    server.setDown(false);
    server.resetCounts();
    onAuthRequired.mockClear();

    await outbox.resume();
    expect(server.batches).toEqual([[a.id, b.id]]);
    expect(onAuthRequired).toHaveBeenCalledOnce();
    let state = await outbox.state();
    expect(state.blocked).toBe('auth');
    expect(state.pending.map((q) => q.id)).toEqual([c.id, d.id]);

    user = 8;
    await outbox.resume();
    expect(server.post.mock.calls.map(([q]) => q.id)).toEqual([c.id]); // a run of one goes alone
    expect(server.batches).toHaveLength(1);
    state = await outbox.state();
    expect(state.blocked).toBe('auth');
    expect(state.pending.map((q) => q.id)).toEqual([d.id]);
  });

  it('sends 250 queued commands in 3 requests of at most 100, in order', async () => {
    const server = fakeServer();
    const { outbox, states } = make(server, { postBatch: server.postBatch });
    const queued = await queueOffline(outbox, server, numbered(250));
    const before = states.length;

    await outbox.resume();
    await Promise.all(queued.map((q) => q.result));
    expect(server.batches.map((ids) => ids.length)).toEqual([100, 100, 50]);
    expect(server.batches.flat()).toEqual(queued.map((q) => q.id));
    expect([...server.applied.keys()]).toEqual(queued.map((q) => q.id));
    expect(server.post).not.toHaveBeenCalled();
    expect(states.slice(before).map((s) => s.pending.length)).toEqual([150, 50, 0, 0]);
  });

  it('asks for each command alone when the batch as a whole is refused', async () => {
    const server = fakeServer();
    server.answerBatchWith(() => refusal(422, 'validation_error'));
    const { outbox } = make(server, { postBatch: server.postBatch });
    const queued = await queueOffline(outbox, server, numbered(2));

    await outbox.resume();
    await Promise.all(queued.map((q) => q.result));
    expect(server.postBatch).toHaveBeenCalledOnce();
    expect(server.post.mock.calls.map(([q]) => q.id)).toEqual(queued.map((q) => q.id));
    expect((await outbox.state()).refused).toEqual([]);
  });

  it('waits for a login when the batch as a whole is refused as not authenticated', async () => {
    const server = fakeServer();
    server.answerBatchWith(() => refusal(403, 'not_authenticated'));
    const onAuthRequired = vi.fn();
    const { outbox } = make(server, { postBatch: server.postBatch, onAuthRequired });
    const queued = await queueOffline(outbox, server, numbered(2));

    await outbox.resume();
    expect(onAuthRequired).toHaveBeenCalled();
    const state = await outbox.state();
    expect(state.blocked).toBe('auth');
    expect(state.pending.map((q) => q.id)).toEqual(queued.map((q) => q.id));
    expect(server.post).not.toHaveBeenCalled();
  });
});
