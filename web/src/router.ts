/** Hash routes: `#/`, `#/login`, `#/queue`, `#/file`, `#/cases/<id>`, `#/track[/<code>]`, `#/audit[/<caseId>]`. */
import { pathAsHash } from './deepLink';
import { signal } from './signal';

export interface Route {
  name: 'home' | 'login' | 'queue' | 'file' | 'case' | 'track' | 'audit';
  params: Record<string, string | undefined>;
}

export const parseHash = (hash: string): Route => {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params: Record<string, string | undefined> = Object.fromEntries(new URLSearchParams(query));
  const [head, id] = parts;
  if (id) params.id = id;
  switch (head) {
    case 'login':
    case 'queue':
    case 'file':
    case 'track':
    case 'audit':
      return { name: head, params };
    case 'cases':
      return { name: 'case', params };
    default:
      return { name: 'home', params };
  }
};

// A pasted `/track/LT-…` becomes `/#/track/LT-…` before the first route is read (no history entry).
const fromPath = pathAsHash(location.pathname, location.hash);
if (fromPath) history.replaceState(null, '', `/${location.search}${fromPath}`);

export const route = signal<Route>(parseHash(location.hash));
addEventListener('hashchange', () => route.set(parseHash(location.hash)));

export const navigate = (hash: string) => {
  if (location.hash === hash) route.set(parseHash(hash));
  else location.hash = hash;
};

/** Replaces the whole address (path, query and hash) without a history entry, e.g. to drop `?code=&state=`. */
export const replaceUrl = (url: string) => {
  history.replaceState(null, '', url);
  route.set(parseHash(location.hash));
};
