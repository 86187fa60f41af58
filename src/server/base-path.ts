/**
 * A base path as the server mounts it: "" (the root) or "/a/b" without a trailing slash.
 * Only URL-safe path characters: it is written into cookies, redirects and HTML.
 */
export function normalizeBasePath(path: string | undefined): string {
  const p = (path ?? '').trim().replace(/\/+$/, '');
  if (p === '') return '';
  const withSlash = p.startsWith('/') ? p : `/${p}`;
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(withSlash)) {
    throw new Error(
      `base path ${JSON.stringify(path)}: use /segments of letters, digits and . _ ~ -`,
    );
  }
  return withSlash;
}
