// The catalogue of charter parameters (labels, units, choices), loaded once and kept for offline reading.
import { api } from './api/client';
import type { CharterParameter } from './api/types';
import { load } from './sync.svelte';

let catalogue = $state<Record<string, CharterParameter>>({});
let request: Promise<void> | null = null;

export const parameters = {
  get byName(): Record<string, CharterParameter> {
    return catalogue;
  },
  get list(): CharterParameter[] {
    return Object.values(catalogue);
  },
};

/** Loads the catalogue (once per page; again after a failure). */
export function loadParameters(): Promise<void> {
  request ??= load('charter-parameters', () => api.GET('/api/v1/charter-parameters'))
    .then((r) => {
      catalogue = Object.fromEntries(r.data.map((p) => [p.name, p]));
    })
    .catch(() => {
      request = null;
    });
  return request;
}

/** The section a parameter belongs to on the charter page. */
export function groupOf(name: string): string {
  const head = name.split('.')[0];
  if (head === 'contributions' || head === 'decisions') return head;
  if (head === 'entry' || head === 'exit') return 'membership';
  if (head === 'public_data') return 'data';
  return 'economy';
}
