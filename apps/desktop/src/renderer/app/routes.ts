import { useSyncExternalStore } from 'react';

/** The app's screens; the hash (`#/contacts/12`) keeps the place on reload and makes the back button work. */
export type RouteName =
  | 'dashboard'
  | 'contacts'
  | 'import'
  | 'mailings'
  | 'acknowledgements'
  | 'arrivals'
  | 'suppressions'
  | 'settings';

export interface Route {
  name: RouteName;
  /** The rest of the path, e.g. a contact id. */
  params: string[];
}

const ROUTE_NAMES: readonly RouteName[] = [
  'dashboard',
  'contacts',
  'import',
  'mailings',
  'acknowledgements',
  'arrivals',
  'suppressions',
  'settings',
];

/**
 * Parses a location hash into a route; anything unknown is the dashboard.
 *
 * @example
 * parseRoute('#/contacts/42'); // { name: 'contacts', params: ['42'] }
 */
export function parseRoute(hash: string): Route {
  const [name = '', ...params] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const known = ROUTE_NAMES.find((candidate) => candidate === name);
  return known ? { name: known, params } : { name: 'dashboard', params: [] };
}

/** The hash for a route. */
export function routeHref(name: RouteName, ...params: (string | number)[]): string {
  return `#/${[name, ...params.map((param) => encodeURIComponent(String(param)))].join('/')}`;
}

/** Goes to a route (pushes a history entry). */
export function navigate(name: RouteName, ...params: (string | number)[]): void {
  window.location.hash = routeHref(name, ...params);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current route, re-rendering on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
