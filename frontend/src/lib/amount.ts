// Reading euro amounts and quantities typed by people ("45,50", "1 234", "35,5") with string parsers, and quantity × unit price in integer cents.
const SPACES = /[\s\u00a0\u202f]/g;

/** A decimal typed with a comma or a point: its digits and scale, or null (at most `maxScale` decimals, never negative). */
export function parseDecimal(text: string, maxScale: number): { digits: bigint; scale: number } | null {
  const clean = text.replace(SPACES, '').replace(/€$/, '').replace(',', '.');
  const found = /^(\d*)(?:\.(\d*))?$/.exec(clean);
  if (!found || (!found[1] && !found[2])) return null;
  const fraction = (found[2] ?? '').replace(/0+$/, '');
  if (fraction.length > maxScale) return null;
  return { digits: BigInt((found[1] || '0') + fraction), scale: fraction.length };
}

/** Euros typed by a person to integer cents: `"45,50"` → 4550, `"1 234"` → 123400; null when unreadable or with more than two decimals. */
export function parseEuros(text: string): number | null {
  const value = parseDecimal(text, 2);
  if (!value) return null;
  const cents = value.digits * 10n ** BigInt(2 - value.scale);
  return cents > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(cents);
}

/** A quantity (up to four decimals) as the API's decimal string: `"35,50"` → `"35.5"`; null when unreadable. */
export function parseQuantity(text: string): string | null {
  const value = parseDecimal(text, 4);
  if (!value) return null;
  const digits = value.digits.toString().padStart(value.scale + 1, '0');
  return value.scale ? `${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}` : digits;
}

/** quantity × unit price in cents, rounded half to even to the cent as the server does; null when the quantity is unreadable. */
export function multiplyCents(quantity: string, unitCents: number): number | null {
  const value = parseDecimal(quantity, 4);
  if (!value) return null;
  const product = value.digits * BigInt(unitCents);
  const divisor = 10n ** BigInt(value.scale);
  let result = product / divisor;
  const twice = (product % divisor) * 2n;
  if (twice > divisor || (twice === divisor && result % 2n === 1n)) result += 1n;
  return Number(result);
}

/** Cents written back as an editable amount: 4550 → `"45,50"` (French) or `"45.50"`. */
export function centsToInput(cents: number, locale: 'fr' | 'en' = 'fr'): string {
  const value = BigInt(cents);
  const rest = (value % 100n).toString().padStart(2, '0');
  return `${value / 100n}${locale === 'fr' ? ',' : '.'}${rest}`;
}

/** A decimal string from the API (`"12.5000"`) for reading: trailing zeros dropped, French comma, grouped thousands. */
export function formatDecimal(value: string, locale: 'fr' | 'en' = 'fr'): string {
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = value.replace(/^-/, '').split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'fr' ? '\u202f' : ',');
  const kept = fraction.replace(/0+$/, '');
  return `${negative ? '−' : ''}${grouped}${kept ? (locale === 'fr' ? ',' : '.') + kept : ''}`;
}

/** Cents that may carry decimals (`"1234.5678"`, a unit value) rounded half up to whole cents for display. */
export function roundCents(value: string | number): number {
  const text = String(value);
  const [whole, fraction = ''] = text.replace(/^-/, '').split('.');
  let cents = BigInt(whole || '0');
  if ((fraction[0] ?? '0') >= '5') cents += 1n;
  return Number(text.startsWith('-') ? -cents : cents);
}
