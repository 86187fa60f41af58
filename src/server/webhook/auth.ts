import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';

/** How webhook clients may prove who they are. */
export interface WebhookAuth {
  /** SHA-256 digests of the accepted bearer tokens (compared in constant time). */
  readonly tokenDigests: readonly Buffer[];
  /** Whether a client certificate signed by the client CA is accepted. */
  readonly clientCert: boolean;
}

/** The result of checking a request's credentials. */
export type AuthVerdict = 'ok' | 'missing' | 'invalid' | 'not_required';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Reads a token file: one token per line, blank lines and `#` comments ignored. The file
 * is the secret kube-apiserver's webhook kubeconfig carries as `token:`. Throws when it
 * cannot be read or holds no token (a server that would accept nobody).
 */
export function readTokenFile(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const tokens = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (tokens.length === 0) throw new Error(`${path} holds no token`);
  return tokens;
}

/** Builds the webhook's credentials check. */
export function createWebhookAuth(tokens: readonly string[], clientCert: boolean): WebhookAuth {
  return { tokenDigests: tokens.map(digest), clientCert };
}

/**
 * Checks a request: a valid client certificate (mutual TLS), or `Authorization: Bearer`
 * with one of the tokens. Digests are compared, not the tokens, so neither the content
 * nor the length of a token leaks through timing; every token is compared, match or not.
 */
export function checkWebhookAuth(
  auth: WebhookAuth,
  authorization: string | undefined,
  socket: unknown,
): AuthVerdict {
  if (auth.tokenDigests.length === 0 && !auth.clientCert) return 'not_required';
  if (auth.clientCert && (socket as Partial<TLSSocket>).authorized === true) return 'ok';
  if (authorization === undefined || authorization === '') return 'missing';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (m === null || auth.tokenDigests.length === 0) return 'invalid';
  const got = digest(m[1] as string);
  let ok = false;
  for (const d of auth.tokenDigests) ok = timingSafeEqual(d, got) || ok;
  return ok ? 'ok' : 'invalid';
}
