// The English catalogue has every key of the French one, down to the open maps (error codes, kinds, statuses).
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';

function keys(value: unknown, prefix = ''): string[] {
  if (!value || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('catalogues', () => {
  it('have the same keys in French and English', () => {
    expect(keys(en).sort()).toEqual(keys(fr).sort());
  });

  it('name every refusal of the governance and ledger flows', () => {
    for (const code of ['vote_closed', 'not_eligible', 'own_item', 'unbalanced_entry', 'period_closed', 'no_change']) {
      expect(fr.errors[code]).toBeTruthy();
      expect(en.errors[code]).toBeTruthy();
    }
  });
});
