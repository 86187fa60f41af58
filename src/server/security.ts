import { readFileSync } from 'node:fs';
import { AuthConfigError, generateToken, loadTokens, type TokenEntry } from './auth/index.ts';
import { ConfigError } from './config/load-config.ts';
import { isLoopback, type ServeConfig } from './config/serve-config.ts';
import type { TlsMaterial } from './listener.ts';
import { readTokenFile } from './webhook/auth.ts';

/** Who may do what: the webhook's tokens, TLS material, the API and UI tokens. */
export interface ServeSecurity {
  readonly tls?: TlsMaterial;
  /** Bearer tokens the apiserver may send to the webhook. */
  readonly webhookTokens: readonly string[];
  /** API and UI tokens (`false`: authentication off, loopback only). */
  readonly apiTokens: readonly TokenEntry[] | false;
  /** The admin token made at start when none was configured. */
  readonly generatedToken?: string;
}

function readFileOrFail(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError('CONFIG_READ', `cannot read ${what} ${path}: ${(err as Error).message}`);
  }
}

function readTls(c: ServeConfig): TlsMaterial | undefined {
  if (c.tlsCert === undefined || c.tlsKey === undefined) return undefined;
  return {
    cert: readFileOrFail(c.tlsCert, 'TLS certificate'),
    key: readFileOrFail(c.tlsKey, 'TLS key'),
    ...(c.clientCa !== undefined ? { clientCa: readFileOrFail(c.clientCa, 'client CA') } : {}),
  };
}

function webhookTokens(c: ServeConfig): string[] {
  if (c.tokenFile === undefined) return [];
  try {
    return readTokenFile(c.tokenFile);
  } catch (err) {
    throw new ConfigError(
      'CONFIG_READ',
      `cannot use token file ${c.tokenFile}: ${(err as Error).message}`,
    );
  }
}

/** The API and UI tokens: configured ones, or one random admin token made now. */
function apiTokens(c: ServeConfig): { tokens: TokenEntry[] | false; generated?: string } {
  if (!c.auth) {
    if (!isLoopback(c.listen.host)) {
      throw new ConfigError('CONFIG_VALUE', '--no-auth is only allowed on a loopback listener');
    }
    return { tokens: false };
  }
  if (c.apiTokenFile === undefined && c.apiTokens === undefined) {
    const generated = generateToken();
    return { tokens: [{ token: generated, role: 'admin' }], generated };
  }
  try {
    return {
      tokens: loadTokens({
        ...(c.apiTokenFile !== undefined ? { file: c.apiTokenFile } : {}),
        ...(c.apiTokens !== undefined ? { env: c.apiTokens } : {}),
      }),
    };
  } catch (err) {
    if (err instanceof AuthConfigError) {
      throw new ConfigError('CONFIG_VALUE', `API tokens: ${err.message}`);
    }
    throw err;
  }
}

/**
 * Reads the credentials and refuses configurations that would expose an unauthenticated
 * webhook: a listener beyond loopback needs a token or a client CA unless `--insecure`.
 */
export function resolveServeSecurity(c: ServeConfig): ServeSecurity {
  if (c.clientCa !== undefined && c.tlsCert === undefined) {
    throw new ConfigError('CONFIG_VALUE', '--client-ca needs TLS: give --tls-cert and --tls-key');
  }
  const tokens = webhookTokens(c);
  const authenticated = tokens.length > 0 || c.clientCa !== undefined;
  if (!authenticated && !isLoopback(c.listen.host) && !c.insecure) {
    throw new ConfigError(
      'CONFIG_VALUE',
      `refusing to listen on ${c.listen.host}:${c.listen.port} without authentication: give --token-file, or --client-ca with --tls-cert and --tls-key (or --insecure to accept anyone who can connect)`,
    );
  }
  const tls = readTls(c);
  const api = c.store === 'none' ? { tokens: false as const } : apiTokens(c);
  return {
    ...(tls !== undefined ? { tls } : {}),
    webhookTokens: tokens,
    apiTokens: api.tokens,
    ...(api.generated !== undefined ? { generatedToken: api.generated } : {}),
  };
}
