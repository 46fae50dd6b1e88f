// The member's read model in IndexedDB: pulled from /api/v1/sync since a cursor, overlaid with the pending commands.
import type {
  Database,
  ModelCommons,
  ModelContribution,
  ModelHolding,
  ModelMeta,
  ModelProposal,
  QueuedCommand,
  SyncBody,
} from './db';

export type FetchSync = (since: number) => Promise<SyncBody>;

const ROW_STORES = ['proposals', 'contributions', 'holdings'] as const;

export interface ReadModel {
  meta: ModelMeta | undefined;
  commons: ModelCommons[];
  proposals: ModelProposal[];
  contributions: ModelContribution[];
  holdings: ModelHolding[];
}

export async function readModel(d: Database): Promise<ReadModel> {
  const tx = d.transaction(['meta', 'commons', 'proposals', 'contributions', 'holdings']);
  const [meta, commons, proposals, contributions, holdings] = await Promise.all([
    tx.objectStore('meta').get('sync'),
    tx.objectStore('commons').getAll(),
    tx.objectStore('proposals').getAll(),
    tx.objectStore('contributions').getAll(),
    tx.objectStore('holdings').getAll(),
  ]);
  await tx.done;
  commons.sort((a, b) => a.name.localeCompare(b.name));
  return { meta, commons, proposals, contributions, holdings };
}

/**
 * Applies one pull in one transaction. A commons listed in `changed` is replaced whole (rows that left the server,
 * such as a closed vote, leave here too); a commons the member no longer belongs to is dropped; another user's data
 * never mixes with this one's.
 */
export async function applySync(d: Database, body: SyncBody, owner: number | null, at = new Date()): Promise<void> {
  const tx = d.transaction(['meta', 'commons', ...ROW_STORES], 'readwrite');
  const meta = await tx.objectStore('meta').get('sync');
  const held = (await tx.objectStore('commons').getAllKeys()) as string[];
  const reset = body.full || meta?.owner !== owner;
  const member = new Set(body.member_of);
  const drop = new Set<string>(reset ? held : body.changed);
  for (const slug of held) if (!member.has(slug)) drop.add(slug);
  for (const slug of drop) await tx.objectStore('commons').delete(slug);
  for (const name of ROW_STORES) {
    const store = tx.objectStore(name);
    if (reset) {
      await store.clear();
      continue;
    }
    for (const slug of drop) {
      for (const key of await store.index('commons').getAllKeys(slug)) await store.delete(key);
    }
  }
  for (const row of body.commons) await tx.objectStore('commons').put(row);
  for (const row of body.proposals) await tx.objectStore('proposals').put(row);
  for (const row of body.contributions) await tx.objectStore('contributions').put(row);
  for (const row of body.holdings) await tx.objectStore('holdings').put({ ...row, key: `${row.commons_slug}:${row.agent_id}` });
  await tx.objectStore('meta').put({ key: 'sync', cursor: body.cursor, owner, at: at.toISOString() });
  await tx.done;
}

/** Pulls what changed since the stored cursor; concurrent calls share one run, a call during a run adds one pass. */
export function createPuller(options: {
  db: Promise<Database>;
  fetchSync: FetchSync;
  owner: () => number | null;
  onChange?: () => void;
}) {
  let running: Promise<void> | null = null;
  let requested = false;

  async function once() {
    const owner = options.owner();
    if (owner === null) return;
    const d = await options.db;
    const meta = await d.get('meta', 'sync');
    const since = meta && meta.owner === owner ? meta.cursor : 0;
    await applySync(d, await options.fetchSync(since), owner);
    options.onChange?.();
  }

  return {
    pull(): Promise<void> {
      requested = true;
      running ??= (async () => {
        try {
          while (requested) {
            requested = false;
            await once();
          }
        } finally {
          running = null;
        }
      })();
      return running;
    },
  };
}

// Optimistic effects: each queued command carries its payload, which is what the screens show as pending.

export interface PendingContribution {
  command_id: string;
  commons_slug: string;
  title: string;
  kind: string;
  proposed_price_cents: number | null;
  created_at: string;
}

export interface PendingBallot {
  command_id: string;
  proposal_id: number;
  choice: string;
  created_at: string;
}

export interface PendingEffects {
  contributions: PendingContribution[];
  /** The last queued ballot per proposal: the one that will count if it arrives before the deadline. */
  ballots: Record<number, PendingBallot>;
}

type Payload = Record<string, unknown>;

export function pendingEffects(pending: QueuedCommand[]): PendingEffects {
  const effects: PendingEffects = { contributions: [], ballots: {} };
  for (const command of [...pending].sort((a, b) => a.seq - b.seq)) {
    const payload = (command.payload ?? {}) as Payload;
    if (command.type === 'contribution.create') {
      effects.contributions.push({
        command_id: command.id,
        commons_slug: String(payload.commons_slug ?? ''),
        title: String(payload.title ?? ''),
        kind: String(payload.kind ?? ''),
        proposed_price_cents: typeof payload.proposed_price_cents === 'number' ? payload.proposed_price_cents : null,
        created_at: command.created_at,
      });
    } else if (command.type === 'ballot.cast' && typeof payload.proposal_id === 'number') {
      effects.ballots[payload.proposal_id] = {
        command_id: command.id,
        proposal_id: payload.proposal_id,
        choice: String(payload.choice ?? ''),
        created_at: command.created_at,
      };
    }
  }
  return effects;
}

/** A ballot still queued when its vote closes will be refused: the UI warns before that. */
export function ballotAtRisk(proposal: Pick<ModelProposal, 'closes_at'>, now = new Date()): boolean {
  return !!proposal.closes_at && new Date(proposal.closes_at).getTime() - now.getTime() < 60 * 60 * 1000;
}
