// The usage form's reading, month ranges, due totals and the charter's per-resource levy lines.
import { describe, expect, it } from 'vitest';
import {
  dueTotals,
  levyChanges,
  levyLines,
  monthOf,
  monthStart,
  isResourceLevy,
  parseUsageQuantity,
  readLevyRows,
  resourceKey,
  usagePayload,
  type UsageDraft,
} from './resources';

const draft = (over: Partial<UsageDraft> = {}): UsageDraft => ({
  agentId: 7,
  quantity: '12,5',
  periodStart: '2026-11-01',
  periodEnd: '2026-11-30',
  commercial: true,
  sale: '1 234,50',
  repeatMonthly: false,
  ...over,
});

describe('parseUsageQuantity', () => {
  it('reads a comma or a point, up to three decimals', () => {
    expect(parseUsageQuantity('12,5')).toBe('12.5');
    expect(parseUsageQuantity('0.125')).toBe('0.125');
    expect(parseUsageQuantity('1 000')).toBe('1000');
  });

  it('refuses zero, negatives, four decimals and absurd quantities', () => {
    expect(parseUsageQuantity('0')).toBeNull();
    expect(parseUsageQuantity('-3')).toBeNull();
    expect(parseUsageQuantity('1,2345')).toBeNull();
    expect(parseUsageQuantity('1000000000')).toBe('1000000000');
    expect(parseUsageQuantity('1000000000,001')).toBeNull();
    expect(parseUsageQuantity('abc')).toBeNull();
  });
});

describe('usagePayload', () => {
  const loom = { id: 3, unit: 'hour' };

  it('builds the command payload with the sale in cents and the resource’s unit', () => {
    expect(usagePayload('atelier', loom, draft())).toEqual({
      payload: {
        commons_slug: 'atelier',
        resource_id: 3,
        agent_id: 7,
        quantity: '12.5',
        unit: 'hour',
        period_start: '2026-11-01',
        period_end: '2026-11-30',
        commercial: true,
        sale_amount_cents: 123450,
        recurring: false,
      },
      errors: null,
    });
  });

  it('sends no sale amount for a use that is not commercial, whatever was typed', () => {
    expect(usagePayload('atelier', loom, draft({ commercial: false, sale: 'n’importe' })).payload?.sale_amount_cents).toBeNull();
  });

  it('names every field it cannot read', () => {
    expect(usagePayload('atelier', loom, draft({ quantity: '', sale: '' })).errors).toEqual({
      quantity: 'required',
      sale_amount_cents: 'sale_amount_required',
    });
    expect(usagePayload('atelier', loom, draft({ quantity: '-1', sale: '12,345', periodEnd: '2026-10-01' })).errors).toEqual({
      quantity: 'quantity_out_of_range',
      sale_amount_cents: 'invalid_value',
      period_end: 'invalid_period',
    });
    expect(usagePayload('atelier', loom, draft({ sale: '0' })).errors).toEqual({ sale_amount_cents: 'sale_amount_required' });
  });
});

describe('resourceKey', () => {
  it('writes a name as the charter line’s key', () => {
    expect(resourceKey('Métier à tisser n°2')).toBe('metier-a-tisser-n-2');
    expect(resourceKey('  Parcelle — Nord  ')).toBe('parcelle-nord');
    expect(resourceKey('x'.repeat(80))).toHaveLength(50);
    expect(resourceKey('Default')).toBe('default-1');
    expect(resourceKey('!!!')).toBe('');
  });
});

describe('months', () => {
  it('gives the whole month of a day, leap years included', () => {
    expect(monthOf('2026-11-17')).toEqual({ start: '2026-11-01', end: '2026-11-30' });
    expect(monthOf('2028-02-03')).toEqual({ start: '2028-02-01', end: '2028-02-29' });
    expect(monthOf('2026-12-31')).toEqual({ start: '2026-12-01', end: '2026-12-31' });
    expect(monthStart('2026-11')).toBe('2026-11-01');
  });
});

describe('dueTotals', () => {
  it('adds cents exactly and counts only overdue amounts as overdue', () => {
    const dues = [
      { amount_cents: 1001, paid_cents: 1, outstanding_cents: 1000, status: 'overdue' },
      { amount_cents: 503, paid_cents: 0, outstanding_cents: 503, status: 'due' },
      { amount_cents: 99, paid_cents: 99, outstanding_cents: 0, status: 'paid' },
    ];
    expect(dueTotals(dues)).toEqual({ amount: 1603, paid: 100, outstanding: 1503, overdue: 1000 });
    expect(dueTotals([])).toEqual({ amount: 0, paid: 0, outstanding: 0, overdue: 0 });
  });
});

describe('levy lines', () => {
  const rules = [
    { name: 'levy.default.rate_bp', value: 300 },
    { name: 'levy.metier-a-tisser.rate_bp', value: 500 },
    { name: 'levy.metier-a-tisser.per_unit_cents', value: 20 },
    { name: 'levy.parcelle-nord.per_unit_cents', value: 1500 },
    { name: 'transfer_tax_bp', value: 200 },
  ];

  it('reads the per-resource lines, a missing part as zero, the default line left out', () => {
    expect(levyLines(rules)).toEqual([
      { key: 'metier-a-tisser', rate_bp: 500, per_unit_cents: 20 },
      { key: 'parcelle-nord', rate_bp: 0, per_unit_cents: 1500 },
    ]);
  });

  it('changes only what differs: new and changed lines in full, removed lines as null', () => {
    const current = levyLines(rules);
    const wanted = [
      { key: 'metier-a-tisser', rate_bp: 500, per_unit_cents: 20 },
      { key: 'presse', rate_bp: 250, per_unit_cents: 0 },
    ];
    expect(levyChanges(current, wanted)).toEqual({
      'levy.presse.rate_bp': 250,
      'levy.presse.per_unit_cents': 0,
      'levy.parcelle-nord.rate_bp': null,
      'levy.parcelle-nord.per_unit_cents': null,
    });
    expect(levyChanges(current, current)).toEqual({});
  });
});

describe('readLevyRows', () => {
  it('reads percentages to basis points and euros to cents, an empty part as zero', () => {
    expect(
      readLevyRows([
        { key: 'presse', rate: '2,5', perUnit: '' },
        { key: 'parcelle', rate: '0', perUnit: '15' },
      ]),
    ).toEqual({
      lines: [
        { key: 'presse', rate_bp: 250, per_unit_cents: 0 },
        { key: 'parcelle', rate_bp: 0, per_unit_cents: 1500 },
      ],
      errors: {},
    });
  });

  it('names the parts it cannot read', () => {
    expect(readLevyRows([{ key: 'presse', rate: '2,555', perUnit: '-1' }]).errors).toEqual({
      'presse.rate_bp': 'invalid_value',
      'presse.per_unit_cents': 'invalid_value',
    });
  });

  it('tells per-resource levy lines from the default line and other rules', () => {
    expect(isResourceLevy('levy.presse.rate_bp')).toBe(true);
    expect(isResourceLevy('levy.default.rate_bp')).toBe(false);
    expect(isResourceLevy('levies.destination')).toBe(false);
  });
});
