// The company directory lookup's pure rules: what a query is, and how an answer fills the organisation form.
import type { AgentKind } from './api/types';

export type DirectoryQueryKind = 'siren' | 'siret' | 'name' | 'invalid';

/** Luhn check digit, as SIREN and SIRET numbers use. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A SIRET: Luhn, except La Poste's offices (SIREN 356000000), whose digits sum to a multiple of 5. */
export function siretValid(digits: string): boolean {
  if (!/^\d{14}$/.test(digits) || !luhnValid(digits.slice(0, 9))) return false;
  if (digits.startsWith('356000000') && digits !== '35600000000048') {
    return [...digits].reduce((sum, d) => sum + Number(d), 0) % 5 === 0;
  }
  return luhnValid(digits);
}

/** What the server will look up (it checks again): a number with its check digit, or ≥ 3 characters of a name. */
export function directoryQueryKind(raw: string): DirectoryQueryKind {
  const text = raw.trim().replace(/\s+/g, ' ');
  const compact = text.replace(/[\s.-]/g, '');
  if (/^\d+$/.test(compact)) {
    if (compact.length === 9 && luhnValid(compact)) return 'siren';
    if (compact.length === 14 && siretValid(compact)) return 'siret';
    return 'invalid';
  }
  return text.length >= 3 && text.length <= 100 ? 'name' : 'invalid';
}

export interface DirectoryEntryLike {
  siren: string;
  siret: string;
  name: string;
  legal_form: string;
  address: string;
  postcode: string;
  commune_code: string;
  town: string;
  activity_code: string;
  state: string;
  closed_on: string | null;
  looked_up_at: string;
}

/** Our kind of organisation from the INSEE legal category, when it says it plainly; else null (the user picks). */
export function kindFromLegalForm(code: string): AgentKind | null {
  if (/^(5458|5460|5558|5560|63\d\d)$/.test(code)) return 'cooperative';
  if (/^92\d\d$/.test(code)) return 'association';
  if (/^(72\d\d|73\d\d)$/.test(code)) return 'local_authority';
  if (/^(71\d\d|74\d\d|41\d\d)$/.test(code)) return 'public_body';
  if (/^(1000|5\d\d\d)$/.test(code)) return 'company';
  return null;
}

/** The organisation form's fields once a directory entry is chosen. */
export function prefill(entry: DirectoryEntryLike) {
  return {
    kind: kindFromLegalForm(entry.legal_form),
    display_name: entry.name,
    siren: entry.siren,
    siret: entry.siret,
    legal_form: entry.legal_form,
    address: entry.address,
    postcode: entry.postcode,
    commune_code: entry.commune_code,
    town: entry.town,
    activity_code: entry.activity_code,
  };
}

/** What the lookup vouches for goes to the server only while the SIREN typed is still the one looked up. */
export function directoryFacts(entry: DirectoryEntryLike | null, siren: string) {
  if (!entry || entry.siren !== siren.replace(/\s/g, '')) return {};
  return { directory_state: entry.state, closed_on: entry.closed_on, looked_up_at: entry.looked_up_at };
}
