// Charter parameters for readers: a value written with its unit, and amendment values read back from a form.
import { formatBasisPoints, formatCents } from './money';
import type { CharterParameter, Scalar } from './api/types';

type Locale = 'fr' | 'en';

const WORDS = {
  fr: { yes: 'oui', no: 'non', day: 'jour', days: 'jours', hour: 'heure', hours: 'heures' },
  en: { yes: 'yes', no: 'no', day: 'day', days: 'days', hour: 'hour', hours: 'hours' },
};

function count(n: number, one: string, many: string): string {
  return `${n} ${n > 1 ? many : one}`;
}

/** A parameter's value as a reader expects it: `1,5 %`, `10,00 €`, `7 jours`, the choice's label. */
export function formatParameter(spec: CharterParameter | undefined, value: Scalar | undefined, locale: Locale = 'fr'): string {
  if (value === null || value === undefined) return '—';
  const w = WORDS[locale];
  if (typeof value === 'boolean') return value ? w.yes : w.no;
  if (!spec) return String(value);
  if (spec.type === 'choice') return spec.choices.find((c) => c.value === value)?.label[locale] ?? String(value);
  if (typeof value !== 'number') return String(value);
  switch (spec.unit) {
    case 'bp':
      return formatBasisPoints(value, locale);
    case 'cents':
      return formatCents(value, locale);
    case 'hours':
      return value % 24 === 0 ? count(value / 24, w.day, w.days) : count(value, w.hour, w.hours);
    case 'days':
      return count(value, w.day, w.days);
    default:
      return String(value);
  }
}

/** What the amendment form shows for a value: percentages for basis points, euros for cents. */
export function toInput(spec: CharterParameter, value: Scalar | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && spec.unit === 'bp') return decimalText(value, 2);
  if (typeof value === 'number' && spec.unit === 'cents') return decimalText(value, 2);
  return String(value);
}

function decimalText(value: number, places: number): string {
  const factor = 10 ** places;
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  const fraction = (abs % factor).toString().padStart(places, '0').replace(/0+$/, '');
  return `${sign}${Math.trunc(abs / factor)}${fraction ? ',' + fraction : ''}`;
}

/** Reads `1,5` (percent or euros) back to integer basis points or cents without floating point; null if unreadable. */
export function parseDecimal(text: string, places: number): number | null {
  const match = text.trim().replace(/[\s\u202f\u00a0]/g, '').match(/^(-?)(\d+)(?:[.,](\d*))?$/);
  if (!match || (match[3] ?? '').length > places) return null;
  const [, sign, whole, fraction = ''] = match;
  const value = Number(whole + fraction.padEnd(places, '0'));
  return sign ? -value : value;
}

/** The typed value for the API from the form's text, or null when it cannot be read. */
export function fromInput(spec: CharterParameter, text: string): Scalar {
  if (spec.type === 'bool') return text === 'true';
  if (spec.type === 'choice') return text;
  if (spec.unit === 'bp' || spec.unit === 'cents') return parseDecimal(text, 2);
  return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

/** The label of a parameter in this language, or its name if the catalogue does not know it. */
export function parameterLabel(spec: CharterParameter | undefined, name: string, locale: Locale = 'fr'): string {
  return spec?.label[locale] ?? name;
}

/** A rule's label under its group's heading: "Validation des apports : qui vote" → "Qui vote". */
export function shortLabel(label: string, group: string): string {
  const rest = label.startsWith(group) ? label.slice(group.length).replace(/^\s*:\s*/, '') : '';
  return rest && rest !== label ? rest.charAt(0).toUpperCase() + rest.slice(1) : label;
}
