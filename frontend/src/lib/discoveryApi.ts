// Reads of the discovery API (public routes, and the members' funder view) and the steward's classification command.
import { getPublic } from './api/public';
import { ApiError, errorBody } from './errors';
import { i18n } from './i18n/index.svelte';
import { INDICATORS, type Indicator, type Level, type MapRow, type ObjectiveFigures, type Term, type Territory } from './discovery';
import { send } from './sync.svelte';
import type { components, paths } from './api/schema';

type Get<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer T } } } } }
  ? T
  : never;
type Schemas = components['schemas'];

export type Location = Schemas['LocationOut'];
export type DiscoverPage = Get<'/api/v1/public/discover'>;
export type DiscoverRow = DiscoverPage['results'][number];
export type MapOut = Get<'/api/v1/public/discover/map'>;
export type FunderView = Get<'/api/v1/public/commons/{slug}/funder-view'>;
export type FunderObjective = FunderView['objectives'][number];
export type MeasurementOut = Get<'/api/v1/public/commons/{slug}/measurements'>[number];
export type Evidence = MeasurementOut['evidence'][number];
export type Classification = Get<'/api/v1/public/commons/{slug}/classification'>;
/** An objective of the public objectives route, with its measurements once merged in by the screen. */
export type PublicObjective = Get<'/api/v1/public/commons/{slug}/objectives'>[number] & { measurements?: MeasurementOut[] };

/** Where a piece of evidence is downloaded from. */
export function evidenceUrl(m: { id: number }, e: { id: number }): string {
  return `/api/v1/impact/measurements/${m.id}/evidence/${e.id}`;
}

export const discoveryApi = {
  discover: (qs: string) => getPublic<DiscoverPage>(`/discover${qs ? '?' + qs : ''}`),
  map: (qs: string) => getPublic<MapOut>(`/discover/map${qs ? '?' + qs : ''}`),
  taxonomy: () => getPublic<Get<'/api/v1/public/taxonomy'>>('/taxonomy').then((r): Term[] => r.terms),
  territories: (q: string, kind?: Level) =>
    getPublic<Get<'/api/v1/public/territories'>>(`/territories?${new URLSearchParams({ q })}`).then((list) =>
      (list as Territory[]).filter((t) => !kind || t.kind === kind),
    ),
  publicObjectives: (slug: string) => getPublic<PublicObjective[]>(`/commons/${encodeURIComponent(slug)}/objectives`),
  publicMeasurements: (slug: string) => getPublic<MeasurementOut[]>(`/commons/${encodeURIComponent(slug)}/measurements`),

  /** One objective with every measurement (members of the commons); null for anyone else. */
  async objective(id: number): Promise<PublicObjective | null> {
    const response = await fetch(`/api/v1/impact/objectives/${id}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    return response.ok ? ((await response.json()) as Schemas['ObjectiveDetailOut']) : null;
  },
  publicFunderView: (slug: string) => getPublic<FunderView>(`/commons/${encodeURIComponent(slug)}/funder-view`),

  /** The members' and funders' version; null when this person may only see the public one. */
  async funderView(slug: string): Promise<FunderView | null> {
    const response = await fetch(`/api/v1/impact/commons/${encodeURIComponent(slug)}/funder-view`, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': i18n.locale },
    });
    if (response.status === 401 || response.status === 403 || response.status === 404) return null;
    if (!response.ok) throw new ApiError(response.status, await errorBody(response));
    return (await response.json()) as FunderView;
  },

  /** The indicator catalogue (members' route); the built-in list when it cannot be read. */
  async indicators(): Promise<Indicator[]> {
    try {
      const response = await fetch('/api/v1/impact/indicators', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (response.ok) {
        const list = (await response.json()) as Indicator[];
        if (Array.isArray(list) && list.length) return list;
      }
    } catch {
      // offline or not logged in: the built-in catalogue below
    }
    return INDICATORS;
  },

  /** The commons' current classification, read from its public or members' funder view. */
  /** The commons' current classification (the members' route reads a commons that is not public too). */
  async classification(slug: string): Promise<Classification> {
    const response = await fetch(`/api/v1/impact/commons/${encodeURIComponent(slug)}/classification`, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': i18n.locale },
    });
    if (!response.ok) throw new ApiError(response.status, await errorBody(response));
    return (await response.json()) as Classification;
  },

  /** Through the outbox, like every write: the steward's classification of the commons. */
  classify(slug: string, payload: { terms: string[]; commune_code: string | null }) {
    return send('commons.classify', { commons_slug: slug, ...payload });
  },
};

/** A term's label in the interface's language, or its code. */
export function termText(code: string, terms: Term[], locale: 'fr' | 'en'): string {
  return terms.find((t) => t.code === code)?.[locale] ?? code;
}
