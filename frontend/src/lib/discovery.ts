// Funders finding commons by impact: the discover query, rankings, territories, the taxonomy tree, map colours and progress figures.

/** Built-in indicator codes with their units (the server's catalogue may add more; this is the fallback). */
export const INDICATORS: { code: string; unit: string }[] = [
  { code: 'ghg_avoided', unit: 'tCO2e' },
  { code: 'ghg_emissions', unit: 'tCO2e' },
  { code: 'energy_saved', unit: 'kWh' },
  { code: 'energy_produced', unit: 'MWh' },
  { code: 'area_regenerated', unit: 'ha' },
  { code: 'waste_recycled', unit: 't' },
  { code: 'water_saved', unit: 'm3' },
  { code: 'jobs_created', unit: 'jobs' },
  { code: 'training_hours', unit: 'hours' },
  { code: 'people_reached', unit: 'persons' },
];

/** The documented rankings (impact.discovery.FORMULAS); `name` is the server's default, `impact_per_euro` needs an indicator. */
export const SORTS = ['name', 'members', 'impact_per_euro', 'progress', 'participation'] as const;
export type Sort = (typeof SORTS)[number];

export const LEVELS = ['commune', 'departement', 'region'] as const;
export type Level = (typeof LEVELS)[number];

/** Overseas départements: the bundled outline of France has none, so they are listed beside the map. */
export const DROM: { code: string; name: string }[] = [
  { code: '971', name: 'Guadeloupe' },
  { code: '972', name: 'Martinique' },
  { code: '973', name: 'Guyane' },
  { code: '974', name: 'La Réunion' },
  { code: '976', name: 'Mayotte' },
];

/** A row of GET /api/v1/public/territories (`kind` is the level). */
export interface Territory {
  kind: Level;
  code: string;
  name: string;
  departement?: string | null;
  departement_name?: string | null;
  region?: string | null;
  region_name?: string | null;
}

export interface Term {
  code: string;
  parent: string | null;
  fr: string;
  en: string;
  added_in?: number;
  retired_in?: number | null;
}

export interface TermNode extends Term {
  depth: number;
}

export interface Indicator {
  code: string;
  unit: string;
  label_fr?: string;
  label_en?: string;
}

export interface Filters {
  q: string;
  indicator: string;
  theme: string;
  territory: Territory | null;
  minMembers: string;
  /** Value of the outstanding titles, in whole euros as typed. */
  minValue: string;
  sort: Sort;
}

export const EMPTY_FILTERS: Filters = { q: '', indicator: '', theme: '', territory: null, minMembers: '', minValue: '', sort: 'name' };

/** Objective figures as the public API gives them: decimals as strings, progress in basis points. */
export interface ObjectiveFigures {
  id?: number;
  title?: string;
  indicator_code: string;
  unit: string;
  baseline: string | number;
  target: string | number;
  verified_total: string | number;
  progress_bp: number | null;
  status?: string;
  target_date?: string;
}

/** The query string of GET /api/v1/public/discover for these filters (empty ones left out). */
export function discoverQuery(f: Filters): string {
  const p = new URLSearchParams();
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.indicator) p.set('indicator', f.indicator);
  if (f.theme) p.set('theme', f.theme);
  if (f.territory) p.set(f.territory.kind, f.territory.code);
  const min = Number.parseInt(f.minMembers, 10);
  if (Number.isFinite(min) && min > 0) p.set('min_members', String(min));
  const euros = Number.parseInt(f.minValue, 10);
  if (Number.isFinite(euros) && euros > 0) p.set('min_value_cents', String(euros * 100));
  // Impact per euro has no meaning without an indicator: the server refuses it, the screen falls back to names.
  const sort = f.sort === 'impact_per_euro' && !f.indicator ? 'name' : f.sort;
  if (sort !== 'name') p.set('sort', sort);
  return p.toString();
}

/** The explorer's own URL keeps the same parameters, so a search can be shared and reloaded. */
export function filtersFromQuery(query: URLSearchParams): Filters {
  const sort = query.get('sort') ?? '';
  const cents = /^\d+$/.test(query.get('min_value_cents') ?? '') ? query.get('min_value_cents') : null;
  let territory: Territory | null = null;
  for (const kind of LEVELS) {
    const code = query.get(kind);
    if (code) {
      territory = { kind, code, name: query.get('territory_name') ?? code };
      break;
    }
  }
  return {
    q: query.get('q') ?? '',
    indicator: query.get('indicator') ?? '',
    theme: query.get('theme') ?? '',
    territory,
    minMembers: query.get('min_members') ?? '',
    minValue: cents ? String(Math.floor(Number(cents) / 100)) : '',
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as Sort) : 'name',
  };
}

/** The explorer URL: the discover query plus the territory's name, kept for the autocomplete field. */
export function explorerUrl(f: Filters): string {
  const qs = discoverQuery(f);
  const p = new URLSearchParams(qs);
  if (f.territory && f.territory.name !== f.territory.code) p.set('territory_name', f.territory.name);
  const s = p.toString();
  return `/explore${s ? '?' + s : ''}`;
}

/** True when a filter only the impact search knows is set. */
export function hasImpactFilter(f: Filters): boolean {
  return Boolean(f.indicator || f.theme || f.territory || f.minMembers || f.minValue || f.sort !== 'name');
}

/** The taxonomy as an indented list in tree order (parents before children, siblings by label); retired terms left out. */
export function termTree(terms: Term[], locale: 'fr' | 'en'): TermNode[] {
  const live = terms.filter((t) => t.retired_in == null);
  const known = new Set(live.map((t) => t.code));
  const children = new Map<string | null, Term[]>();
  for (const t of live) {
    const parent = t.parent && known.has(t.parent) ? t.parent : null;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const out: TermNode[] = [];
  const walk = (parent: string | null, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a[locale].localeCompare(b[locale], locale));
    for (const t of list) {
      out.push({ ...t, depth });
      walk(t.code, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** The label of a term in the interface's language, or its code when unknown. */
export function termLabel(terms: Term[], code: string, locale: 'fr' | 'en'): string {
  return terms.find((t) => t.code === code)?.[locale] ?? code;
}

/** Progress toward the target in percent (0–100, one decimal), or null when the server gave none. */
export function progressPercent(bp: number | null | undefined): number | null {
  if (bp == null || !Number.isFinite(bp)) return null;
  return Math.round(Math.max(0, Math.min(10000, bp)) / 10) / 10;
}

/**
 * Progress in basis points computed the way the server documents it: from baseline toward target, whichever the
 * direction (a target below the baseline means lowering), clamped to 0–10 000. Used only where the server gave none.
 */
export function progressBp(baseline: number, target: number, current: number): number {
  const span = target - baseline;
  if (span === 0) return current === target ? 10000 : 0;
  return Math.round(Math.max(0, Math.min(1, (current - baseline) / span)) * 10000);
}

/** A decimal from the API ("12.500") written for people: locale separators, trailing zeros dropped. */
export function formatValue(value: string | number | null | undefined, locale: 'fr' | 'en'): string {
  if (value == null || value === '') return '—';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 3 }).format(n);
}

/** Units written the way people read them. */
export function unitLabel(unit: string): string {
  return ({ tCO2e: 't CO₂e', kgCO2e: 'kg CO₂e', m3: 'm³' } as Record<string, string>)[unit] ?? unit;
}

/** A département's share of the map's scale: 0 (none) then 1..5 steps up to the largest value. */
export function colourStep(value: number, max: number, steps = 5): number {
  if (!(value > 0) || !(max > 0)) return 0;
  return Math.max(1, Math.min(steps, Math.ceil((value / max) * steps)));
}

/** Map colours from "none" to the darkest step (contrast checked against white borders and dark text). */
export const MAP_COLOURS = ['#f1f3f2', '#d4ebe0', '#a8d5c0', '#6fb79b', '#3a8f72', '#1f5f4a'];

export interface MapRow {
  code: string;
  name?: string;
  count: number;
  verified_total?: string | number | null;
}

/** The value a département is coloured by: the verified total when an indicator is chosen, else the count. */
export function mapValue(row: MapRow | undefined, byTotal: boolean): number {
  if (!row) return 0;
  if (byTotal) {
    const n = Number(row.verified_total ?? 0);
    return Number.isFinite(n) ? n : 0;
  }
  return row.count;
}

/** A debounced-search guard: the territory field asks the server from two characters (or a digit). */
export function territoryQueryReady(q: string): boolean {
  const s = q.trim();
  return s.length >= 2 || /^\d$/.test(s);
}

/** The field's text for a chosen territory: "Gers (32)", "Occitanie (76)". */
export function territoryText(t: Territory): string {
  return `${t.name} (${t.code})`;
}

/**
 * A classification form's payload: term codes without duplicates, the commune code trimmed and upper-cased (2A/2B).
 * An empty commune removes the location only when the form had one; otherwise null leaves it as it is.
 */
export function classificationPayload(
  terms: string[],
  commune: string,
  hadCommune = false,
): { terms: string[]; commune_code: string | null } {
  const code = commune.trim().toUpperCase();
  return { terms: [...new Set(terms)].sort(), commune_code: code || (hadCommune ? '' : null) };
}

/** "Auch, Gers, Occitanie" from a location of the API. */
export function placeText(l: { commune_name?: string; commune_code?: string; departement_name?: string; departement_code?: string; region_name?: string } | null | undefined): string {
  if (!l) return '';
  return [l.commune_name, l.departement_name && `${l.departement_name}${l.departement_code ? ` (${l.departement_code})` : ''}`, l.region_name]
    .filter(Boolean)
    .join(', ');
}

/** The form of an official commune code (COG): five characters, Corsica 2A/2B. */
export function isCommuneCode(code: string): boolean {
  return /^([0-9]{2}|2A|2B)[0-9]{3}$/.test(code.trim().toUpperCase());
}
