// The logged-in user's unread notifications count, refreshed on navigation and every minute while the page is visible.
import { api, unwrap } from './api/client';
import { session } from './session.svelte';

let unread = $state(0);
let timer: ReturnType<typeof setInterval> | undefined;

export const notifications = {
  get unread(): number {
    return unread;
  },
  set unread(n: number) {
    unread = n;
  },
};

export async function refreshUnread(): Promise<void> {
  if (!session.me) {
    unread = 0;
    return;
  }
  try {
    unread = (await unwrap(api.GET('/api/v1/notifications', { params: { query: { unread: true } } }))).unread;
  } catch {
    // offline or logged out: keep the last count
  }
}

export function startNotifications() {
  clearInterval(timer);
  timer = setInterval(() => {
    if (document.visibilityState === 'visible') void refreshUnread();
  }, 60_000);
  addEventListener('focus', () => void refreshUnread());
}
