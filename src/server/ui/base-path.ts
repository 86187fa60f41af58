import { UiError } from './errors.ts';

// Path segments of unreserved and sub-delimiter characters (RFC 3986), or percent escapes.
const BASE_PATH = /^(?:\/[A-Za-z0-9._~!$&'()*+,;=:@-]+|\/%[0-9A-Fa-f]{2})*$/;

/**
 * A base path as the UI and API use it: "" for the root, else "/a/b" with no trailing
 * slash. Throws UiError `invalid_base_path` for anything else (a URL, "..", a query).
 *
 * @example normalizeBasePath('/kaudit/') // '/kaudit'
 */
export function normalizeBasePath(raw: string): string {
  let p = raw.trim();
  if (p === '' || p === '/') return '';
  if (!p.startsWith('/')) p = `/${p}`;
  p = p.replace(/\/+$/, '');
  const segments = p.split('/').slice(1);
  if (!BASE_PATH.test(p) || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new UiError(
      'invalid_base_path',
      `base path ${JSON.stringify(raw)} is not a plain URL path such as "/kaudit"`,
    );
  }
  return p;
}
