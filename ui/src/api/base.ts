// The server writes its base path (an ingress sub-path such as "/kaudit", or "") into
// <meta name="kaudit-base">; every URL the UI makes starts with it.

let cached: string | undefined;

/** The base path without a trailing slash: "" or "/some/prefix". */
export function basePath(): string {
  if (cached !== undefined) return cached;
  const meta = document.querySelector('meta[name="kaudit-base"]');
  const raw = meta?.getAttribute('content') ?? '';
  // Only a plain absolute path is a base; anything else (a full URL, "//host") is ignored
  // so that no link or request can leave this origin.
  cached = /^\/(?!\/)[^?#\\]*$/.test(raw) ? raw.replace(/\/+$/, '') : '';
  return cached;
}

/** A path of this UI or API ("/alerts", "/api/v1/alerts") as a URL under the base. */
export function withBase(path: string): string {
  return `${basePath()}${path}`;
}
