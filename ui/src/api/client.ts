import { withBase } from './base.ts';
import type { Params } from './params.ts';

/** The API answered 401: the session is missing or expired. */
export class UnauthorizedError extends Error {
  readonly code = 'unauthorized';
  override readonly name = 'UnauthorizedError';
}

/** Any other failed request, with the API's error code when it sent one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export type { Params } from './params.ts';

/** `/api/v1/<path>?<params>` under the base path. */
export function apiUrl(path: string, params: Params = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of typeof v === 'string' ? [v] : v) if (one !== '') qs.append(k, one);
  }
  const q = qs.toString();
  return withBase(`/api/v1/${path}${q === '' ? '' : `?${q}`}`);
}

const listeners = new Set<() => void>();

/** Called whenever a request gets 401 (the app then shows the login page). */
export function onUnauthorized(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** GET a JSON document from the API. */
export async function getJson<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
  const res = await fetch(apiUrl(path, params), {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
    ...(signal ? { signal } : {}),
  });
  return readJson<T>(res);
}

/** POST to a route of ours (login, logout) with the CSRF header the API asks for. */
export async function postForm(path: string, form: Record<string, string>): Promise<Response> {
  return fetch(withBase(path), {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-kaudit-csrf': '1',
      accept: 'application/json',
    },
    body: new URLSearchParams(form).toString(),
    // A successful login answers with a redirect to the UI; it is not followed.
    redirect: 'manual',
  });
}

async function readJson<T>(res: Response): Promise<T> {
  if (res.status === 401) {
    for (const l of listeners) l();
    throw new UnauthorizedError('Sign-in required');
  }
  if (!res.ok) {
    let code = `http_${res.status}`;
    let message = res.statusText || `HTTP ${res.status}`;
    try {
      const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code === 'string') code = body.error.code;
      if (typeof body.error?.message === 'string') message = body.error.message;
    } catch {
      // Not JSON: the status line says enough.
    }
    throw new ApiError(code, message, res.status);
  }
  return (await res.json()) as T;
}
