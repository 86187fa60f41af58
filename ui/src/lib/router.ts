import { useEffect, useState } from 'preact/hooks';
import { basePath, withBase } from '../api/base.ts';

/** Where the UI is, relative to the base path. */
export interface Place {
  /** "/alerts/12", always starting with "/". */
  readonly path: string;
  /** The query string with its "?", or "". */
  readonly search: string;
}

export type Route =
  | { readonly page: 'dashboard' }
  | { readonly page: 'alerts' }
  | { readonly page: 'alert'; readonly id: string }
  | { readonly page: 'login' }
  | { readonly page: 'not-found' };

const listeners = new Set<(p: Place) => void>();

function readPlace(): Place {
  const base = basePath();
  let path = window.location.pathname;
  if (base !== '' && path.startsWith(base)) path = path.slice(base.length);
  if (!path.startsWith('/')) path = `/${path}`;
  return { path, search: window.location.search };
}

let current = readPlace();
let listSearch = current.path === '/alerts' ? current.search : '';

function publish(): void {
  current = readPlace();
  if (current.path === '/alerts') listSearch = current.search;
  for (const l of listeners) l(current);
}

window.addEventListener('popstate', publish);

/** A path of ours only: "/..." but never "//host" (which the browser reads as another site). */
export function isOwnPath(to: string): boolean {
  return to.startsWith('/') && !to.startsWith('//') && !to.startsWith('/\\');
}

/** Goes to a route of this UI without reloading the page. */
export function navigate(to: string, opts: { readonly replace?: boolean } = {}): void {
  if (!isOwnPath(to)) to = '/';
  const url = withBase(to);
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  publish();
}

export function currentPlace(): Place {
  return current;
}

/** The current place; re-renders the caller when it changes. */
export function usePlace(): Place {
  const [place, setPlace] = useState(current);
  useEffect(() => {
    listeners.add(setPlace);
    setPlace(current);
    return () => {
      listeners.delete(setPlace);
    };
  }, []);
  return place;
}

export function matchRoute(path: string): Route {
  if (path === '/' || path === '') return { page: 'dashboard' };
  if (path === '/alerts' || path === '/alerts/') return { page: 'alerts' };
  if (path === '/login') return { page: 'login' };
  const m = /^\/alerts\/([^/]+)$/.exec(path);
  if (m?.[1] !== undefined) {
    try {
      return { page: 'alert', id: decodeURIComponent(m[1]) };
    } catch {
      return { page: 'not-found' };
    }
  }
  return { page: 'not-found' };
}

/** The UI path of one alert. */
export function alertPath(id: string): string {
  return `/alerts/${encodeURIComponent(id)}`;
}

/** The alert list as the reader last saw it (its filter), for "back" from an alert. */
export function lastListPath(): string {
  return `/alerts${listSearch}`;
}
