/** A base path that is not a plain path of this origin ("..", a URL, a query). */
export class BasePathError extends Error {
  override readonly name = 'BasePathError';
  readonly code = 'invalid_base_path';
}

// Segments of unreserved characters only: the path is written into cookies, redirects and
// HTML, where anything else would need escaping in each place.
const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * A base path as the UI and API mount it (an ingress sub-path): "" for the root, else
 * "/a/b" with no trailing slash. Throws BasePathError for anything else, including `.`
 * and `..` segments, which a browser would resolve away.
 *
 * @example normalizeBasePath('/kaudit/') // '/kaudit'
 */
export function normalizeBasePath(raw: string | undefined): string {
  let p = (raw ?? '').trim();
  if (p === '' || p === '/') return '';
  if (!p.startsWith('/')) p = `/${p}`;
  p = p.replace(/\/+$/, '');
  const segments = p.split('/').slice(1);
  if (segments.some((s) => !SEGMENT.test(s) || s === '.' || s === '..')) {
    throw new BasePathError(
      `base path ${JSON.stringify(raw)} is not a plain URL path such as "/kaudit" (letters, digits and . _ ~ - between slashes)`,
    );
  }
  return p;
}
