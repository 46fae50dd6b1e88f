// The current language (French first), persisted, reflected on <html lang>, and the error catalogue lookup.
import { ApiError, type ErrorBody } from '../errors';
import { formatCents } from '../money';
import { en } from './en';
import { fr, type Messages } from './fr';

export type Locale = 'fr' | 'en';

const catalogues: Record<Locale, Messages> = { fr, en };
const STORAGE_KEY = 'federage.locale';

function initial(): Locale {
  return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
}

let locale = $state<Locale>(initial());

export const i18n = {
  get locale(): Locale {
    return locale;
  },
  get t(): Messages {
    return catalogues[locale];
  },
  set(next: Locale) {
    locale = next;
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
  },
};

/** Formats an ISO date for the current language. */
export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long' });
}

/** Formats an ISO date and time for the current language: `26 novembre 2026 à 10:04`. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' });
}

/** Formats a calendar day (`2026-11-26`, no time zone) as `26/11/2026`, the same wherever the reader is. */
export function formatDay(day: string): string {
  const [y, m, d] = day.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** Euros from integer cents in the current language (formatting only). */
export function money(cents: number): string {
  return formatCents(cents, locale);
}

/** The message for a refusal: our catalogue by code, else the server's own message in this language. */
export function describeBody(body: Pick<ErrorBody, 'code' | 'message' | 'messages'>): string {
  return catalogues[locale].errors[body.code] ?? body.messages?.[locale] ?? body.message ?? catalogues[locale].errors.unknown;
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return describeBody(error.body);
  if (error instanceof TypeError) return catalogues[locale].errors.network;
  return catalogues[locale].errors.unknown;
}

/** The server's per-field refusals, as messages keyed by field name. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.body.fields) return {};
  return Object.fromEntries(Object.entries(error.body.fields).map(([name, body]) => [name, describeBody(body)]));
}
