// Euro amounts from integer cents, written for French (`1 234,56 €`) or English readers: formatting only, never arithmetic on floats.
const NNBSP = '\u202f';
const NBSP = '\u00a0';

function group(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** `123456` → `1 234,56 €` (narrow no-break space between thousands, no-break space before €). */
export function formatCents(cents: number | bigint, locale: 'fr' | 'en' = 'fr'): string {
  const value = BigInt(cents);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const euros = group((abs / 100n).toString(), locale === 'fr' ? NNBSP : ',');
  const rest = (abs % 100n).toString().padStart(2, '0');
  const sign = negative ? '−' : '';
  return locale === 'fr' ? `${sign}${euros},${rest}${NBSP}€` : `${sign}€${euros}.${rest}`;
}

/** Whole euros for chart axes, rounded from cents: `700000` → `7 000 €` (fr) or `€7,000` (en). */
export function formatWholeEuros(cents: number, locale: 'fr' | 'en' = 'fr'): string {
  const euros = Math.round(cents / 100);
  const digits = group(Math.abs(euros).toString(), locale === 'fr' ? NNBSP : ',');
  const sign = euros < 0 ? '−' : '';
  return locale === 'fr' ? `${sign}${digits}${NBSP}€` : `${sign}€${digits}`;
}

/** A rate in basis points: `150` → `1,5 %`. */
export function formatBasisPoints(bp: number, locale: 'fr' | 'en' = 'fr'): string {
  const negative = bp < 0;
  const abs = Math.abs(Math.trunc(bp));
  const whole = Math.trunc(abs / 100).toString();
  const fraction = (abs % 100).toString().padStart(2, '0').replace(/0+$/, '');
  const number = fraction ? `${whole}${locale === 'fr' ? ',' : '.'}${fraction}` : whole;
  return `${negative ? '−' : ''}${number}${locale === 'fr' ? NBSP : ''}%`;
}

/** Adds integer cents (for totals shown beside server totals, never to make them up). */
export function sumCents(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
