// Unit tests of the outbox against fake-indexeddb and a fake server that honours Idempotency-Key.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../errors';
import { openDatabase, type QueuedCommand } from './db';
import { createOutbox, type Outbox, type OutboxState } from './outbox';

let dbCount = 0;
let outbox: Outbox | undefined;

/** A server that applies each command id once and replays its stored answer, like the backend. */
function fakeServer() {
  const applied = new Map<string, unknown>();
  const received: string[] = [];
  let down = false;
  let loseNextResponse = false;
  let answer: (c: QueuedCommand) => Response | null = () => null;
  const post = vi.fn(async (command: QueuedCommand) => {
    received.push(command.id);
    if (down) throw new TypeError('Failed to fetch');
    const custom = answer(command);
    if (custom) return custom;
    if (!applied.has(command.id)) applied.set(command.id, { type: command.type, payload: command.payload });
    if (loseNextResponse) {
      loseNextResponse = false;
      throw new TypeError('connection reset');
    }
    return Response.json(applied.get(command.id), { status: 201 });
  });
  return {
    post,
    applied,
    received,
    setDown: (v: boolean) => (down = v),
    loseNextResponse: () => (loseNextResponse = true),
    answerWith: (fn: (c: QueuedCommand) => Response | null) => (answer = fn),
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
