// Tests of the charter parameter formatting and of the amendment form's value reading.
import { describe, expect, it } from 'vitest';
import type { CharterParameter } from './api/types';
import { formatParameter, fromInput, parseDecimal, shortLabel, toInput } from './charter';

const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');
const spec = (unit: string, type: 'int' | 'choice' | 'bool' = 'int'): CharterParameter => ({
  name: 'x',
  type,
  unit,
  label: { fr: 'X', en: 'X' },
  minimum: 0,
  maximum: 10000,
  choices: type === 'choice' ? [{ value: 'members', label: { fr: 'tous les membres', en: 'all members' } }] : [],
  default: null,
});

describe('formatParameter', () => {
  it('writes each unit for a French reader', () => {
    expect(plain(formatParameter(spec('bp'), 250))).toBe('2,5 %');
    expect(plain(formatParameter(spec('cents'), 1000))).toBe('10,00 €');
    expect(formatParameter(spec('hours'), 168)).toBe('7 jours');
    expect(formatParameter(spec('hours'), 5)).toBe('5 heures');
    expect(formatParameter(spec('days'), 1)).toBe('1 jour');
    expect(formatParameter(spec('', 'bool'), true)).toBe('oui');
    expect(formatParameter(spec('', 'choice'), 'members')).toBe('tous les membres');
    expect(formatParameter(spec('', 'choice'), 'members', 'en')).toBe('all members');
    expect(formatParameter(spec('bp'), null)).toBe('—');
  });
});

describe('amendment values', () => {
  it('reads percentages and euros into integers without floats', () => {
    expect(parseDecimal('2,5', 2)).toBe(250);
    expect(parseDecimal('0.07', 2)).toBe(7);
    expect(parseDecimal('1 000', 2)).toBe(100000);
    expect(parseDecimal('1,234', 2)).toBeNull();
    expect(parseDecimal('abc', 2)).toBeNull();
    expect(fromInput(spec('bp'), '2,5')).toBe(250);
    expect(fromInput(spec('days'), '30')).toBe(30);
    expect(fromInput(spec('days'), '3,5')).toBeNull();
    expect(fromInput(spec('', 'bool'), 'false')).toBe(false);
  });

  it('shows stored values back in the form', () => {
    expect(toInput(spec('bp'), 250)).toBe('2,5');
    expect(toInput(spec('bp'), 100)).toBe('1');
    expect(toInput(spec('cents'), 1005)).toBe('10,05');
    expect(toInput(spec('hours'), 168)).toBe('168');
  });
});

describe('shortLabel', () => {
  it('drops the group name the heading already says', () => {
    expect(shortLabel('Validation des apports : qui vote', 'Validation des apports')).toBe('Qui vote');
    expect(shortLabel('Validating contributions: who votes', 'Validating contributions')).toBe('Who votes');
    expect(shortLabel('Taxe sur les cessions de titres', 'Titres et redevances')).toBe('Taxe sur les cessions de titres');
  });
});
