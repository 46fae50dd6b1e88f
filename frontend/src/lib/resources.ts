// Resources, their usages and the dues they raise: reading a usage form, month ranges, due totals and per-resource levy lines of the charter.
import { parseDecimal, parseEuros } from './amount';

export const RESOURCE_KINDS = [
  'equipment',
  'land',
  'buildings',
  'materials',
  'software',
  'data',
  'knowledge',
  'carbon_credits',
  'other',
] as const;
export const CAPITAL_KINDS = ['financial', 'human_social', 'natural'] as const;
export const DUE_STATUSES = ['due', 'overdue', 'paid'] as const;
export type DueStatus = (typeof DUE_STATUSES)[number];

/** What a person typed in the "declare a use" form. */
export interface UsageDraft {
  agentId: number | null;
  quantity: string;
  periodStart: string;
  periodEnd: string;
  commercial: boolean;
  sale: string;
  repeatMonthly: boolean;
}

export interface UsagePayload {
  commons_slug: string;
  resource_id: number;
  agent_id: number | null;
  quantity: string;
  unit: string;
  period_start: string;
  period_end: string;
  commercial: boolean;
  sale_amount_cents: number | null;
  recurring: boolean;
}

/** The units of use the server knows, in its order. */
export const UNITS = ['hour', 'day', 'week', 'month', 'kg', 't', 'm2', 'm3', 'ha', 'km', 'kwh', 'seat', 'licence', 'unit', 'gb', 'copy'] as const;

/**
 * A resource's key (the name of its charter levy line, `levy.<key>.*`) from its name: lower case, accents dropped,
 * other characters as dashes, at most 50; never `default`, the charter's line for every other resource.
 */
export function resourceKey(name: string): string {
  const key = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return key === 'default' ? 'default-1' : key;
}

/** A quantity has at most three decimals (the server keeps 3); the same bound as the server's, 1 000 000 000 units. */
export const QUANTITY_SCALE = 3;
const QUANTITY_MAX = 1_000_000_000n;

/** A quantity typed as `"12,5"` → `"12.5"`; null when unreadable, zero, with more than 3 decimals, or absurdly large. */
export function parseUsageQuantity(text: string): string | null {
  const value = parseDecimal(text, QUANTITY_SCALE);
  if (!value || value.digits === 0n) return null;
  if (value.digits > QUANTITY_MAX * 10n ** BigInt(value.scale)) return null;
  const digits = value.digits.toString().padStart(value.scale + 1, '0');
  return value.scale ? `${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}` : digits;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The payload of `usage.declare` from the form, or the fields that cannot be read (by the API's field names, each
 * with an error code of the catalogue). A use that is not commercial has no sale amount (null); its unit is the
 * resource's, which the server checks again.
 */
export function usagePayload(
  commonsSlug: string,
  resource: { id: number; unit: string },
  draft: UsageDraft,
): { payload: UsagePayload; errors: null } | { payload: null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const quantity = parseUsageQuantity(draft.quantity);
  if (!draft.quantity.trim()) errors.quantity = 'required';
  else if (quantity === null) errors.quantity = 'quantity_out_of_range';
  if (!DAY.test(draft.periodStart)) errors.period_start = 'required';
  if (!DAY.test(draft.periodEnd)) errors.period_end = 'required';
  else if (DAY.test(draft.periodStart) && draft.periodEnd < draft.periodStart) errors.period_end = 'invalid_period';
  let sale: number | null = null;
  if (draft.commercial) {
    const cents = draft.sale.trim() ? parseEuros(draft.sale) : null;
    if (!draft.sale.trim()) errors.sale_amount_cents = 'sale_amount_required';
    else if (cents === null) errors.sale_amount_cents = 'invalid_value';
    else if (cents === 0) errors.sale_amount_cents = 'sale_amount_required';
    else sale = cents;
  }
  if (Object.keys(errors).length) return { payload: null, errors };
  return {
    payload: {
      commons_slug: commonsSlug,
      resource_id: resource.id,
      agent_id: draft.agentId,
      quantity: quantity!,
      unit: resource.unit,
      period_start: draft.periodStart,
      period_end: draft.periodEnd,
      commercial: draft.commercial,
      sale_amount_cents: sale,
      recurring: draft.repeatMonthly,
    },
    errors: null,
  };
}

/** The first and last day of the month of `day` (`YYYY-MM-DD`), as the default period of a use. */
export function monthOf(day: string): { start: string; end: string } {
  const [y, m] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { start: `${y}-${mm}-01`, end: `${y}-${mm}-${String(last).padStart(2, '0')}` };
}

/** A month `"2026-11"` as the date the charts place it at. */
export function monthStart(month: string): string {
  return `${month}-01`;
}

/** Today as `YYYY-MM-DD` in the reader's time zone (the day people write on a form). */
export function localDay(now: Date = new Date()): string {
  const mm = String(now.getMonth() + 1).padStart(2, '0');
  const dd = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${mm}-${dd}`;
}

/** Totals of a list of dues, in integer cents: what is charged, paid, still owed, and owed past its date. */
export function dueTotals(dues: { amount_cents: number; paid_cents: number; outstanding_cents: number; status: string }[]): {
  amount: number;
  paid: number;
  outstanding: number;
  overdue: number;
} {
  const totals = { amount: 0, paid: 0, outstanding: 0, overdue: 0 };
  for (const due of dues) {
    totals.amount += due.amount_cents;
    totals.paid += due.paid_cents;
    totals.outstanding += due.outstanding_cents;
    if (due.status === 'overdue') totals.overdue += due.outstanding_cents;
  }
  return totals;
}

/** One per-resource levy line of a charter: `levy.<key>.rate_bp` and `levy.<key>.per_unit_cents`. */
export interface LevyLine {
  key: string;
  rate_bp: number;
  per_unit_cents: number;
}

const LEVY_NAME = /^levy\.([^.]+)\.(rate_bp|per_unit_cents)$/;

/** The charter's per-resource levy lines (the default line left out), sorted by key; a missing part reads as 0. */
export function levyLines(parameters: { name: string; value?: unknown }[]): LevyLine[] {
  const lines = new Map<string, LevyLine>();
  for (const { name, value } of parameters) {
    const found = LEVY_NAME.exec(name);
    if (!found || found[1] === 'default' || typeof value !== 'number') continue;
    const line = lines.get(found[1]) ?? { key: found[1], rate_bp: 0, per_unit_cents: 0 };
    line[found[2] as 'rate_bp' | 'per_unit_cents'] = value;
    lines.set(found[1], line);
  }
  return [...lines.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * The charter changes that turn the current levy lines into the wanted ones: both parts of a new or changed line,
 * null for both parts of a removed line (the server then drops it), nothing for a line left as it is.
 */
export function levyChanges(current: LevyLine[], wanted: LevyLine[]): Record<string, number | null> {
  const changes: Record<string, number | null> = {};
  const before = new Map(current.map((line) => [line.key, line]));
  const after = new Map(wanted.map((line) => [line.key, line]));
  for (const line of wanted) {
    const old = before.get(line.key);
    if (old && old.rate_bp === line.rate_bp && old.per_unit_cents === line.per_unit_cents) continue;
    changes[`levy.${line.key}.rate_bp`] = line.rate_bp;
    changes[`levy.${line.key}.per_unit_cents`] = line.per_unit_cents;
  }
  for (const line of current) {
    if (after.has(line.key)) continue;
    changes[`levy.${line.key}.rate_bp`] = null;
    changes[`levy.${line.key}.per_unit_cents`] = null;
  }
  return changes;
}

/** A levy line as the amendment form holds it: the resource's key and the two parts as typed. */
export interface LevyRow {
  key: string;
  rate: string;
  perUnit: string;
}

/** Basis points or cents from a percentage or euros typed with two decimals at most (`"2,5"` → 250); null if unreadable. */
function hundredths(text: string): number | null {
  const value = parseDecimal(text.trim() === '' ? '0' : text, 2);
  if (!value) return null;
  const scaled = value.digits * 10n ** BigInt(2 - value.scale);
  return scaled > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(scaled);
}

/** The typed rows as levy lines (an empty part is zero), or the row fields that cannot be read, keyed `<key>.rate_bp`. */
export function readLevyRows(rows: LevyRow[]): { lines: LevyLine[]; errors: Record<string, string> } {
  const lines: LevyLine[] = [];
  const errors: Record<string, string> = {};
  for (const row of rows) {
    const rate = hundredths(row.rate);
    const perUnit = hundredths(row.perUnit);
    if (rate === null) errors[`${row.key}.rate_bp`] = 'invalid_value';
    if (perUnit === null) errors[`${row.key}.per_unit_cents`] = 'invalid_value';
    if (rate !== null && perUnit !== null) lines.push({ key: row.key, rate_bp: rate, per_unit_cents: perUnit });
  }
  return { lines, errors };
}

/** Whether a charter parameter is a per-resource levy line (edited by resource, not as a rule of its own). */
export function isResourceLevy(name: string): boolean {
  const found = LEVY_NAME.exec(name);
  return found !== null && found[1] !== 'default';
}
