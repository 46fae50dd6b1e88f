// Typography of each language: French puts a no-break space before : ; ? ! and inside « », and
// writes its apostrophe ’; English puts no space before : ; ? !. Every string of both catalogues,
// functions called with sample arguments.
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { fr } from './fr';

// Sections of the resources app, written by its builders (their typography is theirs to settle).
const NOT_YET = new Set(['resources', 'dues', 'resourceStats', 'levyLines']);

function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    // Numbers satisfy the plural choices; a function that wants text gets it on the second try.
    for (const sample of [2, 'X']) {
      try {
        return strings(fn(...Array(Math.max(fn.length, 1)).fill(sample)), path);
      } catch {
        // try the next sample
      }
    }
    return [];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      !path && NOT_YET.has(k) ? [] : strings(v, path ? `${path}.${k}` : k),
    );
  }
  return [];
}

const NBSP = '[\u00a0\u202f]';

export function frenchSlips(text: string): string[] {
  const slips: string[] = [];
  if (/ [:;?!]/.test(text)) slips.push('a plain space before : ; ? !');
  if (new RegExp(`[^\\s\u00a0\u202f][;?!]`).test(text)) slips.push('no space before ; ? !');
  // A colon that ends a label (followed by a space or the end), not 10:04 nor https://.
  if (/[^\s\u00a0\u202f]:(\s|$)/.test(text)) slips.push('no space before :');
  if (/« | »/.test(text) || /«[^\u00a0\u202f]|[^\u00a0\u202f]»/.test(text)) slips.push('« » without no-break spaces');
  if (text.includes("'")) slips.push('a straight apostrophe');
  return slips;
}

export function englishSlips(text: string): string[] {
  return new RegExp(`(\\s|${NBSP})[:;?!]`).test(text) ? ['a space before : ; ? !'] : [];
}

describe('typography', () => {
  it('French: no-break spaces before : ; ? ! and inside « », and ’', () => {
    const slips = strings(fr).flatMap(([path, text]) => frenchSlips(text).map((slip) => `${path}: ${slip} — ${text}`));
    expect(slips).toEqual([]);
  });

  it('English: no space before : ; ? !', () => {
    const slips = strings(en).flatMap(([path, text]) => englishSlips(text).map((slip) => `${path}: ${slip} — ${text}`));
    expect(slips).toEqual([]);
  });

  it('the checks catch what they are for', () => {
    expect(frenchSlips('Prix total : 3 €')).not.toEqual([]);
    expect(frenchSlips('Prix total: 3 €')).not.toEqual([]);
    expect(frenchSlips('« titre »')).not.toEqual([]);
    expect(frenchSlips("l'apport")).not.toEqual([]);
    expect(frenchSlips('Prix total\u00a0: 3 € à 10:04, voir https://exemple.fr\u202f!')).toEqual([]);
    expect(englishSlips('Total price : 3 €')).not.toEqual([]);
    expect(englishSlips('Total price\u00a0: 3 €')).not.toEqual([]);
    expect(englishSlips('Total price: 3 € at 10:04')).toEqual([]);
  });
});
