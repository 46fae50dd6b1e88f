// Loan schedules previewed as the server books them (the worked example, exact sums), rates, tranches and dates.
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  annuityCents,
  disbursement,
  divRound,
  loanSchedule,
  overdueInstalments,
  parseCount,
  parseRateBp,
  readTranches,
  scheduleTotals,
  trancheState,
  type LoanMethod,
  type LoanTerms,
  type Rounding,
} from './funding';
import { serverCases } from './funding.cases';

const terms = (over: Partial<LoanTerms> = {}): LoanTerms => ({
  principalCents: 1_000_000,
  rateBp: 400,
  periods: 5,
  periodMonths: 12,
  method: 'constant_annuity',
  gracePeriods: 0,
  firstDue: '2026-01-31',
  ...over,
});

// A small deterministic generator, so that the property checks below are the same on every run.
function* cases(count: number): Generator<LoanTerms> {
  let seed = 20261202;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let i = 0; i < count; i++) {
    const periods = 1 + next(120);
    yield terms({
      principalCents: 1 + next(2_000_000_000),
      rateBp: next(1500),
      periods,
      periodMonths: [1, 3, 6, 12][next(4)],
      method: next(2) ? 'constant_annuity' : 'constant_amortisation',
      gracePeriods: next(Math.min(periods, 12)),
    });
  }
}

describe('divRound', () => {
  it('rounds half up or half to even', () => {
    expect(divRound(5n, 2n, 'half_up')).toBe(3n);
    expect(divRound(5n, 2n, 'half_even')).toBe(2n);
    expect(divRound(7n, 2n, 'half_even')).toBe(4n);
    expect(divRound(-5n, 2n, 'half_up')).toBe(-3n);
    expect(divRound(4n, 3n)).toBe(1n);
    expect(divRound(5n, 3n)).toBe(2n);
  });
});

describe('loanSchedule', () => {
  it('matches the worked example: 10,000 € at 4 % over 5 years', () => {
    expect(annuityCents(1_000_000, 400, 5, 12)).toBe(224627);
    const rows = loanSchedule(terms());
    expect(rows.map((r) => r.instalmentCents)).toEqual([224627, 224627, 224627, 224627, 224628]);
    expect(rows.map((r) => r.interestCents)).toEqual([40000, 32615, 24934, 16947, 8640]);
    expect(rows.map((r) => r.due)).toEqual(['2026-01-31', '2027-01-31', '2028-01-31', '2029-01-31', '2030-01-31']);
    expect(scheduleTotals(rows).principalCents).toBe(1_000_000);
    expect(rows.at(-1)?.remainingCents).toBe(0);
  });

  it('gives the same worked example under both rounding rules', () => {
    // No half cent occurs in the example, so half-up and half-even agree on it.
    const up = loanSchedule(terms(), 'half_up');
    const even = loanSchedule(terms(), 'half_even');
    expect(even).toEqual(up);
  });

  it('splits a constant amortisation of 10,000/3 as 3,333.33, 3,333.33, 3,333.34', () => {
    const rows = loanSchedule(terms({ periods: 3, method: 'constant_amortisation', rateBp: 0 }));
    expect(rows.map((r) => r.principalCents)).toEqual([333333, 333333, 333334]);
    expect(rows.every((r) => r.interestCents === 0)).toBe(true);
  });

  it('pays interest only in the grace periods', () => {
    const rows = loanSchedule(terms({ periods: 7, gracePeriods: 2 }));
    expect(rows.slice(0, 2).map((r) => [r.principalCents, r.interestCents])).toEqual([
      [0, 40000],
      [0, 40000],
    ]);
    expect(rows.slice(2).map((r) => r.instalmentCents)).toEqual([224627, 224627, 224627, 224627, 224628]);
  });

  it('steps monthly and keeps to the end of shorter months', () => {
    const rows = loanSchedule(terms({ periods: 3, periodMonths: 1 }));
    expect(rows.map((r) => r.due)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(addMonths('2027-12-31', 2)).toBe('2028-02-29');
    expect(addMonths('2026-11-15', -11)).toBe('2025-12-15');
  });

  it('without interest repays the principal in equal parts', () => {
    const rows = loanSchedule(terms({ rateBp: 0, periods: 4 }));
    expect(rows.map((r) => r.instalmentCents)).toEqual([250000, 250000, 250000, 250000]);
  });

  it('always sums to the principal and closes at zero, never repaying more than remains', () => {
    for (const rounding of ['half_up', 'half_even'] as Rounding[]) {
      for (const t of cases(120)) {
        const rows = loanSchedule(t, rounding);
        expect(rows).toHaveLength(t.periods);
        expect(scheduleTotals(rows).principalCents).toBe(t.principalCents);
        expect(rows.at(-1)?.remainingCents).toBe(0);
        for (const r of rows) {
          expect(r.principalCents).toBeGreaterThanOrEqual(0);
          expect(r.remainingCents).toBeGreaterThanOrEqual(0);
          expect(r.instalmentCents).toBe(r.principalCents + r.interestCents);
        }
      }
    }
  });

  it('is the schedule the server computes, row for row', () => {
    for (const [[principalCents, rateBp, periods, periodMonths, method, gracePeriods, firstDue], want] of serverCases) {
      const rows = loanSchedule({ principalCents, rateBp, periods, periodMonths, method: method as LoanMethod, gracePeriods, firstDue });
      expect(rows.map((r) => [r.due, r.principalCents, r.interestCents])).toEqual(want);
    }
  });

  it('refuses terms it cannot schedule', () => {
    expect(loanSchedule(terms({ principalCents: 0 }))).toEqual([]);
    expect(loanSchedule(terms({ gracePeriods: 5 }))).toEqual([]);
    expect(loanSchedule(terms({ periodMonths: 2 }))).toEqual([]);
    expect(loanSchedule(terms({ firstDue: '' }))).toEqual([]);
  });
});

describe('reading the offer form', () => {
  it('reads rates in percent to basis points', () => {
    expect(parseRateBp('4')).toBe(400);
    expect(parseRateBp('4,25')).toBe(425);
    expect(parseRateBp('0.5 %')).toBe(50);
    expect(parseRateBp('4,125')).toBeNull();
    expect(parseRateBp('101')).toBeNull();
    expect(parseRateBp('abc')).toBeNull();
  });

  it('reads counts', () => {
    expect(parseCount('60')).toBe(60);
    expect(parseCount('6.5')).toBeNull();
    expect(parseCount('-1')).toBeNull();
  });

  it('reads tranches and their milestones', () => {
    const read = readTranches([
      { amount: '5 000', objectiveId: null, threshold: '' },
      { amount: '2500,50', objectiveId: 3, threshold: '12,5' },
      { amount: '0', objectiveId: 3, threshold: 'x' },
    ]);
    expect(read.totalCents).toBe(750050);
    expect(read.tranches[1]).toEqual({ amount_cents: 250050, objective_id: 3, threshold: '12.5' });
    expect(read.errors).toEqual({ 2: 'amount' });
    expect(readTranches([{ amount: '10', objectiveId: 1, threshold: '' }]).errors).toEqual({ 0: 'threshold' });
  });
});

describe('following a financing', () => {
  it('gives what is left and the share disbursed', () => {
    expect(disbursement(1_000_000, 250_000)).toEqual({ leftCents: 750_000, shareBp: 2500 });
    expect(disbursement(0, 0)).toEqual({ leftCents: 0, shareBp: 0 });
  });

  it('names a tranche’s state', () => {
    expect(trancheState({ amount_cents: 100, disbursed_cents: 100, released: true })).toBe('disbursed');
    expect(trancheState({ amount_cents: 100, disbursed_cents: 0, released: true })).toBe('released');
    expect(trancheState({ amount_cents: 100, disbursed_cents: 0, released: false })).toBe('pending');
  });

  it('lists unpaid instalments already due', () => {
    const rows = [
      { due: '2027-01-31', amount_cents: 10, paid_cents: 0 },
      { due: '2026-01-31', amount_cents: 10, paid_cents: 10 },
      { due: '2026-06-30', amount_cents: 10, paid_cents: 5 },
    ];
    expect(overdueInstalments(rows, '2026-12-02').map((r) => r.due)).toEqual(['2026-06-30']);
  });
});
