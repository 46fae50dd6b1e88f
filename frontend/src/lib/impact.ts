// Members' impact work: reading measured values, the objective and measurement forms, progress from verified values only, and the carbon footprint's totals.
import { parseDecimal } from './amount';

/** Measured values keep three decimals (the server's VALUE_PLACES); at most 10^12. */
export const VALUE_PLACES = 3;
const VALUE_MAX = 10n ** 12n;
const SCALE = 10n ** BigInt(VALUE_PLACES);
/** Emission factors keep six decimals (kgCO2e per activity unit). */
export const FACTOR_PLACES = 6;

export const MEASUREMENT_STATUSES = ['declared', 'verified', 'disputed', 'superseded'] as const;
export type MeasurementStatus = (typeof MEASUREMENT_STATUSES)[number];
export const OBJECTIVE_STATUSES = ['proposed', 'adopted', 'rejected', 'closed'] as const;
/** The six categories of the French BEGES method v5 (1–2 are scopes 1 and 2 of the GHG Protocol). */
export const BEGES_CATEGORIES = ['1', '2', '3', '4', '5', '6'] as const;
export type Direction = 'increase' | 'decrease';
/** The indicator a carbon footprint is recorded on (the server's FOOTPRINT_INDICATOR, in tCO2e). */
export const FOOTPRINT_INDICATOR = 'ghg_emissions';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A decimal as a BigInt of thousandths (`"12.5"` → 12500n); null when unreadable. Accepts the API's strings and a leading minus. */
export function toMilli(value: string | number): bigint | null {
  const text = String(value).trim();
  const negative = text.startsWith('-');
  const parsed = parseDecimal(negative ? text.slice(1) : text, 20);
  if (!parsed) return null;
  const scaled = rescale(parsed.digits, parsed.scale, VALUE_PLACES);
  return negative ? -scaled : scaled;
}

/** Thousandths back to the API's decimal string: 12500n → `"12.5"`, 3n → `"0.003"`. */
export function fromMilli(milli: bigint): string {
  const negative = milli < 0n;
  const abs = negative ? -milli : milli;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(VALUE_PLACES, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? '.' + fraction : ''}`;
}

/** `digits × 10^-scale` at `places` decimals, rounded half to even (Python's Decimal.quantize default, as the server does). */
function rescale(digits: bigint, scale: number, places: number): bigint {
  if (scale <= places) return digits * 10n ** BigInt(places - scale);
  const divisor = 10n ** BigInt(scale - places);
  return halfEven(digits, divisor);
}

/** n / d rounded half to even, for n ≥ 0 and d > 0. */
function halfEven(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  let q = abs / d;
  const twice = (abs % d) * 2n;
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

/** A measured value typed by a person (`"12,5"`, `"1 234"`) → `"12.5"`; null when unreadable, with more than three decimals or beyond 10^12. */
export function parseValue(text: string): string | null {
  const value = parseDecimal(text, VALUE_PLACES);
  if (!value) return null;
  const milli = rescale(value.digits, value.scale, VALUE_PLACES);
  if (milli > VALUE_MAX * SCALE) return null;
  return fromMilli(milli);
}

/** Whether a measurement counts toward progress and every public figure: verified ones only. */
export function counts(status: string): boolean {
  return status === 'verified';
}

export interface MeasuredValue {
  value: string;
  status: string;
  period_start: string;
  period_end: string;
}

/** The sum of the verified values (a declared, disputed or superseded one never counts). */
export function verifiedTotal(measurements: MeasuredValue[]): string {
  let total = 0n;
  for (const m of measurements) if (counts(m.status)) total += toMilli(m.value) ?? 0n;
  return fromMilli(total);
}

/**
 * Progress toward the target in basis points (0..10000), as the server computes it (impact.domain.progress_bp).
 * An increasing indicator (hectares regenerated, tCO2e avoided) adds up what each verified measurement achieved:
 * total ÷ (target − baseline). A decreasing one (emissions) measures a level: the latest verified one,
 * (baseline − latest) ÷ (baseline − target). Rounded down, so a milestone is never reached early.
 */
export function progressBp(baseline: string, target: string, verified: { total: string; latest: string | null }, direction: Direction = 'increase'): number {
  const b = toMilli(baseline) ?? 0n;
  const t = toMilli(target) ?? 0n;
  const span = direction === 'increase' ? t - b : b - t;
  if (span <= 0n) return 0;
  let gained: bigint;
  if (direction === 'increase') gained = toMilli(verified.total) ?? 0n;
  else if (verified.latest === null) return 0;
  else gained = b - (toMilli(verified.latest) ?? b);
  if (gained <= 0n) return 0;
  const bp = (gained * 10000n) / span;
  return Number(bp > 10000n ? 10000n : bp);
}

/** The latest verified value (by the end of its period), the level a decreasing indicator has reached; null if none. */
export function latestVerified(measurements: MeasuredValue[]): string | null {
  const verified = measurements.filter((m) => counts(m.status)).sort((a, b) => a.period_end.localeCompare(b.period_end));
  return verified.length ? fromMilli(toMilli(verified[verified.length - 1].value) ?? 0n) : null;
}

/** Basis points as a percentage for reading: 4567 → `"45,67"` (French) or `"45.67"`, trailing zeros dropped. */
export function formatPercent(bp: number, locale: 'fr' | 'en' = 'fr'): string {
  const whole = Math.trunc(bp / 100);
  const rest = String(Math.abs(bp % 100)).padStart(2, '0').replace(/0+$/, '');
  return rest ? `${whole}${locale === 'fr' ? ',' : '.'}${rest}` : String(whole);
}

/**
 * The verified values over time, the points of the progress chart: cumulated by the end of their period for an
 * increasing indicator (they add up), the level itself for a decreasing one; one point per day.
 */
export function verifiedSeries(measurements: MeasuredValue[], direction: Direction = 'increase'): { at: string; value: number; total: string }[] {
  const verified = measurements.filter((m) => counts(m.status)).sort((a, b) => a.period_end.localeCompare(b.period_end));
  const points: { at: string; value: number; total: string }[] = [];
  let total = 0n;
  for (const m of verified) {
    const value = toMilli(m.value) ?? 0n;
    total = direction === 'increase' ? total + value : value;
    const at = m.period_end.slice(0, 10);
    const point = { at, value: Number(fromMilli(total)), total: fromMilli(total) };
    if (points.length && points[points.length - 1].at === at) points[points.length - 1] = point;
    else points.push(point);
  }
  return points;
}

/** Whether this person may verify or dispute a measurement: a verifier of the commons, never its declarer, while it is declared. */
export function canReview(measurement: { status: string; declared_by_id: number | null }, userId: number | null, roles: readonly string[]): boolean {
  return measurement.status === 'declared' && roles.includes('verifier') && userId !== null && measurement.declared_by_id !== userId;
}

/** What a person typed in the "propose an objective" form. */
export interface ObjectiveDraft {
  title: string;
  indicator: string;
  baseline: string;
  target: string;
  startsOn: string;
  targetDate: string;
  method: string;
  methodReference: string;
  resourceIds: number[];
  terms: string[];
}

export function emptyObjective(): ObjectiveDraft {
  return { title: '', indicator: '', baseline: '0', target: '', startsOn: '', targetDate: '', method: '', methodReference: '', resourceIds: [], terms: [] };
}

export interface ObjectivePayload {
  commons_slug: string;
  title: string;
  indicator_code: string;
  baseline: string;
  target: string;
  starts_on: string;
  target_date: string;
  method: string;
  method_reference: string;
  resource_ids: number[];
  terms: string[];
}

type Checked<P> = { payload: P; errors: null } | { payload: null; errors: Record<string, string> };

/**
 * The payload of `objective.propose` from the form, or the fields that cannot be read (API field names, each with an
 * error code of the catalogue). The target must lie beyond the baseline in the indicator's direction.
 */
export function objectivePayload(commonsSlug: string, draft: ObjectiveDraft, direction: Direction | null): Checked<ObjectivePayload> {
  const errors: Record<string, string> = {};
  if (!draft.title.trim()) errors.title = 'required';
  if (!draft.indicator) errors.indicator_code = 'required';
  const baseline = draft.baseline.trim() ? parseValue(draft.baseline) : null;
  const target = draft.target.trim() ? parseValue(draft.target) : null;
  if (!draft.baseline.trim()) errors.baseline = 'required';
  else if (baseline === null) errors.baseline = 'invalid_value';
  if (!draft.target.trim()) errors.target = 'required';
  else if (target === null) errors.target = 'invalid_value';
  else if (baseline !== null && direction) {
    const b = toMilli(baseline)!;
    const t = toMilli(target)!;
    if (direction === 'increase' ? t <= b : t >= b) errors.target = 'objective_target_not_beyond_baseline';
  }
  if (!DAY.test(draft.startsOn)) errors.starts_on = 'required';
  if (!DAY.test(draft.targetDate)) errors.target_date = 'required';
  else if (DAY.test(draft.startsOn) && draft.targetDate <= draft.startsOn) errors.target_date = 'objective_dates_invalid';
  if (draft.methodReference.length > 200) errors.method_reference = 'too_long';
  if (Object.keys(errors).length) return { payload: null, errors };
  return {
    payload: {
      commons_slug: commonsSlug,
      title: draft.title.trim(),
      indicator_code: draft.indicator,
      baseline: baseline!,
      target: target!,
      starts_on: draft.startsOn,
      target_date: draft.targetDate,
      method: draft.method.trim(),
      method_reference: draft.methodReference.trim(),
      resource_ids: [...draft.resourceIds],
      terms: [...draft.terms],
    },
    errors: null,
  };
}

/** What a person typed in the "declare a measurement" form. */
export interface MeasurementDraft {
  value: string;
  periodStart: string;
  periodEnd: string;
  method: string;
}

export interface MeasurementPayload {
  objective_id: number;
  value: string;
  unit: string;
  period_start: string;
  period_end: string;
  method: string;
}

/**
 * The payload of `measurement.declare`, or the fields that cannot be read. The unit is the indicator's (the server
 * refuses another); a period may not start before the objective does.
 */
export function measurementPayload(objective: { id: number; unit: string; starts_on: string }, draft: MeasurementDraft): Checked<MeasurementPayload> {
  const errors: Record<string, string> = {};
  const value = draft.value.trim() ? parseValue(draft.value) : null;
  if (!draft.value.trim()) errors.value = 'required';
  else if (value === null) errors.value = 'invalid_value';
  if (!DAY.test(draft.periodStart)) errors.period_start = 'required';
  else if (draft.periodStart < objective.starts_on) errors.period_start = 'measurement_period_before_objective';
  if (!DAY.test(draft.periodEnd)) errors.period_end = 'required';
  else if (DAY.test(draft.periodStart) && draft.periodEnd < draft.periodStart) errors.period_end = 'invalid_period';
  if (Object.keys(errors).length) return { payload: null, errors };
  return {
    payload: {
      objective_id: objective.id,
      value: value!,
      unit: objective.unit,
      period_start: draft.periodStart,
      period_end: draft.periodEnd,
      method: draft.method.trim(),
    },
    errors: null,
  };
}

/** One line of a carbon footprint as typed: a BEGES category, an emission factor, and the activity in the factor's unit. */
export interface FootprintLine {
  category: string;
  factorCode: string;
  activity: string;
}

/** An emission factor as the picker shows it. */
export interface FactorValue {
  code: string;
  kg_co2e_per_unit: string;
}

/**
 * A line's emissions in kgCO2e: activity × factor, rounded half to even to three decimals, as the server stores
 * `emission_kg`; null when the activity is unreadable or the factor unknown.
 */
export function lineKg(activity: string, factor: FactorValue | undefined): string | null {
  if (!factor) return null;
  const a = parseDecimal(activity, VALUE_PLACES);
  const f = parseDecimal(String(factor.kg_co2e_per_unit), FACTOR_PLACES);
  if (!a || !f) return null;
  return fromMilli(rescale(a.digits * f.digits, a.scale + f.scale, VALUE_PLACES));
}

export interface FootprintTotals {
  /** Per BEGES category, in kgCO2e (only the categories with a readable line). */
  byCategory: Record<string, string>;
  kg: string;
  /** The total in tCO2e, the unit of the measurement the footprint records (kg ÷ 1000, half to even, three decimals). */
  t: string;
  /** Lines whose activity or factor cannot be read (by index). */
  unreadable: number[];
}

/** The footprint's totals, the sum of the rounded lines (as the server adds them), shown live as the form is typed. */
export function footprintTotals(lines: FootprintLine[], factors: FactorValue[]): FootprintTotals {
  const byCode = new Map(factors.map((f) => [f.code, f]));
  const byCategory = new Map<string, bigint>();
  const unreadable: number[] = [];
  let kg = 0n;
  lines.forEach((line, i) => {
    const value = line.activity.trim() ? lineKg(line.activity, byCode.get(line.factorCode)) : null;
    if (value === null) {
      unreadable.push(i);
      return;
    }
    const milli = toMilli(value)!;
    kg += milli;
    byCategory.set(line.category, (byCategory.get(line.category) ?? 0n) + milli);
  });
  const sorted = [...byCategory.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    byCategory: Object.fromEntries(sorted.map(([c, v]) => [c, fromMilli(v)])),
    kg: fromMilli(kg),
    t: fromMilli(halfEven(kg, 1000n)),
    unreadable,
  };
}

export interface FootprintPayload {
  objective_id: number;
  period_start: string;
  period_end: string;
  method: string;
  lines: { category: string; factor_code: string; activity: string }[];
}

/** The payload of `footprint.declare`, or the fields that cannot be read (`lines.<i>.activity` for a line). */
export function footprintPayload(
  objectiveId: number,
  draft: { periodStart: string; periodEnd: string; method: string; lines: FootprintLine[] },
  factors: FactorValue[],
): Checked<FootprintPayload> {
  const errors: Record<string, string> = {};
  const known = new Set(factors.map((f) => f.code));
  if (!draft.lines.length) errors.lines = 'footprint_empty';
  draft.lines.forEach((line, i) => {
    if (!(BEGES_CATEGORIES as readonly string[]).includes(line.category)) errors[`lines.${i}.category`] = 'invalid_value';
    if (!known.has(line.factorCode)) errors[`lines.${i}.factor_code`] = 'required';
    if (!line.activity.trim()) errors[`lines.${i}.activity`] = 'required';
    else if (parseValue(line.activity) === null) errors[`lines.${i}.activity`] = 'invalid_value';
  });
  if (!DAY.test(draft.periodStart)) errors.period_start = 'required';
  if (!DAY.test(draft.periodEnd)) errors.period_end = 'required';
  else if (DAY.test(draft.periodStart) && draft.periodEnd < draft.periodStart) errors.period_end = 'invalid_period';
  if (Object.keys(errors).length) return { payload: null, errors };
  return {
    payload: {
      objective_id: objectiveId,
      period_start: draft.periodStart,
      period_end: draft.periodEnd,
      method: draft.method.trim(),
      lines: draft.lines.map((l) => ({ category: l.category, factor_code: l.factorCode, activity: parseValue(l.activity)! })),
    },
    errors: null,
  };
}

/** An indicator's label in the reader's language, falling back to its code. */
export function indicatorLabel(indicator: { code: string; label_fr?: string; label_en?: string } | undefined, locale: 'fr' | 'en', code = ''): string {
  if (!indicator) return code;
  return (locale === 'fr' ? indicator.label_fr : indicator.label_en) || indicator.code;
}
