// Impact helpers: reading values, progress from verified values only, the forms' payloads and the footprint's rounding.
import { describe, expect, it } from 'vitest';
import {
  canReview,
  footprintPayload,
  footprintTotals,
  formatPercent,
  fromMilli,
  latestVerified,
  lineKg,
  measurementPayload,
  objectivePayload,
  parseValue,
  progressBp,
  toMilli,
  verifiedSeries,
  verifiedTotal,
  emptyObjective,
  type ObjectiveDraft,
} from './impact';

describe('parseValue', () => {
  it('reads a comma or a point and spaces, up to three decimals', () => {
    expect(parseValue('12,5')).toBe('12.5');
    expect(parseValue('1 234,125')).toBe('1234.125');
    expect(parseValue('0')).toBe('0');
    expect(parseValue('7.000')).toBe('7');
  });
  it('refuses text, four decimals and absurd sizes', () => {
    expect(parseValue('abc')).toBeNull();
    expect(parseValue('1,2345')).toBeNull();
    expect(parseValue('-3')).toBeNull();
    expect(parseValue('1000000000001')).toBeNull();
    expect(parseValue('1000000000000')).toBe('1000000000000');
  });
});

describe('thousandths', () => {
  it('round-trip the API strings', () => {
    expect(toMilli('12.500')).toBe(12500n);
    expect(toMilli('-0.5')).toBe(-500n);
    expect(fromMilli(3n)).toBe('0.003');
    expect(fromMilli(-1500n)).toBe('-1.5');
    expect(toMilli('x')).toBeNull();
  });
});

const m = (value: string, status: string, end = '2026-06-30') => ({ value, status, period_start: '2026-01-01', period_end: end });

describe('verified values only', () => {
  it('sums verified measurements and nothing else', () => {
    const list = [m('10', 'verified'), m('5.5', 'declared'), m('100', 'disputed'), m('7', 'superseded'), m('2.25', 'verified')];
    expect(verifiedTotal(list)).toBe('12.25');
  });

  it('random sequences: the total is the sum of the verified ones whatever the others say', () => {
    const statuses = ['declared', 'verified', 'disputed', 'superseded'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let run = 0; run < 50; run++) {
      const list = Array.from({ length: next() % 12 }, () => m(String(next() % 100000 / 1000), statuses[next() % 4]));
      const expected = list.filter((x) => x.status === 'verified').reduce((a, x) => a + Math.round(Number(x.value) * 1000), 0);
      expect(toMilli(verifiedTotal(list))).toBe(BigInt(expected));
    }
  });

  it('cumulates verified values over time for the chart, one point per day', () => {
    const list = [m('3', 'verified', '2026-09-30'), m('1', 'verified', '2026-03-31'), m('50', 'declared', '2026-04-30'), m('2', 'verified', '2026-09-30')];
    expect(verifiedSeries(list)).toEqual([
      { at: '2026-03-31', value: 1, total: '1' },
      { at: '2026-09-30', value: 6, total: '6' },
    ]);
  });

  it('charts the level itself for a decreasing indicator', () => {
    const list = [m('80', 'verified', '2026-12-31'), m('95', 'verified', '2025-12-31'), m('10', 'disputed', '2026-06-30')];
    expect(verifiedSeries(list, 'decrease').map((p) => p.total)).toEqual(['95', '80']);
  });
});

describe('progressBp', () => {
  const v = (total: string, latest: string | null = null) => ({ total, latest });
  it('adds up what an increasing indicator achieved, toward the span from the baseline', () => {
    expect(progressBp('0', '1000', v('250'))).toBe(2500);
    expect(progressBp('10', '110', v('50'))).toBe(5000);
    expect(progressBp('0', '3', v('1'))).toBe(3333); // rounded down, never over-claimed
  });
  it('is bounded between 0 and 100 %', () => {
    expect(progressBp('0', '100', v('250'))).toBe(10000);
    expect(progressBp('10', '110', v('0'))).toBe(0);
    expect(progressBp('10', '10', v('50'))).toBe(0);
  });
  it('reads a decreasing indicator from its latest verified level', () => {
    expect(progressBp('100', '40', v('999', '70'), 'decrease')).toBe(5000);
    expect(progressBp('100', '40', v('120', '120'), 'decrease')).toBe(0);
    expect(progressBp('100', '40', v('0', null), 'decrease')).toBe(0);
  });
  it('takes the latest verified level', () => {
    expect(latestVerified([m('5', 'verified', '2026-09-30'), m('7', 'verified', '2026-03-31'), m('1', 'declared', '2026-12-31')])).toBe('5');
    expect(latestVerified([m('1', 'disputed')])).toBeNull();
  });
  it('formats as a percentage', () => {
    expect(formatPercent(2500, 'fr')).toBe('25');
    expect(formatPercent(3333, 'fr')).toBe('33,33');
    expect(formatPercent(1050, 'en')).toBe('10.5');
  });
});

describe('canReview', () => {
  const declared = { status: 'declared', declared_by_id: 3 };
  it('lets a verifier who is not the declarer review a declared measurement', () => {
    expect(canReview(declared, 4, ['verifier'])).toBe(true);
  });
  it('never the declarer, nor a member without the role, nor after review', () => {
    expect(canReview(declared, 3, ['verifier'])).toBe(false);
    expect(canReview(declared, 4, ['contributor'])).toBe(false);
    expect(canReview({ status: 'verified', declared_by_id: 3 }, 4, ['verifier'])).toBe(false);
    expect(canReview(declared, null, ['verifier'])).toBe(false);
  });
});

const objective = (over: Partial<ObjectiveDraft> = {}): ObjectiveDraft => ({
  ...emptyObjective(),
  title: 'Carbone des sols',
  indicator: 'ghg_avoided',
  baseline: '0',
  target: '1 200,5',
  startsOn: '2026-01-01',
  targetDate: '2028-12-31',
  method: 'Label bas-carbone',
  methodReference: 'LBC grandes cultures v1.0',
  resourceIds: [4],
  terms: ['climat.sequestration'],
  ...over,
});

describe('objectivePayload', () => {
  it('builds the command payload', () => {
    expect(objectivePayload('sols', objective(), 'increase')).toEqual({
      payload: {
        commons_slug: 'sols',
        title: 'Carbone des sols',
        indicator_code: 'ghg_avoided',
        baseline: '0',
        target: '1200.5',
        starts_on: '2026-01-01',
        target_date: '2028-12-31',
        method: 'Label bas-carbone',
        method_reference: 'LBC grandes cultures v1.0',
        resource_ids: [4],
        terms: ['climat.sequestration'],
      },
      errors: null,
    });
  });
  it('names each unreadable field by its code', () => {
    const { errors } = objectivePayload('sols', objective({ title: ' ', indicator: '', target: 'x', targetDate: '2025-01-01' }), null);
    expect(errors).toEqual({ title: 'required', indicator_code: 'required', target: 'invalid_value', target_date: 'objective_dates_invalid' });
  });
  it('wants the target beyond the baseline in the indicator’s direction', () => {
    expect(objectivePayload('sols', objective({ baseline: '10', target: '5' }), 'increase').errors).toEqual({ target: 'objective_target_not_beyond_baseline' });
    expect(objectivePayload('sols', objective({ baseline: '10', target: '5' }), 'decrease').errors).toBeNull();
  });
});

describe('measurementPayload', () => {
  const obj = { id: 9, unit: 'tCO2e', starts_on: '2026-01-01' };
  it('carries the indicator’s unit', () => {
    expect(measurementPayload(obj, { value: '12,5', periodStart: '2026-01-01', periodEnd: '2026-06-30', method: ' pesées ' }).payload).toEqual({
      objective_id: 9,
      value: '12.5',
      unit: 'tCO2e',
      period_start: '2026-01-01',
      period_end: '2026-06-30',
      method: 'pesées',
    });
  });
  it('refuses a period before the objective and a reversed period', () => {
    expect(measurementPayload(obj, { value: '1', periodStart: '2025-12-01', periodEnd: '2025-11-30', method: '' }).errors).toEqual({
      period_start: 'measurement_period_before_objective',
      period_end: 'invalid_period',
    });
  });
});

describe('footprint', () => {
  const factors = [
    { code: 'elec_fr', kg_co2e_per_unit: '0.052000' },
    { code: 'gazole', kg_co2e_per_unit: '3.160000' },
    { code: 'tiny', kg_co2e_per_unit: '0.000125' },
  ];
  it('multiplies activity by factor, rounded half to even to three decimals', () => {
    expect(lineKg('1000', factors[0])).toBe('52');
    expect(lineKg('12,5', factors[1])).toBe('39.5');
    expect(lineKg('4', factors[2])).toBe('0'); // 0.0005 → 0.000 (half to even)
    expect(lineKg('12', factors[2])).toBe('0.002'); // 0.0015 → 0.002
    expect(lineKg('20', factors[2])).toBe('0.002'); // 0.0025 → 0.002
    expect(lineKg('1', undefined)).toBeNull();
  });
  it('adds the rounded lines, by category, and gives tonnes', () => {
    const totals = footprintTotals(
      [
        { category: '2', factorCode: 'elec_fr', activity: '10 000' },
        { category: '1', factorCode: 'gazole', activity: '150' },
        { category: '1', factorCode: 'gazole', activity: '' },
        { category: '3', factorCode: 'missing', activity: '5' },
      ],
      factors,
    );
    expect(totals).toEqual({ byCategory: { '1': '474', '2': '520' }, kg: '994', t: '0.994', unreadable: [2, 3] });
  });
  it('rounds the tonnes half to even', () => {
    expect(footprintTotals([{ category: '1', factorCode: 'tiny', activity: '20' }], factors).t).toBe('0'); // 0.002 kg
    expect(footprintTotals([{ category: '1', factorCode: 'elec_fr', activity: '10' }], factors).t).toBe('0.001'); // 0.52 kg → 0.00052 t
    expect(footprintTotals([{ category: '1', factorCode: 'elec_fr', activity: '48,076' }], factors).t).toBe('0.002'); // 2.499952 kg → 2.5 kg → 0.0025 t → 0.002
  });
  it('builds the footprint payload or names the bad lines', () => {
    const draft = { periodStart: '2026-01-01', periodEnd: '2026-12-31', method: 'Bilan Carbone', lines: [{ category: '1', factorCode: 'gazole', activity: '150,5' }] };
    expect(footprintPayload(3, draft, factors).payload).toEqual({
      objective_id: 3,
      period_start: '2026-01-01',
      period_end: '2026-12-31',
      method: 'Bilan Carbone',
      lines: [{ category: '1', factor_code: 'gazole', activity: '150.5' }],
    });
    expect(footprintPayload(3, { ...draft, lines: [{ category: '7', factorCode: 'x', activity: 'y' }] }, factors).errors).toEqual({
      'lines.0.category': 'invalid_value',
      'lines.0.factor_code': 'required',
      'lines.0.activity': 'invalid_value',
    });
    expect(footprintPayload(3, { ...draft, lines: [] }, factors).errors).toEqual({ lines: 'footprint_empty' });
  });
});
