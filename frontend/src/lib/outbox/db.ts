// The browser database: the outbox of commands not yet applied, the refused ones, cached reads and the read model.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { components } from '../api/schema';
import type { ErrorBody } from '../errors';

export interface QueuedCommand {
  id: string;
  seq: number;
  type: string;
  payload: unknown;
  created_at: string;
  owner: number | null;
}

export interface RefusedCommand {
  id: string;
  command: QueuedCommand;
  status: number;
  error: ErrorBody;
  refused_at: string;
}

type Schemas = components['schemas'];
export type SyncBody = Schemas['SyncOut'];
export type ModelCommons = SyncBody['commons'][number];
export type ModelProposal = SyncBody['proposals'][number];
export type ModelContribution = SyncBody['contributions'][number];
export type ModelHolding = SyncBody['holdings'][number] & { key: string };

/** Where the read model stands: the server cursor it reflects and whose data it is. */
export interface ModelMeta {
  key: 'sync';
  cursor: number;
  owner: number | null;
  at: string;
}

export interface FederageDB extends DBSchema {
  outbox: { key: string; value: QueuedCommand; indexes: { seq: number } };
  refused: { key: string; value: RefusedCommand };
  reads: { key: string; value: { url: string; body: unknown; at: string } };
  // The read model pulled from /api/v1/sync: rows of the member's commons, replaced per commons.
  commons: { key: string; value: ModelCommons };
  proposals: { key: number; value: ModelProposal; indexes: { commons: string } };
  contributions: { key: number; value: ModelContribution; indexes: { commons: string } };
  holdings: { key: string; value: ModelHolding; indexes: { commons: string } };
  meta: { key: string; value: ModelMeta };
}

export const MODEL_STORES = ['commons', 'proposals', 'contributions', 'holdings', 'meta'] as const;

export type Database = IDBPDatabase<FederageDB>;

export function openDatabase(name = 'federage'): Promise<Database> {
  return openDB<FederageDB>(name, 2, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('seq', 'seq', { unique: true });
        db.createObjectStore('refused', { keyPath: 'id' });
        db.createObjectStore('reads', { keyPath: 'url' });
      }
      if (oldVersion < 2) {
        db.createObjectStore('commons', { keyPath: 'slug' });
        db.createObjectStore('proposals', { keyPath: 'id' }).createIndex('commons', 'commons_slug');
        db.createObjectStore('contributions', { keyPath: 'id' }).createIndex('commons', 'commons_slug');
        db.createObjectStore('holdings', { keyPath: 'key' }).createIndex('commons', 'commons_slug');
        db.createObjectStore('meta', { keyPath: 'key' });
      }
    },
  });
}
