// Who is logged in: loaded from /auth/me, remembered on this device so the app also opens offline.
import { api, unwrap } from './api/client';
import type { Me } from './api/types';
import { ApiError } from './errors';

const STORAGE_KEY = 'federage.me';

function remembered(): Me | null {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
  } catch {
    return null;
  }
}

let me = $state<Me | null>(remembered());
let ready = $state(false);

export const session = {
  get me(): Me | null {
    return me;
  },
  /** True once the server (or, offline, this device) has told who is logged in. */
  get ready(): boolean {
    return ready;
  },
  set(next: Me | null) {
    me = next;
    ready = true;
    if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else localStorage.removeItem(STORAGE_KEY);
  },
  async refresh(): Promise<Me | null> {
    try {
      session.set(await unwrap(api.GET('/api/v1/auth/me')));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) session.set(null);
      else ready = true; // offline: keep the remembered user
    }
    return me;
  },
};
