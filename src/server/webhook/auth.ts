import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';

/** How webhook clients may prove who they are. */
export interface WebhookAuth {
  /** SHA-256 digests of the accepted bearer tokens (compared in constant time). */
  readonly tokenDigests: readonly Buffer[];
  /** The cluster each token names (`TOKEN CLUSTER` in the file), by the same index. */
  readonly tokenClusters: readonly (string | undefined)[];
  /** Whether a client certificate signed by the client CA is accepted. */
  readonly clientCert: boolean;
}

/** The result of checking a request's credentials. */
export type AuthVerdict = 'ok' | 'missing' | 'invalid' | 'not_required';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** A cluster name a token or a path may give: it ends up in alerts and filters. */
export const CLUSTER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

/**
 * Reads a token file: one token per line, blank lines and `#` comments ignored, each
 * token optionally followed by the cluster its sender belongs to (`TOKEN CLUSTER`: one
 * deployment serving many clusters tells them apart by their tokens). The file is the
 * secret kube-apiserver's webhook kubeconfig carries as `token:`. Throws when it cannot be
 * read, holds no token (a server that would accept nobody) or a malformed line.
 */
export function readTokenFile(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/);
  const tokens: string[] = [];
  lines.forEach((raw, i) => {
    const l = raw.trim();
    if (l === '' || l.startsWith('#')) return;
    const [, cluster, extra] = l.split(/\s+/);
    if (extra !== undefined || (cluster !== undefined && !CLUSTER_NAME.test(cluster))) {
      // The line itself is a secret: say where, not what.
      throw new Error(
        `${path}:${i + 1}: expected TOKEN or TOKEN CLUSTER (a cluster name of letters, digits, '.', '_', '-')`,
      );
    }
    tokens.push(l);
  });
  if (tokens.length === 0) throw new Error(`${path} holds no token`);
  return tokens;
}

/** Builds the webhook's credentials check from `TOKEN` or `TOKEN CLUSTER` entries. */
export function createWebhookAuth(tokens: readonly string[], clientCert: boolean): WebhookAuth {
  const parts = tokens.map((t) => t.split(/\s+/));
  return {
    tokenDigests: parts.map((p) => digest(p[0] as string)),
    tokenClusters: parts.map((p) => p[1]),
    clientCert,
  };
}

/**
 * The cluster named by the request's token, if its token names one. Compared the same
 * way as checkWebhookAuth (every digest, in constant time); called after it passed.
 */
export function tokenCluster(
  auth: WebhookAuth,
  authorization: string | undefined,
): string | undefined {
  if (!auth.tokenClusters.some((c) => c !== undefined)) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (m === null) return undefined;
  const got = digest(m[1] as string);
  let found: string | undefined;
  auth.tokenDigests.forEach((d, i) => {
    if (timingSafeEqual(d, got)) found = auth.tokenClusters[i];
  });
  return found;
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
