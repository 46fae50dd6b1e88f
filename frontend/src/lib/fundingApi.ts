// The funding API's reads (financings of a commons, one financing, the funder's follow-up, the public list), typed from the server's spec.
import { api } from './api/client';
import type { CommandPayload } from './api/commands';
import type { paths } from './api/schema';
import type { Financing, FinancingDashboard } from './api/types';

export type { EarmarkTag, Financing, FinancingDashboard } from './api/types';
export type FinancingTranche = Financing['tranches'][number];
export type FinancingInstalment = NonNullable<Financing['loan']>['instalments'][number];
export type TaggedLine = FinancingDashboard['tagged_lines'][number];
/** An objective of the commons as the impact API lists it (the offer form's earmarks and milestones). */
export type ObjectiveOption = paths['/api/v1/impact/commons/{slug}/objectives']['get']['responses'][200]['content']['application/json'][number];

export const fundingUrls = {
  /** The funder's follow-up as CSV (semicolons, French amounts), for a download link. */
  csv: (id: number) => `/api/v1/funding/financings/${id}/dashboard?format=csv`,
  /** The same follow-up as PDF, in the reader's language, for a download link. */
  pdf: (id: number, lang: 'fr' | 'en') => `/api/v1/funding/financings/${id}/dashboard.pdf?lang=${lang}`,
};

export const fundingApi = {
  commons: (slug: string) => api.GET('/api/v1/funding/commons/{slug}', { params: { path: { slug } } }),
  detail: (id: number) => api.GET('/api/v1/funding/financings/{financing_id}', { params: { path: { financing_id: id } } }),
  dashboard: (id: number) =>
    api.GET('/api/v1/funding/financings/{financing_id}/dashboard', { params: { path: { financing_id: id }, query: { format: 'json' } } }),
  mine: () => api.GET('/api/v1/funding/mine'),
  public: (slug: string) => api.GET('/api/v1/public/commons/{slug}/financings', { params: { path: { slug } } }),
  objectives: (slug: string) => api.GET('/api/v1/impact/commons/{slug}/objectives', { params: { path: { slug } } }),
};

export type OfferPayload = CommandPayload<'financing.offer'>;
