// The company directory lookup's rules on the device: which queries go, and how an answer fills the form.
import { describe, expect, it } from 'vitest';
import { directoryFacts, directoryQueryKind, kindFromLegalForm, luhnValid, prefill } from './directory';

const entry = {
  siren: '812345676',
  siret: '81234567600017',
  name: 'ATELIER TEXTILE PARTAGE',
  legal_form: '5710',
  address: '4 RUE DES TISSERANDS',
  postcode: '69004',
  commune_code: '69384',
  town: 'LYON',
  activity_code: '13.92Z',
  state: 'closed',
  closed_on: '2023-06-30',
  looked_up_at: '2026-12-02T10:00:00Z',
};

describe('directoryQueryKind', () => {
  it('reads numbers with their check digit and names of three characters or more', () => {
    expect(directoryQueryKind('356 000 000')).toBe('siren');
    expect(directoryQueryKind('356000001')).toBe('invalid');
    expect(directoryQueryKind('73282932000074')).toBe('siret');
    expect(directoryQueryKind('73282932000075')).toBe('invalid');
    expect(directoryQueryKind('12')).toBe('invalid');
    expect(directoryQueryKind(' co ')).toBe('invalid');
    expect(directoryQueryKind('coopérative')).toBe('name');
  });

  it("accepts La Poste's SIRETs, which fail Luhn", () => {
    expect(luhnValid('35600000049837')).toBe(false);
    expect(directoryQueryKind('356 000 000 49837')).toBe('siret');
    expect(directoryQueryKind('35600000049838')).toBe('invalid');
  });
});

describe('prefill', () => {
  it('fills the form and guesses the kind from the legal category', () => {
    expect(prefill(entry)).toMatchObject({ kind: 'company', display_name: 'ATELIER TEXTILE PARTAGE', town: 'LYON' });
    expect(kindFromLegalForm('9220')).toBe('association');
    expect(kindFromLegalForm('5458')).toBe('cooperative');
    expect(kindFromLegalForm('7210')).toBe('local_authority');
    expect(kindFromLegalForm('6540')).toBe(null);
  });

  it('sends what the directory said only while the SIREN is unchanged', () => {
    expect(directoryFacts(entry, '812 345 676')).toEqual({
      directory_state: 'closed',
      closed_on: '2023-06-30',
      looked_up_at: '2026-12-02T10:00:00Z',
    });
    expect(directoryFacts(entry, '552032534')).toEqual({});
    expect(directoryFacts(null, '812345676')).toEqual({});
  });
});
