// Unit tests of the read model (pull since a cursor, per-commons replacement), pending effects and redo.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type QueuedCommand, type SyncBody } from './db';
import { createOutbox, type Outbox } from './outbox';
import { applySync, ballotAtRisk, createPuller, pendingEffects, readModel } from './readmodel';

let dbCount = 0;
const fresh = () => openDatabase(`model-${++dbCount}`);

const commons = (slug: string) => ({
  slug,
  name: slug.toUpperCase(),
  purpose: '',
  category: '',
  location: '',
  visibility: 'public',
  parent_slug: null,
  member_count: 3,
  my_roles: ['contributor'],
});

const contribution = (id: number, slug: string, title = `C${id}`) => ({ id, commons_slug: slug, title, state: 'submitted' });
const proposal = (id: number, slug: string) => ({ id, commons_slug: slug, title: `P${id}`, status: 'open', closes_at: '2026-03-09T09:00:00Z' });
const holding = (slug: string, units: string) => ({ commons_slug: slug, commons_name: slug, agent_id: 7, units });

function body(partial: Partial<Record<keyof SyncBody, unknown>>): SyncBody {
  return {
    since: 0,
    cursor: 0,
    full: false,
    member_of: [],
    changed: [],
    commons: [],
    proposals: [],
    contributions: [],
    holdings: [],
    ...partial,
  } as unknown as SyncBody;
}

const full = body({
  cursor: 10,
  full: true,
  member_of: ['four', 'jardin'],
  changed: ['four', 'jardin'],
  commons: [commons('jardin'), commons('four')],
  proposals: [proposal(1, 'jardin'), proposal(2, 'four')],
  contributions: [contribution(1, 'jardin'), contribution(2, 'four')],
  holdings: [holding('jardin', '100.0000')],
});

describe('read model', () => {
  it('stores a full snapshot and its cursor', async () => {
    const d = await fresh();
    await applySync(d, full, 7);
    const model = await readModel(d);
    expect(model.meta).toMatchObject({ cursor: 10, owner: 7 });
    expect(model.commons.map((c) => c.slug)).toEqual(['four', 'jardin']);
    expect(model.proposals).toHaveLength(2);
    expect(model.holdings[0]).toMatchObject({ key: 'jardin:7', units: '100.0000' });
  });

  it('replaces a changed commons whole and leaves the others alone', async () => {
    const d = await fresh();
    await applySync(d, full, 7);
    // The vote in `jardin` closed (no proposal any more), a contribution was added there.
    await applySync(
      d,
      body({
        since: 10,
        cursor: 14,
        member_of: ['four', 'jardin'],
        changed: ['jardin'],
        commons: [commons('jardin')],
        contributions: [contribution(1, 'jardin'), contribution(3, 'jardin')],
        holdings: [holding('jardin', '40.0000')],
      }),
      7,
    );
    const model = await readModel(d);
    expect(model.meta?.cursor).toBe(14);
    expect(model.proposals.map((p) => p.id)).toEqual([2]);
    expect(model.contributions.map((c) => c.id).sort()).toEqual([1, 2, 3]);
    expect(model.holdings.map((h) => h.units)).toEqual(['40.0000']);
  });

  it('drops a commons the member left, and another user never sees this one’s rows', async () => {
    const d = await fresh();
    await applySync(d, full, 7);
    await applySync(d, body({ since: 10, cursor: 11, member_of: ['four'] }), 7);
    let model = await readModel(d);
    expect(model.commons.map((c) => c.slug)).toEqual(['four']);
    expect(model.contributions.map((c) => c.commons_slug)).toEqual(['four']);

    await applySync(d, body({ cursor: 11, member_of: [], changed: [] }), 8);
    model = await readModel(d);
    expect(model.commons).toEqual([]);
    expect(model.contributions).toEqual([]);
    expect(model.meta?.owner).toBe(8);
  });

  it('pulls since the stored cursor, from 0 for a new user, and never while logged out', async () => {
    const d = fresh();
    let owner: number | null = 7;
    const fetchSync = vi.fn(async (since: number) => (since === 0 ? full : body({ since, cursor: since, member_of: ['four', 'jardin'] })));
    const onChange = vi.fn();
    const puller = createPuller({ db: d, fetchSync, owner: () => owner, onChange });
    await puller.pull();
    await puller.pull();
    expect(fetchSync.mock.calls.map((call) => call[0])).toEqual([0, 10]);
    expect(onChange).toHaveBeenCalledTimes(2);
    owner = 8;
    await puller.pull();
    expect(fetchSync.mock.calls.at(-1)?.[0]).toBe(0);
    owner = null;
    await puller.pull();
    expect(fetchSync).toHaveBeenCalledTimes(3);
  });

  it('keeps the last snapshot when a pull fails offline', async () => {
    const d = fresh();
    let up = true;
    const puller = createPuller({
      db: d,
      owner: () => 7,
      fetchSync: async () => {
        if (!up) throw new TypeError('Failed to fetch');
        return full;
      },
    });
    await puller.pull();
    up = false;
    await expect(puller.pull()).rejects.toBeInstanceOf(TypeError);
    expect((await readModel(await d)).commons).toHaveLength(2);
  });
});

describe('pending effects', () => {
  const queued = (seq: number, type: string, payload: unknown): QueuedCommand => ({
    id: `c${seq}`,
    seq,
    type,
    payload,
    created_at: `2026-03-02T09:0${seq}:00Z`,
    owner: 7,
  });

  it('shows queued contributions and the last queued ballot of each proposal', () => {
    const effects = pendingEffects([
      queued(3, 'ballot.cast', { proposal_id: 5, choice: 'for' }),
      queued(1, 'contribution.create', { commons_slug: 'four', title: 'Pain', kind: 'labour', proposed_price_cents: 900 }),
      queued(2, 'ballot.cast', { proposal_id: 5, choice: 'against' }),
      queued(4, 'comment.add', { proposal_id: 5, body: 'ok' }),
    ]);
    expect(effects.contributions).toEqual([
      { command_id: 'c1', commons_slug: 'four', title: 'Pain', kind: 'labour', proposed_price_cents: 900, created_at: '2026-03-02T09:01:00Z' },
    ]);
    expect(effects.ballots[5]).toMatchObject({ command_id: 'c3', choice: 'for' });
  });

  it('warns about a queued ballot whose vote closes within the hour', () => {
    const now = new Date('2026-03-09T08:30:00Z');
    expect(ballotAtRisk({ closes_at: '2026-03-09T09:00:00Z' }, now)).toBe(true);
    expect(ballotAtRisk({ closes_at: '2026-03-10T09:00:00Z' }, now)).toBe(false);
  });
});

describe('redo', () => {
  let outbox: Outbox | undefined;
  afterEach(() => outbox?.stop());

  it('re-enqueues a refused command as a copy with a new id, and the refusal leaves the list', async () => {
    const sent: QueuedCommand[] = [];
    let closed = true;
    outbox = createOutbox({
      db: fresh(),
      owner: () => 7,
      baseDelayMs: 10,
      post: async (command) => {
        sent.push(command);
        if (closed) {
          return Response.json({ code: 'vote_closed', message: 'x', messages: { fr: 'x', en: 'x' } }, { status: 409 });
        }
        return Response.json({ ok: true }, { status: 201 });
      },
    });
    const { id, result } = await outbox.enqueue('ballot.cast', { proposal_id: 5, choice: 'for' });
    await result.catch(() => undefined);
    expect((await outbox.state()).refused.map((r) => r.id)).toEqual([id]);

    closed = false;
    const copy = await outbox.redo(id);
    expect(copy?.id).not.toBe(id);
    expect(copy?.payload).toEqual({ proposal_id: 5, choice: 'for' });
    await outbox.flush();
    const state = await outbox.state();
    expect(state.refused).toEqual([]);
    expect(state.pending).toEqual([]);
    expect(sent.map((c) => c.id)).toEqual([id, copy?.id]);
    expect(await outbox.redo('unknown')).toBeUndefined();
  });
});
