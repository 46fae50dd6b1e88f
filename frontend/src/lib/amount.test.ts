// Tests of the amount and quantity parsers and of quantity × unit price in integer cents.
import { describe, expect, it } from 'vitest';
import { centsToInput, formatDecimal, multiplyCents, parseEuros, parseQuantity, roundCents } from './amount';

describe('parseEuros', () => {
  it('reads French and English amounts to cents', () => {
    expect(parseEuros('45,50')).toBe(4550);
    expect(parseEuros('45.5')).toBe(4550);
    expect(parseEuros('1 234')).toBe(123400);
    expect(parseEuros('1\u202f234,05 €')).toBe(123405);
    expect(parseEuros('0,1')).toBe(10);
    expect(parseEuros(',5')).toBe(50);
    expect(parseEuros('0.29')).toBe(29); // 0.29 * 100 is 28.999… in floats
  });

  it('refuses what it cannot read exactly', () => {
    for (const text of ['', 'abc', '-5', '4,555', '1,2,3', '1e3', ',']) expect(parseEuros(text)).toBeNull();
  });
});

describe('parseQuantity', () => {
  it('normalises to a decimal string', () => {
    expect(parseQuantity('35')).toBe('35');
    expect(parseQuantity('35,50')).toBe('35.5');
    expect(parseQuantity('0,0125')).toBe('0.0125');
    expect(parseQuantity('0,00001')).toBeNull();
  });
});

describe('multiplyCents', () => {
  it('multiplies exactly and rounds half to even', () => {
    expect(multiplyCents('35', 4500)).toBe(157500);
    expect(multiplyCents('1.5', 4550)).toBe(6825);
    expect(multiplyCents('0.005', 100)).toBe(0); // 0.5 cent → even
    expect(multiplyCents('0.015', 100)).toBe(2); // 1.5 cents → even
    expect(multiplyCents('0.0151', 100)).toBe(2);
    expect(multiplyCents('x', 100)).toBeNull();
  });
});

describe('display helpers', () => {
  it('write cents and decimals back', () => {
    expect(centsToInput(4550)).toBe('45,50');
    expect(centsToInput(5, 'en')).toBe('0.05');
    expect(formatDecimal('12.5000')).toBe('12,5');
    expect(formatDecimal('1234.0000', 'en')).toBe('1,234');
    expect(roundCents('1234.5678')).toBe(1235);
    expect(roundCents('1000.0000')).toBe(1000);
  });
});
