// Tests of the English names of the books: every French name the ledger sends has one.
import { describe, expect, it } from 'vitest';
import domain from '../../../src/federage/ledger/domain.py?raw';
import { pcgName } from './i18n/pcg';

// The server's French names, read from the ledger's pure rules: every one must have an English name.
const quoted = (pattern: RegExp) => [...domain.matchAll(pattern)].map((m) => m[1]);
const chart = quoted(/AccountSpec\("\d+", "([^"]+)"/g);
const headings = [
  ...quoted(/return "(?:actif|passif)", "([^"]+)"/g),
  ...quoted(/"\d\d": "([^"]+)"/g),
  ...quoted(/_HEADING = "([^"]+)"/g),
  ...quoted(/_LABEL = "([^"]+)"/g),
  ...quoted(/\.get\(number\[:2\], "([^"]+)"\)/g),
  ...quoted(/^\s+return "([^"]+)"$/gm),
  ...quoted(/(?:FINANCIAL|HUMAN|NATURAL): "([^"]+)"/g),
];

describe('pcgName', () => {
  it('reads the server chart and headings', () => {
    expect(chart.length).toBeGreaterThanOrEqual(38);
    expect(headings).toContain('Disponibilités');
  });

  it('gives every account of the default chart and every heading an English name', () => {
    const missing = [...chart, ...headings].filter((name) => pcgName('en', name) === name);
    expect(missing).toEqual([]);
  });

  it('keeps French, and a name the commons chose, as sent', () => {
    expect(pcgName('fr', 'Banque')).toBe('Banque');
    expect(pcgName('en', 'Banque')).toBe('Bank');
    expect(pcgName('en', 'Compte du jardin partagé')).toBe('Compte du jardin partagé');
    expect(pcgName('en', 'Résultat de l’exercice')).toBe('Result of the year');
  });
});
