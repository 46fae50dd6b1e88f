// Tests of the euro and rate formatting from integer cents and basis points.
import { describe, expect, it } from 'vitest';
import { formatBasisPoints, formatCents, sumCents } from './money';

const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('formatCents', () => {
  it('writes French amounts with grouped thousands and a comma', () => {
    expect(plain(formatCents(123456))).toBe('1 234,56 €');
    expect(plain(formatCents(0))).toBe('0,00 €');
    expect(plain(formatCents(5))).toBe('0,05 €');
    expect(plain(formatCents(100000000))).toBe('1 000 000,00 €');
  });

  it('keeps the sign and exact cents of large and negative amounts', () => {
    expect(plain(formatCents(-1050))).toBe('−10,50 €');
    expect(plain(formatCents(900719925474099))).toBe('9 007 199 254 740,99 €');
    expect(plain(formatCents(12345678901234567890n))).toBe('123 456 789 012 345 678,90 €');
  });

  it('writes English amounts', () => {
    expect(formatCents(123456, 'en')).toBe('€1,234.56');
  });
});

describe('formatBasisPoints', () => {
  it('writes rates as percentages', () => {
    expect(plain(formatBasisPoints(150))).toBe('1,5 %');
    expect(plain(formatBasisPoints(100))).toBe('1 %');
    expect(plain(formatBasisPoints(6667))).toBe('66,67 %');
    expect(formatBasisPoints(250, 'en')).toBe('2.5%');
  });
});

describe('sumCents', () => {
  it('adds integers', () => {
    expect(sumCents([10, 20, -5])).toBe(25);
  });
});
