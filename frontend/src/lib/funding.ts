// Financing helpers: the loan schedule previewed as the server computes it (integer cents, exact rationals), rates, tranches and milestones.
import { parseDecimal, parseEuros } from './amount';

// The server's names (funding/domain.py): every kind is offered (equity as titles on each payment).
export const FINANCING_KINDS = ['grant_operating', 'grant_investment', 'loan', 'equity'] as const;
export type FinancingKind = (typeof FINANCING_KINDS)[number];
export const LOAN_METHODS = ['constant_annuity', 'constant_amortisation'] as const;
export type LoanMethod = (typeof LOAN_METHODS)[number];
/** Months between instalments: monthly, quarterly, half-yearly, yearly. */
export const PERIOD_MONTHS = [1, 3, 6, 12] as const;
export const FINANCING_STATUSES = ['offered', 'voting', 'accepted', 'active', 'closed', 'withdrawn', 'refused'] as const;
export const TRANCHE_STATUSES = ['pending', 'released', 'disbursed'] as const;
export const INSTALMENT_STATUSES = ['scheduled', 'due', 'overdue', 'paid', 'cancelled'] as const;
export const MAX_PERIODS = 600;
export const MAX_TRANCHES = 24;

/** The rounding rule to the cent: half away from zero (`half_up`) or half to even (banker's). */
export type Rounding = 'half_up' | 'half_even';

export interface LoanTerms {
  principalCents: number;
  /** Annual nominal rate in basis points (4 % = 400). */
  rateBp: number;
  /** Number of instalments, grace instalments included. */
  periods: number;
  periodMonths: number;
  method: LoanMethod;
  /** The first instalments pay interest only; the principal is repaid over the others. */
  gracePeriods: number;
  /** ISO day of the first instalment; the others follow every periodMonths months. */
  firstDue: string;
}

export interface ScheduleRow {
  number: number;
  due: string;
  instalmentCents: number;
  interestCents: number;
  principalCents: number;
  remainingCents: number;
}

/** n / d rounded to an integer by `rounding` (d > 0). */
export function divRound(n: bigint, d: bigint, rounding: Rounding = 'half_up'): bigint {
  if (d <= 0n) throw new RangeError('divisor must be positive');
  const negative = n < 0n;
  const a = negative ? -n : n;
  let q = a / d;
  const r2 = (a % d) * 2n;
  if (r2 > d || (r2 === d && (rounding === 'half_up' || q % 2n === 1n))) q += 1n;
  return negative ? -q : q;
}

/** The day `months` months after `day`, kept to the month's last day when shorter (31 Jan + 1 → 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The period rate as an exact fraction a/b: rateBp/10000 × periodMonths/12. */
function periodRate(rateBp: number, periodMonths: number): [bigint, bigint] {
  return [BigInt(rateBp) * BigInt(periodMonths), 120000n];
}

/**
 * The constant instalment of a loan, to the cent: A = P·r / (1 − (1+r)^−n) with r = rateBp/10000 × periodMonths/12,
 * computed on exact rationals (r = a/b): A = P·a·(a+b)^n / (b·((a+b)^n − b^n)); no rate gives P/n.
 */
export function annuityCents(principalCents: number, rateBp: number, periods: number, periodMonths: number, rounding: Rounding = 'half_up'): number {
  const p = BigInt(principalCents);
  const n = BigInt(periods);
  if (rateBp === 0) return Number(divRound(p, n, rounding));
  const [a, b] = periodRate(rateBp, periodMonths);
  const grown = (a + b) ** n;
  return Number(divRound(p * a * grown, b * (grown - b ** n), rounding));
}

/**
 * The schedule the server books (funding/domain.py `schedule`, its rounding rule written there): each period's interest
 * is the pending principal × the period rate, rounded half up to the cent; grace periods pay interest only; a constant
 * annuity (rounded half up) repays annuity − interest, a constant amortisation floor(P/m) each period; the last
 * instalment repays whatever principal is pending, so the principal column sums to P exactly and the balance ends at 0.
 */
export function loanSchedule(terms: LoanTerms, rounding: Rounding = 'half_up'): ScheduleRow[] {
  const { principalCents, rateBp, periods, periodMonths, method, gracePeriods, firstDue } = terms;
  if (!validTerms(terms)) return [];
  const [a, b] = periodRate(rateBp, periodMonths);
  const amortising = periods - gracePeriods;
  const annuity = method === 'constant_annuity' ? annuityCents(principalCents, rateBp, amortising, periodMonths, rounding) : 0;
  const share = Math.floor(principalCents / amortising);
  const rows: ScheduleRow[] = [];
  let remaining = principalCents;
  for (let k = 1; k <= periods; k++) {
    const interest = Number(divRound(BigInt(remaining) * a, b, rounding));
    let principal: number;
    if (k <= gracePeriods) principal = 0;
    else if (k === periods) principal = remaining;
    else principal = Math.min(remaining, method === 'constant_annuity' ? Math.max(annuity - interest, 0) : share);
    remaining -= principal;
    rows.push({
      number: k,
      due: addMonths(firstDue, (k - 1) * periodMonths),
      instalmentCents: principal + interest,
      interestCents: interest,
      principalCents: principal,
      remainingCents: remaining,
    });
  }
  return rows;
}

export function validTerms(terms: LoanTerms): boolean {
  const { principalCents, rateBp, periods, periodMonths, method, gracePeriods, firstDue } = terms;
  return (
    Number.isSafeInteger(principalCents) &&
    principalCents > 0 &&
    Number.isInteger(rateBp) &&
    rateBp >= 0 &&
    principalCents <= 10 ** 13 &&
    rateBp <= 10000 &&
    Number.isInteger(periods) &&
    periods >= 1 &&
    periods <= MAX_PERIODS &&
    (PERIOD_MONTHS as readonly number[]).includes(periodMonths) &&
    (LOAN_METHODS as readonly string[]).includes(method) &&
    Number.isInteger(gracePeriods) &&
    gracePeriods >= 0 &&
    gracePeriods < periods &&
    /^\d{4}-\d{2}-\d{2}$/.test(firstDue)
  );
}

export interface ScheduleTotals {
  instalmentsCents: number;
  interestCents: number;
  principalCents: number;
}

export function scheduleTotals(rows: ScheduleRow[]): ScheduleTotals {
  return rows.reduce(
    (t, r) => ({
      instalmentsCents: t.instalmentsCents + r.instalmentCents,
      interestCents: t.interestCents + r.interestCents,
      principalCents: t.principalCents + r.principalCents,
    }),
    { instalmentsCents: 0, interestCents: 0, principalCents: 0 },
  );
}

/** A rate typed as a percentage (`4`, `4,25`, `0.5`) → basis points; null when not a rate with at most two decimals in 0–100 %. */
export function parseRateBp(text: string): number | null {
  const parsed = parseDecimal(text.trim().replace(/\s*%$/, ''), 2);
  if (!parsed) return null;
  const bp = parsed.digits * 10n ** BigInt(2 - parsed.scale);
  return bp < 0n || bp > 10000n ? null : Number(bp);
}

/** A whole positive number typed in a field, or null. */
export function parseCount(text: string, max = 600): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n >= 0 && n <= max ? n : null;
}

export interface TrancheDraft {
  amount: string;
  /** The objective whose target releases this tranche (null: released on acceptance). */
  objectiveId: number | null;
  /** The verified value the objective must reach (in the indicator's unit), as typed. */
  threshold: string;
}

export interface TrancheReading {
  tranches: { amount_cents: number; objective_id: number | null; threshold: string | null }[];
  errors: Record<number, string>;
  totalCents: number;
}

/** Reads the tranche rows of the offer form: amounts in euros, a milestone's threshold as a plain decimal. */
export function readTranches(rows: TrancheDraft[]): TrancheReading {
  const errors: Record<number, string> = {};
  const tranches: TrancheReading['tranches'] = [];
  let totalCents = 0;
  rows.forEach((row, i) => {
    const cents = parseEuros(row.amount);
    if (cents === null || cents <= 0) errors[i] = 'amount';
    let threshold: string | null = null;
    if (row.objectiveId !== null) {
      const value = parseDecimal(row.threshold.trim(), 4);
      if (!value || value.digits <= 0n) errors[i] = errors[i] ?? 'threshold';
      else threshold = row.threshold.trim().replace(',', '.');
    }
    if (cents !== null && cents > 0) totalCents += cents;
    tranches.push({ amount_cents: cents ?? 0, objective_id: row.objectiveId, threshold });
  });
  return { tranches, errors, totalCents };
}

/** Disbursed, left to disburse and the share disbursed in basis points (0–10000). */
export function disbursement(amountCents: number, disbursedCents: number): { leftCents: number; shareBp: number } {
  const leftCents = Math.max(0, amountCents - disbursedCents);
  const shareBp = amountCents > 0 ? Math.min(10000, Number(divRound(BigInt(disbursedCents) * 10000n, BigInt(amountCents), 'half_up'))) : 0;
  return { leftCents, shareBp };
}

/** The status of a tranche as shown: released once its milestone is verified, disbursed once paid out. */
export function trancheState(t: { disbursed_cents: number; amount_cents: number; released: boolean }): (typeof TRANCHE_STATUSES)[number] {
  if (t.disbursed_cents >= t.amount_cents && t.amount_cents > 0) return 'disbursed';
  return t.released ? 'released' : 'pending';
}

/** Repayments due by a given day and not yet paid, in order of their due day. */
export function overdueInstalments<T extends { due: string; paid_cents: number; amount_cents: number }>(rows: T[], today: string): T[] {
  return rows.filter((r) => r.due <= today && r.paid_cents < r.amount_cents).sort((a, b) => a.due.localeCompare(b.due));
}
