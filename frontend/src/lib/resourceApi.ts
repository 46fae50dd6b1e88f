// The resources API's reads (register, usages, dues, statistics), typed from the server's spec.
import { api } from './api/client';

export type { Due, Resource, ResourceDetail, ResourceStats, Usage } from './api/types';

/** Levy totals as both the members' statistics and the public page give them (overdue for members only). */
export interface LevyTotals {
  due_cents: number;
  collected_cents: number;
  outstanding_cents: number;
  overdue_cents?: number;
}

export const resourceApi = {
  list: (slug: string) => api.GET('/api/v1/resources/{slug}', { params: { path: { slug } } }),
  detail: (slug: string, id: number) =>
    api.GET('/api/v1/resources/{slug}/{resource_id}', { params: { path: { slug, resource_id: id } } }),
  dues: (slug: string, status = '') => api.GET('/api/v1/resources/{slug}/dues', { params: { path: { slug }, query: { status } } }),
  stats: (slug: string) => api.GET('/api/v1/resources/{slug}/stats', { params: { path: { slug } } }),
};
