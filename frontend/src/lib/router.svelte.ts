// A small history (path) router: the current location, navigation, and link interception.
let path = $state(location.pathname);
let search = $state(location.search);

export const router = {
  get path(): string {
    return path;
  },
  get query(): URLSearchParams {
    return new URLSearchParams(search);
  },
};

export function navigate(to: string, { replace = false } = {}) {
  const url = new URL(to, location.origin);
  history[replace ? 'replaceState' : 'pushState']({}, '', url);
  path = url.pathname;
  search = url.search;
  scrollTo(0, 0);
}

/** The URL to come back to after logging in, taken from `?next=` when it stays on this site. */
export function nextPath(fallback = '/'): string {
  const next = router.query.get('next') ?? '';
  return next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}

/** Matches `/c/:slug/edit` against a path; returns the decoded parameters or null. */
export function match(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = pathname.replace(/\/+$/, '').split('/');
  if (pathname === '/') got.splice(1, 1, '');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

function onClick(event: MouseEvent) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  const link = (event.target as Element).closest?.('a');
  if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
  if (link.pathname.startsWith('/api/')) return;
  event.preventDefault();
  navigate(link.pathname + link.search + link.hash);
}

export function startRouter() {
  addEventListener('popstate', () => {
    path = location.pathname;
    search = location.search;
  });
  document.addEventListener('click', onClick);
}
