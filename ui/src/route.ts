import { useEffect, useState } from 'preact/hooks';

/**
 * The views are routed by the URL's fragment (/ui/#/services/web), so the agent serves one page
 * for every view and a reload or a shared link opens the same one.
 */
export interface Route {
  readonly view: 'services' | 'service' | 'nodes' | 'node' | 'kv' | 'sessions' | 'cluster';
  /** The service, node or KV path the view is about ("" for lists). */
  readonly arg: string;
}

export function routeOf(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [head = '', ...rest] = path.split('/');
  // A malformed escape (a hand-typed #/kv/%E0) is taken as written, not a blank page.
  const decoded = (p: string): string => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  };
  const arg = rest.map(decoded).join('/');
  switch (head) {
    case 'services':
      return arg === '' ? { view: 'services', arg } : { view: 'service', arg };
    case 'nodes':
      return arg === '' ? { view: 'nodes', arg } : { view: 'node', arg };
    case 'kv':
      return { view: 'kv', arg };
    case 'sessions':
      return { view: 'sessions', arg };
    case 'cluster':
      return { view: 'cluster', arg };
    default:
      return { view: 'services', arg: '' };
  }
}

/** A link's href to a view (each path segment escaped, slashes kept). */
export const hrefOf = (view: string, arg = ''): string => `#/${view}${arg === '' ? '' : `/${arg.split('/').map(encodeURIComponent).join('/')}`}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const on = (): void => setRoute(routeOf(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}
