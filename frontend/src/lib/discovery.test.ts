// The discover query, the taxonomy tree, progress figures, map colours and the classification payload.
import { describe, expect, it } from 'vitest';
import {
  classificationPayload,
  colourStep,
  discoverQuery,
  EMPTY_FILTERS,
  explorerUrl,
  filtersFromQuery,
  formatValue,
  hasImpactFilter,
  isCommuneCode,
  mapValue,
  placeText,
  progressBp,
  progressPercent,
  termLabel,
  termTree,
  territoryQueryReady,
  unitLabel,
  type Term,
} from './discovery';

describe('discoverQuery', () => {
  it('leaves out empty filters and the default sort', () => {
    expect(discoverQuery(EMPTY_FILTERS)).toBe('');
    expect(discoverQuery({ ...EMPTY_FILTERS, q: '  ', minMembers: '0' })).toBe('');
  });

  it('names the territory by its level', () => {
    const qs = discoverQuery({
      ...EMPTY_FILTERS,
      q: ' tCO2e ',
      indicator: 'ghg_avoided',
      theme: 'climat.sequestration',
      territory: { kind: 'region', code: '76', name: 'Occitanie' },
      minMembers: '3',
      sort: 'impact_per_euro',
    });
    expect(Object.fromEntries(new URLSearchParams(qs))).toEqual({
      q: 'tCO2e',
      indicator: 'ghg_avoided',
      theme: 'climat.sequestration',
      region: '76',
      min_members: '3',
      sort: 'impact_per_euro',
    });
    expect(discoverQuery({ ...EMPTY_FILTERS, territory: { kind: 'commune', code: '2A004', name: 'Ajaccio' } })).toBe('commune=2A004');
  });

  it('round-trips through the explorer URL, territory name included', () => {
    const f = { ...EMPTY_FILTERS, q: 'sol', territory: { kind: 'departement' as const, code: '32', name: 'Gers' }, sort: 'progress' as const };
    const url = explorerUrl(f);
    expect(url.startsWith('/explore?')).toBe(true);
    expect(filtersFromQuery(new URLSearchParams(url.split('?')[1]))).toEqual(f);
    expect(explorerUrl(EMPTY_FILTERS)).toBe('/explore');
  });

  it('ignores an unknown sort', () => {
    expect(filtersFromQuery(new URLSearchParams('sort=drop_tables')).sort).toBe('name');
  });

  it('knows which filters only the impact search has', () => {
    expect(hasImpactFilter(EMPTY_FILTERS)).toBe(false);
    expect(hasImpactFilter({ ...EMPTY_FILTERS, q: 'x' })).toBe(false);
    expect(hasImpactFilter({ ...EMPTY_FILTERS, theme: 'eau' })).toBe(true);
    expect(hasImpactFilter({ ...EMPTY_FILTERS, sort: 'participation' })).toBe(true);
    expect(hasImpactFilter({ ...EMPTY_FILTERS, minValue: '1000' })).toBe(true);
  });

  it('sends the minimum value in cents and never impact per euro without an indicator', () => {
    expect(discoverQuery({ ...EMPTY_FILTERS, minValue: '1500' })).toBe('min_value_cents=150000');
    expect(discoverQuery({ ...EMPTY_FILTERS, sort: 'impact_per_euro' })).toBe('');
    expect(discoverQuery({ ...EMPTY_FILTERS, sort: 'impact_per_euro', indicator: 'ghg_avoided' })).toBe('indicator=ghg_avoided&sort=impact_per_euro');
    expect(filtersFromQuery(new URLSearchParams('min_value_cents=150000')).minValue).toBe('1500');
  });
});

describe('termTree', () => {
  const terms: Term[] = [
    { code: 'energie', parent: null, fr: 'Énergie', en: 'Energy' },
    { code: 'alimentation.agroecologie', parent: 'alimentation', fr: 'Agroécologie', en: 'Agroecology' },
    { code: 'alimentation', parent: null, fr: 'Alimentation', en: 'Food' },
    { code: 'alimentation.circuits-courts', parent: 'alimentation', fr: 'Circuits courts', en: 'Short supply chains' },
    { code: 'vieux', parent: null, fr: 'Ancien', en: 'Old', added_in: 1, retired_in: 2 },
  ];

  it('puts parents before their children, siblings by label, and leaves retired terms out', () => {
    expect(termTree(terms, 'fr').map((n) => [n.code, n.depth])).toEqual([
      ['alimentation', 0],
      ['alimentation.agroecologie', 1],
      ['alimentation.circuits-courts', 1],
      ['energie', 0],
    ]);
    expect(termTree(terms, 'en')[0].code).toBe('energie');
  });

  it('labels a term in the chosen language, or by its code', () => {
    expect(termLabel(terms, 'alimentation', 'en')).toBe('Food');
    expect(termLabel(terms, 'inconnu', 'fr')).toBe('inconnu');
  });
});

describe('progress', () => {
  it('is clamped to 0–100 % with one decimal', () => {
    expect(progressPercent(4567)).toBe(45.7);
    expect(progressPercent(12000)).toBe(100);
    expect(progressPercent(-5)).toBe(0);
    expect(progressPercent(null)).toBeNull();
  });

  it('follows the direction of the objective', () => {
    expect(progressBp(0, 100, 25)).toBe(2500);
    expect(progressBp(100, 40, 70)).toBe(5000); // lowering emissions from 100 to 40
    expect(progressBp(100, 40, 120)).toBe(0);
    expect(progressBp(5, 5, 5)).toBe(10000);
  });
});

describe('map and figures', () => {
  it('colours by steps up to the largest value, 0 for none', () => {
    expect(colourStep(0, 10)).toBe(0);
    expect(colourStep(1, 10)).toBe(1);
    expect(colourStep(10, 10)).toBe(5);
    expect(colourStep(5, 0)).toBe(0);
  });

  it('reads the verified total when an indicator is chosen', () => {
    const row = { code: '32', count: 2, verified_total: '12.500' };
    expect(mapValue(row, true)).toBe(12.5);
    expect(mapValue(row, false)).toBe(2);
    expect(mapValue(undefined, true)).toBe(0);
  });

  it('writes decimals and units for people', () => {
    expect(formatValue('1234.500', 'en')).toBe('1,234.5');
    expect(formatValue('1234.500', 'fr').replace(/\s/g, ' ')).toBe('1 234,5');
    expect(formatValue(null, 'fr')).toBe('—');
    expect(unitLabel('tCO2e')).toBe('t CO₂e');
    expect(unitLabel('ha')).toBe('ha');
  });
});

describe('territories and classification', () => {
  it('asks the server from two characters or one digit', () => {
    expect(territoryQueryReady('G')).toBe(false);
    expect(territoryQueryReady('Ge')).toBe(true);
    expect(territoryQueryReady('3')).toBe(true);
  });

  it('checks the form of a commune code, Corsica included', () => {
    expect(isCommuneCode('32013')).toBe(true);
    expect(isCommuneCode('2a004')).toBe(true);
    expect(isCommuneCode('3201')).toBe(false);
    expect(isCommuneCode('2C004')).toBe(false);
  });

  it('sends each term once and the commune code upper-cased, or null', () => {
    expect(classificationPayload(['eau', 'alimentation', 'eau'], ' 2a004 ')).toEqual({ terms: ['alimentation', 'eau'], commune_code: '2A004' });
    expect(classificationPayload([], '')).toEqual({ terms: [], commune_code: null });
    expect(classificationPayload([], '', true)).toEqual({ terms: [], commune_code: '' });
  });

  it('writes a place from commune to région', () => {
    expect(placeText({ commune_name: 'Auch', departement_name: 'Gers', departement_code: '32', region_name: 'Occitanie' })).toBe('Auch, Gers (32), Occitanie');
    expect(placeText(null)).toBe('');
  });
});
