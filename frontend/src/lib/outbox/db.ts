// The browser database: the outbox of commands not yet applied, the refused ones, and cached reads.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
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

export interface FederageDB extends DBSchema {
  outbox: { key: string; value: QueuedCommand; indexes: { seq: number } };
  refused: { key: string; value: RefusedCommand };
  reads: { key: string; value: { url: string; body: unknown; at: string } };
}

export type Database = IDBPDatabase<FederageDB>;

export function openDatabase(name = 'federage'): Promise<Database> {
  return openDB<FederageDB>(name, 1, {
    upgrade(db) {
      db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('seq', 'seq', { unique: true });
      db.createObjectStore('refused', { keyPath: 'id' });
      db.createObjectStore('reads', { keyPath: 'url' });
    },
  });
}
